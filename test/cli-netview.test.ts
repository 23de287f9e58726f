import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { outpointKey } from "../src/netview/outpoint.ts";
import { fakeEntry, startTestPeer, testOutpoint, type PeerEntry, type TestPeer, type TestPeerOptions } from "../src/netview/peer.test-support.ts";
import { seedFleet } from "../src/sim/seed.ts";
import { runCli, simConfig, tempProject } from "./helpers/cli.ts";
import { startCheckedSim } from "./helpers/sim.ts";
import { BASE_CONFIG } from "./helpers/config.ts";

const map = (...es: PeerEntry[]) => new Map(es.map((e) => [outpointKey(e.announce.outpoint), e]));
const at = (p: TestPeer) => `127.0.0.1:${p.port}`;

async function withPeers(options: TestPeerOptions[], fn: (peers: TestPeer[]) => Promise<void>): Promise<void> {
  const peers = await Promise.all(options.map((o) => startTestPeer(o)));
  try {
    await fn(peers);
  } finally {
    await Promise.all(peers.map((p) => p.close()));
  }
}

const smartnodes = (o: { txid: string; index: number }, address = "203.0.113.5:9678") =>
  `smartnodes:\n  - alias: mn-home\n    address: "${address}"\n    txid: ${o.txid}\n    index: ${o.index}\nhosts:\n  - name: home-node\n    addresses: [203.0.113.5, "2001:db8::5"]\n`;

describe("nodeward netview", () => {
  it("asks the configured peers about an alias and prints the network's view, disagreement included, exit 0", async () => {
    const o = testOutpoint(1);
    await withPeers([{ entries: map(fakeEntry(o, { pingAgeMinutes: 5 })) }, { entries: map(fakeEntry(o, { pingAgeMinutes: 70 })) }, { entries: new Map() }], async (peers) => {
      const p = tempProject(`${BASE_CONFIG}${smartnodes(o)}netview:\n  peers: [${peers.map(at).join(", ")}]\n`);
      try {
        const r = await runCli(["netview", "mn-home"], { cwd: p.dir });
        assert.equal(r.code, 0, r.stdout + r.stderr);
        assert.match(r.stdout, new RegExp(`^mn-home  ${outpointKey(o)}\\n`));
        assert.match(r.stdout, /state +ENABLED +\(3 peers asked, 2 list it\)/);
        assert.match(r.stdout, /last ping +5 min ago/);
        assert.match(r.stdout, /EXPIRED in +5[89] min, as the network counts it \(65 min after the last ping\)/);
        assert.match(r.stdout, /announced +203\.0\.113\.5:9678, protocol 90035, started 3 d ago/);
        assert.match(r.stdout, new RegExp(`${at(peers[1]!)} +EXPIRED, last ping 70 min ago`));
        assert.match(r.stdout, new RegExp(`${at(peers[2]!)} +unlisted`));
        assert.match(r.stdout, /the peers do not agree/);
      } finally {
        p.cleanup();
      }
    });
  });

  it("takes an outpoint and --peer without any config, and gives the verdict as JSON with bytes as hex, exit 2 when EXPIRED", async () => {
    const o = testOutpoint(3);
    await withPeers([{ entries: map(fakeEntry(o, { pingAgeMinutes: 80, ip: "198.51.100.9" })) }], async ([peer]) => {
      const p = tempProject();
      try {
        const r = await runCli(["netview", `${o.txid}:${o.index}`, "--peer", at(peer!), "--json"], { cwd: p.dir });
        assert.equal(r.code, 2, r.stderr);
        const v = JSON.parse(r.stdout) as { node: null; outpoint: string; state: string; minutesToExpired: number; peers: { answer: { announce: { signature: string; collateralPubKey: string } } }[] };
        assert.equal(v.node, null);
        assert.equal(v.outpoint, outpointKey(o));
        assert.equal(v.state, "EXPIRED");
        assert.equal(v.minutesToExpired, 0);
        assert.equal(v.peers[0]?.answer.announce.signature, "20".repeat(65));
        assert.match(v.peers[0]!.answer.announce.collateralPubKey, /^02(11){32}$/);
      } finally {
        p.cleanup();
      }
    });
  });

  it("finds a watched node's entry by its address, names the wrong announced address, and says UNLISTED or UNKNOWN with exit 2", async () => {
    const o = testOutpoint(4);
    await withPeers([{ entries: map(fakeEntry(o, { pingAgeMinutes: 2, ip: "198.51.100.9" })) }, { mode: "silent" }], async ([good, silent]) => {
      const p = tempProject(`${BASE_CONFIG}${smartnodes(o)}`);
      try {
        const r = await runCli(["netview", "home-node", "--peer", at(good!)], { cwd: p.dir });
        assert.equal(r.code, 0, r.stdout + r.stderr);
        assert.match(r.stdout, /✗ the network has the node at 198\.51\.100\.9:9678, not at 203\.0\.113\.5:9678 or \[2001:db8::5\]:9678/);

        const other = testOutpoint(5);
        const unlisted = await runCli(["netview", outpointKey(other), "--peer", at(good!)], { cwd: p.dir });
        assert.equal(unlisted.code, 2);
        assert.match(unlisted.stdout, /state +UNLISTED/);

        const unknown = await runCli(["netview", "mn-home", "--peer", at(silent!), "--timeout", "1"], { cwd: p.dir });
        assert.equal(unknown.code, 2);
        assert.match(unknown.stdout, /state +UNKNOWN/);
        assert.match(unknown.stdout, /unreachable: no complete answer within 1000 ms/);
      } finally {
        p.cleanup();
      }
    });
  });

  it("names an instance of the provider by its label and finds its entry by the instance's address", async () => {
    const sim = await startCheckedSim({ rateLimitPerSecond: false });
    seedFleet(sim.state, { count: 3, seed: 4, tags: ["smartnode"] });
    const instance = sim.state.instances()[1]!;
    const o = testOutpoint(8);
    await withPeers([{ entries: map(fakeEntry(o, { pingAgeMinutes: 1, ip: instance.main_ip, startedMinutesAgo: 10 })) }], async ([peer]) => {
      const entry = `smartnodes:\n  - alias: mn-cloud\n    address: "${instance.main_ip}:9678"\n    txid: ${o.txid}\n    index: ${o.index}\n`;
      const p = tempProject(simConfig(sim.url) + entry);
      try {
        const r = await runCli(["netview", instance.label, "--peer", at(peer!), "--json"], { cwd: p.dir, env: { VULTR_API_KEY: sim.apiKey } });
        assert.equal(r.code, 0, r.stderr);
        const v = JSON.parse(r.stdout) as { node: string; state: string; problems: string[] };
        assert.deepEqual([v.node, v.state, v.problems], ["mn-cloud", "PRE_ENABLED", []]);

        const noKey = await runCli(["netview", instance.label, "--peer", at(peer!)], { cwd: p.dir });
        assert.equal(noKey.code, 1);
        assert.match(noKey.stderr, /is not a collateral outpoint \(TXID-INDEX\), a smartnodes alias or a watched node\n.*no API key/);
      } finally {
        p.cleanup();
      }
    });
    await sim.closeAndCheck();
  });

  it("refuses with a usage error, exit 1: no peer at all, a peer that is the node itself, a name it does not know", async () => {
    const o = testOutpoint(6);
    const p = tempProject(`${BASE_CONFIG}${smartnodes(o, "127.0.0.1:9678")}`);
    try {
      const none = await runCli(["netview", "mn-home"], { cwd: p.dir });
      assert.equal(none.code, 1);
      assert.match(none.stderr, /no peer to ask\n.*--peer HOST:PORT/);

      const self = await runCli(["netview", "mn-home", "--peer", "127.0.0.1:9678"], { cwd: p.dir });
      assert.equal(self.code, 1);
      assert.match(self.stderr, /every peer given is the node itself/);

      const hostile = `évil\r\n\u001b[31m名前${"x".repeat(10_000)}`;
      const unknown = await runCli(["netview", hostile, "--peer", "127.0.0.1:1"], { cwd: p.dir });
      assert.equal(unknown.code, 1);
      assert.match(unknown.stderr, /"évil\\r\\n\\u001b\[31m名前x+…\(\+\d+ more\)" is not a collateral outpoint/);
      assert.ok(unknown.stderr.length < 1_000, "the name is clipped");
      assert.ok(!unknown.stderr.includes("\u001b"), "no terminal escape reaches the terminal");

      const noConfig = tempProject();
      try {
        const r = await runCli(["netview", `${"ab".repeat(32)}-1`], { cwd: noConfig.dir });
        assert.equal(r.code, 3, r.stderr);
        assert.match(r.stderr, /no configuration file/);
      } finally {
        noConfig.cleanup();
      }
    } finally {
      p.cleanup();
    }
  });
});
