import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { choosePeers, hostKey, MAX_BLOCK, peerKey, type PeerChoice } from "./choose-peers.ts";
import type { NetviewTarget, PeerAddress } from "./ports.ts";

const target = (n: number, ips: string[]): NetviewTarget => ({
  nodeId: `node-${n}`,
  alias: `mn${n}`,
  outpoint: { txid: n.toString(16).padStart(64, "0"), index: 0 },
  expected: { ips, port: 9678 },
});
const at = (host: string, port = 9678): PeerAddress => ({ host, port });
const keys = (peers: readonly PeerAddress[]) => peers.map(peerKey);
const ids = (c: PeerChoice) => c.targets.map((t) => t.nodeId);
const addr = (i: number) => `198.18.${i >> 8}.${i & 0xff}`;

const fleet = [at("10.0.0.1"), at("10.0.0.2"), at("10.0.0.3"), at("2001:db8::4")];
const targets = fleet.map((p, i) => target(i, [p.host]));

/** No peer of a block is at an address of one of its targets; each block's peers are distinct. */
function assertNeverSelf(chosen: readonly PeerChoice[]): void {
  for (const c of chosen) {
    const own = new Set(c.targets.flatMap((t) => t.expected.ips.map(hostKey)));
    for (const p of c.peers) assert.ok(!own.has(hostKey(p.host)), `${peerKey(p)} is asked about itself (block ${ids(c).join(",")})`);
    assert.equal(new Set(keys(c.peers)).size, c.peers.length, "a peer twice in one block");
  }
}

describe("choosePeers", () => {
  it("asks each block of peers outside it, and a small fleet's nodes about each other", () => {
    const chosen = choosePeers(targets, [], fleet, 2);
    assert.deepEqual(chosen.map(ids), [["node-0", "node-1"], ["node-2", "node-3"]]);
    assert.deepEqual(chosen.map((c) => keys(c.peers)), [
      ["10.0.0.3:9678", "[2001:db8::4]:9678"],
      ["10.0.0.1:9678", "10.0.0.2:9678"],
    ]);
    assertNeverSelf(chosen);
  });

  it("makes blocks of one when the fleet has no more than k other nodes", () => {
    const chosen = choosePeers(targets, [], fleet, 3);
    assert.deepEqual(chosen.map(ids), [["node-0"], ["node-1"], ["node-2"], ["node-3"]]);
    assert.deepEqual(keys(chosen[0]!.peers), ["10.0.0.2:9678", "10.0.0.3:9678", "[2001:db8::4]:9678"]);
    assert.ok(chosen.every((c) => c.peers.length === 3));
    assertNeverSelf(chosen);
  });

  it("puts configured peers first, in the operator's order, and fills with fleet nodes", () => {
    const chosen = choosePeers(targets.slice(0, 2), [at("seed.example.org"), at("192.0.2.9", 19678)], fleet, 3);
    assert.equal(chosen.length, 1);
    assert.deepEqual(keys(chosen[0]!.peers), ["seed.example.org:9678", "192.0.2.9:19678", "10.0.0.3:9678"]);
  });

  it("leaves out a configured peer that is one of the block's nodes", () => {
    const chosen = choosePeers(targets, [at("10.0.0.1"), at("192.0.2.9")], fleet, 2, 2);
    assert.deepEqual(chosen.map((c) => keys(c.peers)), [
      ["192.0.2.9:9678", "10.0.0.3:9678"],
      ["10.0.0.1:9678", "192.0.2.9:9678"],
    ]);
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
    assert.deepEqual(choosePeers([], [at("10.0.0.1")], fleet, 3), []);
  });

  it("never asks a node about itself and gives k distinct peers, whatever the sizes", () => {
    for (const n of [1, 2, 3, 4, 5, 7, 10, 31, 260, 501]) {
      for (const k of [1, 2, 3, 5]) {
        for (const configured of [[], [at(addr(0)), at("192.0.2.1")]]) {
          const all = Array.from({ length: n }, (_, i) => at(addr(i)));
          const chosen = choosePeers(all.map((p, i) => target(i, [p.host])), configured, all, k);
          assertNeverSelf(chosen);
          assert.deepEqual(chosen.flatMap(ids), all.map((_, i) => `node-${i}`), "every target in one block, in order");
          const candidates = new Set([...configured, ...all].map(peerKey)).size;
          for (const c of chosen) {
            // Every candidate but the block's own targets is there to choose from.
            const outside = candidates - c.targets.filter((t) => [...configured, ...all].some((p) => hostKey(p.host) === t.expected.ips[0])).length;
            assert.equal(c.peers.length, Math.min(k, outside), `n ${n}, k ${k}, block ${ids(c)[0]}…: ${c.peers.length} peers`);
          }
        }
      }
    }
  });

  it("asks about 1,000 nodes on 12 connections, the blocks' peers spread over the fleet", () => {
    const big = Array.from({ length: 10_000 }, (_, i) => at(addr(i)));
    // Every tenth node has a collateral, as in bench:netview's Part B.
    const smart = big.filter((_, i) => i % 10 === 0).map((p, i) => target(i, [p.host]));
    const chosen = choosePeers(smart, [], big, 3);
    assert.equal(chosen.length, Math.ceil(1_000 / MAX_BLOCK));
    assert.ok(chosen.every((c) => c.targets.length === MAX_BLOCK && c.peers.length === 3));
    assert.equal(chosen.reduce((n, c) => n + c.peers.length, 0), 12, "one connection per (block, peer)");
    assertNeverSelf(chosen);
    assert.equal(new Set(chosen.flatMap((c) => keys(c.peers))).size, 12, "no peer serves two blocks");
    // The blocks start a quarter of the fleet apart (10.0.0.x order): 0 is a target, so 1, 2, 3; 2,500 is one, …
    assert.deepEqual(chosen.map((c) => keys(c.peers)[0]), [addr(1), addr(2_501), addr(5_001), addr(7_501)].map((h) => `${h}:9678`));
  });

  it("asks a fleet's own 1,000 nodes of each other in balanced blocks, none about itself", () => {
    const big = Array.from({ length: 1_000 }, (_, i) => at(addr(i)));
    const chosen = choosePeers(big.map((p, i) => target(i, [p.host])), [], big, 3);
    assert.deepEqual(chosen.map((c) => c.targets.length), [250, 250, 250, 250]);
    assertNeverSelf(chosen);
    assert.equal(new Set(chosen.flatMap((c) => keys(c.peers))).size, 12);
    const sized = choosePeers(big.slice(0, 260).map((p, i) => target(i, [p.host])), [], big, 3);
    assert.deepEqual(sized.map((c) => c.targets.length), [130, 130], "260 targets: two blocks of 130, not 250 and 10");
  });

  it("spells each address one way (hostKey), the common dotted quad as it is", () => {
    const cases: [string, string][] = [
      ["198.18.0.1", "198.18.0.1"],
      ["255.255.255.255", "255.255.255.255"],
      ["[::ffff:10.0.0.1]", "10.0.0.1"],
      ["::FFFF:10.0.0.1", "10.0.0.1"],
      ["2001:DB8:0:0::4", "2001:db8::4"],
      ["[2001:db8::4]", "2001:db8::4"],
      ["Seed.Example.ORG", "seed.example.org"],
      // Not addresses Node accepts: names, kept as written (lower case).
      ["010.0.0.1", "010.0.0.1"],
      ["256.1.1.1", "256.1.1.1"],
    ];
    assert.deepEqual(cases.map(([text]) => hostKey(text)), cases.map(([, key]) => key));
  });

  it("chooses the same blocks and peers every time for the same input", () => {
    assert.deepEqual(choosePeers(targets, [at("192.0.2.1")], fleet, 3), choosePeers(targets, [at("192.0.2.1")], fleet, 3));
  });
});
