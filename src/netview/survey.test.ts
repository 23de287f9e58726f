import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { closedPort } from "../scan/loopback.test-support.ts";
import { outpointKey, type Outpoint } from "./outpoint.ts";
import { fakeEntry, smartcash, startTestPeer, testOutpoint, type PeerEntry, type TestPeer } from "./peer.test-support.ts";
import type { NetviewTarget, SurveyOptions } from "./ports.ts";
import { createSurvey } from "./survey.ts";

const survey = createSurvey(smartcash);
const target = (n: number, outpoint: Outpoint, ips = ["203.0.113.5"]): NetviewTarget => ({ nodeId: `node-${n}`, alias: `mn${n}`, outpoint, expected: { ips, port: 9678 } });
const map = (...es: PeerEntry[]) => new Map(es.map((e) => [outpointKey(e.announce.outpoint), e]));
const address = (p: TestPeer) => ({ host: p.host, port: p.port });
const options = (peers: TestPeer[], extra: Partial<SurveyOptions> = {}): SurveyOptions => ({ peers: peers.map(address), fleetPeers: [], peersPerNode: 3, timeoutMs: 5_000, ...extra });

async function withPeers<T>(entries: Map<string, PeerEntry>[], fn: (peers: TestPeer[]) => Promise<T>): Promise<T> {
  const peers = await Promise.all(entries.map((e) => startTestPeer({ entries: e })));
  try {
    return await fn(peers);
  } finally {
    await Promise.all(peers.map((p) => p.close()));
  }
}

describe("the survey over TCP", () => {
  it("takes the median of three peers that disagree, and says they disagree", async () => {
    const o = testOutpoint();
    const ages = [5, 70, 130];
    await withPeers(ages.map((age) => map(fakeEntry(o, { pingAgeMinutes: age }))), async (peers) => {
      const [v] = await survey([target(1, o)], options(peers));
      assert.equal(v?.nodeId, "node-1");
      assert.deepEqual(v.verdict.peers.map((p) => p.state), ["ENABLED", "EXPIRED", "NEW_START_REQUIRED"]);
      assert.equal(v.verdict.state, "EXPIRED");
      assert.equal(v.verdict.disagreement, true);
      assert.equal(v.verdict.minutesToExpired, 0);
      assert.deepEqual(v.verdict.problems, []);
    });
  });

  it("reports an unreachable peer as such and still judges from the others", async () => {
    const o = testOutpoint();
    const port = await closedPort("127.0.0.1");
    await withPeers([map(fakeEntry(o, { pingAgeMinutes: 10 })), new Map()], async (peers) => {
      const [v] = await survey([target(1, o)], { ...options(peers), peers: [...peers.map(address), { host: "127.0.0.1", port }] });
      assert.deepEqual(v!.verdict.peers.map((p) => p.answer.kind), ["listed", "unlisted", "unreachable"]);
      assert.equal(v!.verdict.state, "ENABLED");
      assert.equal(v!.verdict.minutesToExpired, 54, "65 minutes after a ping 10 minutes old, rounded down");
    });
  });

  it("asks each peer once about all of its nodes, and never a node about itself", async () => {
    const outpoints = Array.from({ length: 40 }, (_, i) => testOutpoint(i));
    const everything = map(...outpoints.map((o) => fakeEntry(o, { pingAgeMinutes: 3, ip: "198.51.100.1" })));
    await withPeers([everything, everything], async (peers) => {
      const targets = outpoints.map((o, i) => target(i, o, ["198.51.100.1"]));
      const self = { ...target(99, testOutpoint(), ["127.0.0.1"]) };
      const verdicts = await survey([...targets, self], options(peers, { peersPerNode: 2 }));
      assert.deepEqual(peers.map((p) => p.connections), [1, 1]);
      assert.deepEqual(peers.map((p) => p.dsegs.length), [40, 40]);
      assert.ok(verdicts.slice(0, 40).every((v) => v.verdict.state === "ENABLED" && v.verdict.peers.length === 2));
      assert.deepEqual(verdicts[40], { nodeId: "node-99", verdict: { ...verdicts[40]!.verdict, state: "UNKNOWN", peers: [] } });
    });
  });

  it("asks the same nodes again in a later survey, with the dseg frames it kept, and new ones alongside", async () => {
    const a = testOutpoint();
    const b = testOutpoint();
    await withPeers([map(fakeEntry(a, { pingAgeMinutes: 1 }), fakeEntry(b, { pingAgeMinutes: 1 }))], async (peers) => {
      const own = createSurvey(smartcash);
      await own([target(1, a)], options(peers));
      const verdicts = await own([target(1, a), target(2, b)], options(peers));
      assert.deepEqual(peers[0]!.dsegs, [a, a, b].map(outpointKey));
      assert.deepEqual(verdicts.map((v) => v.verdict.state), ["ENABLED", "ENABLED"]);
    });
  });

  it("names the wrong address the network has for a node", async () => {
    const o = testOutpoint();
    await withPeers([map(fakeEntry(o, { pingAgeMinutes: 2, ip: "198.51.100.77" }))], async (peers) => {
      const [v] = await survey([target(1, o)], options(peers));
      assert.equal(v!.verdict.announced?.addr, "198.51.100.77:9678");
      assert.match(v!.verdict.problems.join("\n"), /the network has the node at 198\.51\.100\.77:9678, not at 203\.0\.113\.5:9678/);
    });
  });

  it("asks nobody about the null outpoint", async () => {
    await withPeers([new Map()], async (peers) => {
      const [v] = await survey([target(1, { txid: "0".repeat(64), index: 0xffffffff })], options(peers));
      assert.equal(v!.verdict.state, "UNKNOWN");
      assert.equal(peers[0]!.connections, 0);
    });
  });
});
