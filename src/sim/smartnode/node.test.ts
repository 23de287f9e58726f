import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { connect } from "node:net";
import { findCoin } from "../../coins/index.ts";
import { p2pParamsFor, type P2pParams } from "../../p2p/params.ts";
import { startSimulatedNode } from "./node.ts";
import { clientVersionOf } from "./sapi-server.ts";

const smartcash = p2pParamsFor(findCoin("smartcash")!) as P2pParams;

function openAndWaitForClose(host: string, port: number): Promise<number> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const s = connect({ host, port });
    s.on("error", reject);
    s.resume();
    s.on("close", () => resolve(Date.now() - started));
  });
}

/** Connections the node holds, as its SAPI status reports them. */
async function inbound(node: { host: string; sapiPort: number | undefined }): Promise<number> {
  const res = await fetch(`http://${node.host}:${node.sapiPort}/v1/client/status`);
  return ((await res.json()) as { connections: { in: number } }).connections.in;
}

describe("the simulated SmartNode", () => {
  it("closes a connection that stays idle past its bound", async () => {
    const node = await startSimulatedNode({ params: smartcash, sapiPort: false, idleMs: 80 });
    try {
      const ms = await openAndWaitForClose(node.host, node.p2pPort);
      assert.ok(ms >= 60 && ms < 2000, `closed after ${ms} ms`);
    } finally {
      await node.close();
    }
  });

  it("closes at once even while a silent connection is open", async () => {
    const node = await startSimulatedNode({ params: smartcash, behaviour: "silent" });
    const closed = openAndWaitForClose(node.host, node.p2pPort);
    // Until the node has accepted it, closing the listener resets the connection (ECONNRESET on a busy machine).
    for (let i = 0; i < 200 && (await inbound(node)) === 0; i++) await new Promise((r) => setTimeout(r, 10));
    const started = Date.now();
    await node.close();
    await closed;
    assert.ok(Date.now() - started < 500);
  });

  it("has no SAPI port when started with sapiPort false", async () => {
    const node = await startSimulatedNode({ params: smartcash, sapiPort: false });
    await node.close();
    assert.equal(node.sapiPort, undefined);
  });

  it("listens on ::1 for both P2P and SAPI", async () => {
    const node = await startSimulatedNode({ host: "::1", params: smartcash });
    try {
      assert.equal(node.host, "::1");
      assert.ok(node.p2pPort > 0 && (node.sapiPort ?? 0) > 0);
    } finally {
      await node.close();
    }
  });

  const versions: [string, number][] = [
    ["/SmartCash Core:2.1.1/", 2010100],
    ["/SmartCash Core:1.3.4.2(comment)/", 1030402],
    ["/Satoshi/", 0],
  ];
  for (const [ua, want] of versions) {
    it(`reports CLIENT_VERSION ${want} for ${ua}`, () => assert.equal(clientVersionOf(ua), want));
  }
});
