import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { runCli } from "./helpers/cli.ts";

describe("nodeward scan", () => {
  it("reports open and closed ports on loopback as a table and as JSON", async () => {
    const srv = createServer((s) => {
      s.on("error", () => s.destroy());
      s.end();
    });
    await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
    const open = (srv.address() as AddressInfo).port;
    const closedPort = open === 65535 ? open - 1 : open + 1;
    try {
      const table = await runCli(["scan", "127.0.0.1", "--ports", `${open},${closedPort}`]);
      assert.equal(table.code, 0, table.stderr);
      assert.match(table.stdout, new RegExp(`${open}/tcp\\s+open`));
      assert.match(table.stdout, new RegExp(`${closedPort}/tcp\\s+closed\\s+refused`));
      const json = await runCli(["scan", "127.0.0.1", "--ports", String(open), "--json"]);
      const r = JSON.parse(json.stdout) as { family: number; ports: { port: number; state: string }[] };
      assert.equal(r.family, 4);
      assert.deepEqual(r.ports.map((p) => [p.port, p.state]), [[open, "open"]]);
    } finally {
      srv.close();
    }
  });

  it("explains a bad port list, exit 1", async () => {
    const r = await runCli(["scan", "127.0.0.1", "--ports", "80-70"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /--ports 80-70/);
  });
});
