import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { portText } from "../coins/index.ts";
import { parseConfigText } from "./load.ts";
import { resolvePorts } from "./ports.ts";

const portsOf = (yaml: string) =>
  resolvePorts(parseConfigText(`version: 1\nnodes: {tags: [a]}\n${yaml}`, "nodeward.yaml").config).map(
    (p) => `${p.protocol} ${portText(p)} ${p.purpose}`,
  );

describe("resolvePorts", () => {
  const cases: [string, string, string[]][] = [
    ["the smartcash profile", "coin: smartcash\n", ["tcp 9678 P2P", "tcp 8080 SAPI"]],
    ["the legacy profile", "coin: smartcash-legacy\n", ["tcp 9678 P2P"]],
    ["dash", "coin: dash\n", ["tcp 9999 P2P"]],
    [
      "a profile plus extra ports, deduplicated",
      'coin: smartcash\nextraPorts: [8080, 9100, "9200:9210", {port: 9100, protocol: udp}, 9100]\n',
      ["tcp 9678 P2P", "tcp 8080 SAPI", "tcp 9100 extra", "tcp 9200:9210 extra", "udp 9100 extra"],
    ],
    ["custom ports", 'coin: custom\nports: [9999, "9999", {port: 53, protocol: udp}]\nextraPorts: [22]\n', ["tcp 9999 custom", "udp 53 custom", "tcp 22 extra"]],
  ];
  for (const [name, yaml, want] of cases) it(`resolves ${name}`, () => assert.deepEqual(portsOf(yaml), want));

  it("explains where extra ports came from", () => {
    const [p] = resolvePorts({ coin: "custom", ports: [{ protocol: "tcp", port: 1 }], extraPorts: [] });
    assert.match(p?.why ?? "", /ports for coin: custom in nodeward\.yaml/);
  });
});
