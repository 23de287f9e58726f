import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { choosePeers, peerKey } from "./choose-peers.ts";
import type { NetviewTarget, PeerAddress } from "./ports.ts";

const target = (n: number, ips: string[]): NetviewTarget => ({
  nodeId: `node-${n}`,
  alias: `mn${n}`,
  outpoint: { txid: n.toString(16).padStart(64, "0"), index: 0 },
  expected: { ips, port: 9678 },
});
const at = (host: string, port = 9678): PeerAddress => ({ host, port });
const keys = (peers: readonly PeerAddress[]) => peers.map(peerKey);

const fleet = [at("10.0.0.1"), at("10.0.0.2"), at("10.0.0.3"), at("2001:db8::4")];
const targets = fleet.map((p, i) => target(i, [p.host]));

describe("choosePeers", () => {
  it("never asks a node about itself and spreads the fleet's nodes over the targets", () => {
    const chosen = choosePeers(targets, [], fleet, 2);
    assert.deepEqual(chosen.map((c) => keys(c.peers)), [
      ["10.0.0.2:9678", "10.0.0.3:9678"],
      ["10.0.0.3:9678", "[2001:db8::4]:9678"],
      ["[2001:db8::4]:9678", "10.0.0.1:9678"],
      ["10.0.0.1:9678", "10.0.0.2:9678"],
    ]);
    const load = new Map<string, number>();
    for (const c of chosen) for (const k of keys(c.peers)) load.set(k, (load.get(k) ?? 0) + 1);
    assert.deepEqual([...load.values()], [2, 2, 2, 2], "each fleet node answers for two others");
  });

  it("puts configured peers first, in the operator's order, and fills with fleet nodes", () => {
    const chosen = choosePeers(targets.slice(0, 2), [at("seed.example.org"), at("192.0.2.9", 19678)], fleet, 3);
    assert.deepEqual(keys(chosen[0]!.peers), ["seed.example.org:9678", "192.0.2.9:19678", "10.0.0.2:9678"]);
    assert.deepEqual(keys(chosen[1]!.peers), ["seed.example.org:9678", "192.0.2.9:19678", "10.0.0.3:9678"]);
  });

  it("recognises the node's own address however it is written", () => {
    const t = target(9, ["2001:db8::4", "10.0.0.1"]);
    const spelled = [at("[2001:DB8:0:0::4]"), at("::ffff:10.0.0.1"), at("10.0.0.2")];
    assert.deepEqual(keys(choosePeers([t], spelled, [], 3)[0]!.peers), ["10.0.0.2:9678"]);
  });

  it("gives as many peers as there are when there are fewer than asked, each once", () => {
    const chosen = choosePeers([target(1, ["10.9.9.9"])], [at("10.0.0.1")], [at("10.0.0.1"), at("10.0.0.2"), at("10.0.0.2")], 5);
    assert.deepEqual(keys(chosen[0]!.peers), ["10.0.0.1:9678", "10.0.0.2:9678"]);
    assert.deepEqual(choosePeers([target(1, ["10.0.0.1"])], [], [at("10.0.0.1")], 3)[0]!.peers, []);
  });

  it("spreads a large fleet evenly: each node asked about exactly k others, never itself", () => {
    const big = Array.from({ length: 1_000 }, (_, i) => at(`198.18.${i >> 8}.${i & 0xff}`));
    const chosen = choosePeers(big.map((p, i) => target(i, [p.host])), [], big, 3);
    const load = new Map<string, number>();
    chosen.forEach((c, i) => {
      assert.equal(new Set(keys(c.peers)).size, 3);
      assert.ok(!keys(c.peers).includes(peerKey(big[i]!)), `target ${i} asked about itself`);
      for (const k of keys(c.peers)) load.set(k, (load.get(k) ?? 0) + 1);
    });
    assert.deepEqual(new Set(load.values()), new Set([3]));
    assert.equal(load.size, 1_000);
  });

  it("chooses the same peers every time for the same input", () => {
    assert.deepEqual(choosePeers(targets, [at("192.0.2.1")], fleet, 3), choosePeers(targets, [at("192.0.2.1")], fleet, 3));
  });
});
