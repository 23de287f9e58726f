import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { findCoin } from "../../coins/index.ts";
import { decodeAnnounce, decodeInv, decodePing, encodeDseg, encodeInv, type InvEntry } from "../../netview/codec.ts";
import type { Outpoint } from "../../netview/outpoint.ts";
import { stateOf } from "../../netview/rules.ts";
import { p2pParamsFor, type P2pParams } from "../../p2p/params.ts";
import { ByteWriter } from "../../p2p/wire.ts";
import { createNetworkList, type NetworkList } from "./network-list.ts";
import { startSimulatedNode, type SimulatedNode } from "./node.ts";
import { openListPeer, type RawMessage } from "../../../test/helpers/list-peer.ts";

const coin = findCoin("smartcash")!;
const params = p2pParamsFor(coin) as P2pParams;
const rules = { expiry: coin.expiry!, list: coin.smartnodeList!, p2p: coin.p2p! };
const fresh: Outpoint = { txid: "a1".repeat(32), index: 0 };
const stale: Outpoint = { txid: "b2".repeat(32), index: 1 };
const unknown: Outpoint = { txid: "c3".repeat(32), index: 0 };

const openPeer = (node: SimulatedNode) => openListPeer(node.host, node.p2pPort, params);
const dseg = (o: Outpoint): RawMessage => ({ command: "dseg", payload: encodeDseg(o) });
const getdata = (entries: InvEntry[]): RawMessage => ({ command: "getdata", payload: encodeInv(entries) });

describe("a simulated SmartNode answering dseg and getdata on a real socket", () => {
  let list: NetworkList;
  let node: SimulatedNode;
  before(async () => {
    list = createNetworkList({ coin });
    list.set({ outpoint: fresh, addr: { ip: "198.18.0.21", port: 9678 }, ping: "fresh" });
    list.set({ outpoint: stale, addr: { ip: "2001:db8:7e::22", port: 9678 }, ping: { staleMinutes: 70 } });
    node = await startSimulatedNode({ params, sapiPort: false, network: list });
  });
  after(() => node.close());

  for (const [name, outpoint, minAge, maxAge, state] of [
    ["a fresh ping", fresh, 0, 20 * 60 - 1, "ENABLED"],
    ["a ping 70 minutes old", stale, 70 * 60, 70 * 60 + 2, "EXPIRED"],
  ] as const) {
    it(`returns exactly the mnb and mnp the list holds for ${name}, ${state} by Core-Smart's rules`, async () => {
      const peer = await openPeer(node);
      try {
        const invs = await peer.ask([dseg(outpoint)]);
        assert.deepEqual(invs.map((m) => m.command), ["inv"]);
        const entries = decodeInv(invs[0]!.payload);
        assert.ok(entries.kind === "ok" && entries.value.length === 2);
        const [mnbInv, mnpInv] = entries.value as [InvEntry, InvEntry];
        assert.deepEqual([mnbInv.type, mnpInv.type], [0x4000000e, 0x4000000f]);

        const data = await peer.ask([getdata(entries.value)]);
        assert.deepEqual(data.map((m) => m.command), ["mnb", "mnp"]);
        const mnb = decodeAnnounce(data[0]!.payload);
        const mnp = decodePing(data[1]!.payload);
        assert.ok(mnb.kind === "ok" && mnp.kind === "ok");
        assert.deepEqual(mnb.value, list.announceByHash(mnbInv.hash));
        assert.deepEqual(mnp.value, list.pingByHash(mnpInv.hash));
        assert.deepEqual(mnb.value.outpoint, outpoint);
        const age = Math.floor(Date.now() / 1000) - mnp.value.sigTime;
        assert.ok(age >= minAge && age <= maxAge, `ping age ${age} s`);
        assert.equal(stateOf(mnb.value, mnp.value, Date.now() / 1000, rules), state);
      } finally {
        peer.close();
      }
    });
  }

  it("stays silent for an unknown outpoint, counts a null-outpoint dseg as a list request and answers nothing", async () => {
    const before = node.stats();
    const peer = await openPeer(node);
    try {
      assert.deepEqual(await peer.ask([dseg(unknown)]), []);
      const whole = new ByteWriter(36).bytes(new Uint8Array(32)).u32le(0xffffffff).finish();
      assert.deepEqual(await peer.ask([{ command: "dseg", payload: whole }]), []);
      const ghost = { type: 0x4000000f, hash: "77".repeat(32) };
      const notFound = await peer.ask([getdata([ghost])]);
      assert.deepEqual(notFound.map((m) => m.command), ["notfound"]);
    } finally {
      peer.close();
    }
    const after = node.stats();
    assert.deepEqual(
      [after.dsegs - before.dsegs, after.listRequests - before.listRequests, after.getdatas - before.getdatas],
      [2, 1, 1],
    );
  });

  it("is silent while not synced and answers again once node.set({synced: true})", async () => {
    node.set({ synced: false });
    const peer = await openPeer(node);
    try {
      assert.deepEqual(await peer.ask([dseg(fresh)]), []);
      node.set({ synced: true });
      assert.deepEqual((await peer.ask([dseg(fresh)])).map((m) => m.command), ["inv"]);
    } finally {
      node.set({ synced: true });
      peer.close();
    }
  });

  it("answers like every other node of the same network, and a node started unsynced is silent", async () => {
    // A still clock: the stale ping's time is "now − 70 min" to the second, the same for all three.
    const still = createNetworkList({ coin, now: () => Date.UTC(2024, 4, 1, 10, 37, 12) });
    still.set({ outpoint: stale, addr: { ip: "198.18.0.22", port: 9678 }, ping: { staleMinutes: 70 } });
    const [one, twin, mute] = await Promise.all([
      startSimulatedNode({ params, sapiPort: false, network: still }),
      startSimulatedNode({ params, sapiPort: false, network: still }),
      startSimulatedNode({ params, sapiPort: false, network: still, synced: false }),
    ]);
    const peers = await Promise.all([openPeer(one), openPeer(twin), openPeer(mute)]);
    try {
      const [a, b, c] = await Promise.all(peers.map((p) => p.ask([dseg(stale)])));
      assert.equal(a!.length, 1);
      assert.deepEqual(b, a);
      assert.deepEqual(c, []);
      assert.equal(mute.stats().dsegs, 1);
    } finally {
      peers.forEach((p) => p.close());
      await Promise.all([one.close(), twin.close(), mute.close()]);
    }
  });
});
