import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { findCoin } from "../src/coins/index.ts";
import { p2pParamsFor } from "../src/p2p/index.ts";
import { startSimulatedNode } from "../src/sim/smartnode/index.ts";
import { runCli } from "./helpers/cli.ts";

const params = p2pParamsFor(findCoin("smartcash")!)!;

describe("nodeward probe", () => {
  it("completes a real SmartCash handshake and reads SAPI, exit 0", async () => {
    const node = await startSimulatedNode({ params, height: 2_100_042 });
    try {
      const r = await runCli(["probe", `127.0.0.1:${node.p2pPort}`, "--sapi-port", String(node.sapiPort), "--json"]);
      assert.equal(r.code, 0, r.stderr);
      const out = JSON.parse(r.stdout) as { healthy: boolean; handshake: { status: string; startHeight: number; protocolVersion: number }; sapi: { status: string; blocks: number } };
      assert.equal(out.healthy, true);
      assert.equal(out.handshake.startHeight, 2_100_042);
      assert.equal(out.handshake.protocolVersion, 90035);
      assert.equal(out.sapi.blocks, 2_100_042);
    } finally {
      await node.close();
    }
  });

  it("names a peer with the wrong magic, exit 2", async () => {
    const node = await startSimulatedNode({ params, sapiPort: false, behaviour: "wrong-magic" });
    try {
      const r = await runCli(["probe", `[::ffff:127.0.0.1]:${node.p2pPort}`, "--no-sapi"]);
      assert.equal(r.code, 2);
      assert.match(r.stdout, /down\s+p2p .*bad-magic/);
    } finally {
      await node.close();
    }
  });

  it("refuses an unknown coin with a usage error, exit 1", async () => {
    const r = await runCli(["probe", "127.0.0.1", "--coin", "dogecoin"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /--coin dogecoin has no P2P profile/);
  });
});
