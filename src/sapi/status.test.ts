import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { formatClientVersion, parseSapiStatus } from "./status.ts";

describe("SAPI status bodies", () => {
  const versions: [number, string][] = [
    [2010100, "2.1.1"],
    [2010000, "2.1.0"],
    [1030402, "1.3.4.2"],
  ];
  for (const [n, want] of versions) {
    it(`formats CLIENT_VERSION ${n} as ${want}`, () => assert.equal(formatClientVersion(n), want));
  }

  const real = { started: 1700000000, uptime: 60, version: 2010100, protocolversion: 90035, blocks: 2600000, time: 1700000060, timeoffset: 0, connections: { in: 10, out: 8 }, testnet: false };
  const bodies: [string, string, string][] = [
    ["the body SmartCash sends", JSON.stringify(real), "ok 2.1.1 2600000"],
    ["a body with unknown fields", JSON.stringify({ ...real, extra: [1] }), "ok 2.1.1 2600000"],
    ["blocks -1 (no chain yet)", JSON.stringify({ ...real, blocks: -1 }), "ok 2.1.1 -1"],
    ["a missing version", JSON.stringify({ ...real, version: undefined }), "error version"],
    ["blocks as a string", JSON.stringify({ ...real, blocks: "2600000" }), "error blocks"],
    ["negative connections", JSON.stringify({ ...real, connections: { in: -1, out: 0 } }), "error connections"],
    ["an array", "[]", "error (body)"],
    ["not JSON", "<html>", "error not JSON"],
  ];
  for (const [name, text, want] of bodies) {
    it(`reads ${name} as ${want}`, () => {
      const r = parseSapiStatus(text);
      if (r.kind === "ok") assert.equal(`ok ${r.status.version} ${r.status.blocks}`, want);
      else assert.ok(r.detail.includes(want.slice(6)), `${r.detail} should mention ${want.slice(6)}`);
    });
  }
});
