import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { findCoin } from "../../coins/index.ts";
import { isAppError } from "../../core/errors.ts";
import { decodeAnnounce, decodeInv, decodePing, encodeDseg, encodeInv } from "../../netview/codec.ts";
import type { Outpoint } from "../../netview/outpoint.ts";
import { stateOf } from "../../netview/rules.ts";
import { handshake } from "../../p2p/handshake.ts";
import { p2pParamsFor, type P2pParams } from "../../p2p/params.ts";
import { SimState } from "../state.ts";
import { openListPeer } from "../../../test/helpers/list-peer.ts";
import { requireNetns, withNodeNamespace } from "../../../test/helpers/netns.ts";
import {
  createNamespace, createVethPair, deleteLink, deleteNamespace, execInNamespace, listNamespaces, loadNftRuleset,
  NetnsError, runCommand,
} from "./netns.ts";
import { startWorld } from "./world.ts";

describe("runCommand", () => {
  it("hands stdin to the command and returns its output", async () => {
    const r = await runCommand(process.execPath, ["-e", "process.stdin.pipe(process.stdout)"], { input: "table inet t {}\n" });
    assert.equal(r.stdout, "table inet t {}\n");
  });

  it("quotes the command, its exit code and what it printed when it fails", async () => {
    await assert.rejects(runCommand(process.execPath, ["-e", "console.error('nope: bad rule'); process.exit(3)"]), (e: unknown) => {
      assert.ok(e instanceof NetnsError);
      assert.match(e.message, /failed: exit 3: nope: bad rule/);
      assert.equal(e.stderr.trim(), "nope: bad rule");
      return true;
    });
  });

  it("says so when the tool is not installed", async () => {
    await assert.rejects(runCommand("nodeward-no-such-tool", ["-V"]), /nodeward-no-such-tool is not installed/);
  });

  it("kills a command that hangs and says how long it waited", async () => {
    const started = Date.now();
    await assert.rejects(runCommand(process.execPath, ["-e", "setTimeout(() => {}, 30000)"], { timeoutMs: 300 }), /no answer within 300 ms/);
    assert.ok(Date.now() - started < 5000);
  });
});

describe("names", () => {
  const bad: Array<[string, () => Promise<unknown>]> = [
    ["a namespace name with a slash", () => createNamespace("../etc")],
    ["an empty namespace name", () => deleteNamespace("")],
    ["an interface name longer than 15 characters", () =>
      createVethPair({ hostIf: "nodeward-host-end0", nsIf: "n0", ns: "x", hostAddrs: [], nsAddrs: [] })],
    ["an interface name with a space", () => createVethPair({ hostIf: "a b", nsIf: "n0", ns: "x", hostAddrs: [], nsAddrs: [] })],
  ];
  for (const [name, call] of bad) {
    it(`refuses ${name} before running anything`, async () => {
      await assert.rejects(call(), (e: unknown) => isAppError(e) && e.code === "USAGE" && /is not a usable/.test(e.message));
    });
  }
});

describe("namespaces on the real kernel", () => {
  it("creates a namespace with a veth, both families addressed, and deletes all of it", async (t) => {
    if (!(await requireNetns(t))) return;
    const ns = `nwu${process.pid}`;
    const hostIf = `nwu${process.pid}h`;
    const nsIf = `nwu${process.pid}n`;
    // outside the 10.250.0.0/16 and fd77:6e77::/32 the node fixture picks from, derived from the pid
    const b = process.pid % 8192;
    const v4 = (n: number): string => `10.249.${b >> 5}.${(b & 31) * 8 + n}`;
    const v6 = (n: number): string => `fd77:6e76:${b.toString(16)}::${n}`;
    try {
      await createNamespace(ns);
      assert.ok((await listNamespaces()).includes(ns));
      await createVethPair({ hostIf, nsIf, ns, hostAddrs: [`${v4(1)}/29`, `${v6(1)}/64`], nsAddrs: [`${v4(2)}/29`, `${v6(2)}/64`] });
      const inside = (await execInNamespace(ns, "ip", ["-o", "addr", "show", "dev", nsIf])).stdout;
      assert.ok(inside.includes(`inet ${v4(2)}/29`), inside);
      assert.ok(inside.includes(`inet6 ${v6(2)}/64`), inside);
      const ula = inside.split("\n").find((l) => l.includes(`${v6(2)}/64`)) ?? "";
      assert.doesNotMatch(ula, /tentative/, "nodad makes the address usable at once");
      const lo = (await execInNamespace(ns, "ip", ["-o", "link", "show", "lo"])).stdout;
      assert.match(lo, /UP/);
    } finally {
      await deleteNamespace(ns);
      await deleteLink(null, hostIf);
    }
    assert.ok(!(await listNamespaces()).includes(ns));
    await assert.rejects(runCommand("ip", ["link", "show", hostIf]), /does not exist|Cannot find/);
    await deleteNamespace(ns); // deleting again is not an error
  });

  it("loads an nftables ruleset into the namespace only", async (t) => {
    if (!(await requireNetns(t))) return;
    await withNodeNamespace(async (w) => {
      await loadNftRuleset(w.ns, "table inet nodeward_test {\n  chain input {\n    type filter hook input priority filter; policy accept;\n  }\n}\n");
      assert.match((await w.exec("nft", ["list", "tables"])).stdout, /table inet nodeward_test/);
      assert.doesNotMatch((await runCommand("nft", ["list", "tables"])).stdout, /nodeward_test/);
    });
  });

  it("reports nft's own message, with the line, for a broken ruleset", async (t) => {
    if (!(await requireNetns(t))) return;
    await withNodeNamespace(async (w) => {
      await assert.rejects(loadNftRuleset(w.ns, "table inet nodeward_test {\n  chain input {\n    tcp dport 22 acept\n  }\n}\n"), (e: unknown) => {
        assert.ok(e instanceof NetnsError);
        assert.match(e.message, /nft -f -/);
        assert.match(e.stderr, /stdin:3/);
        return true;
      });
    });
  });

  it("ends the namespace's processes when it deletes it", async (t) => {
    if (!(await requireNetns(t))) return;
    let pid = 0;
    let ns = "";
    await withNodeNamespace(async (w) => {
      ns = w.ns;
      const child = await w.listen([9678]);
      pid = child.pid ?? 0;
      assert.ok(pid > 0);
    });
    assert.ok(!(await listNamespaces()).includes(ns));
    await new Promise((r) => setTimeout(r, 100));
    assert.throws(() => process.kill(pid, 0), /ESRCH/);
  });
});

describe("the simulated world's SmartNode network", () => {
  it("lists nodes by collateral, and scripts a stale ping, an unsynced node and an unlisted one", async (t) => {
    if (!(await requireNetns(t))) return;
    const coin = findCoin("smartcash")!;
    const params = p2pParamsFor(coin) as P2pParams;
    const state = new SimState();
    const [a, b, c] = ["sn-a", "sn-b", "sn-c"].map((label) => state.addInstance({ label }).id) as [string, string, string];
    const collateral: Record<string, Outpoint> = { [a]: { txid: "a0".repeat(32), index: 0 }, [b]: { txid: "b0".repeat(32), index: 1 } };
    const world = await startWorld({ state, coin, collateralOf: (id) => collateral[id] });
    const ip = (id: string) => state.instance(id)!.main_ip;
    /** One dseg + getdata to the node at `via` about `outpoint`: the announce and ping, or null when it stays silent. */
    const ask = async (via: string, outpoint: Outpoint) => {
      const peer = await openListPeer(ip(via), 9678, params);
      try {
        const [inv, ...rest] = await peer.ask([{ command: "dseg", payload: encodeDseg(outpoint) }]);
        if (inv === undefined) return null;
        const entries = decodeInv(inv.payload);
        assert.ok(rest.length === 0 && inv.command === "inv" && entries.kind === "ok", "one inv");
        const [mnb, mnp] = await peer.ask([{ command: "getdata", payload: encodeInv(entries.value) }]);
        const announce = decodeAnnounce(mnb!.payload);
        const ping = decodePing(mnp!.payload);
        assert.ok(announce.kind === "ok" && ping.kind === "ok");
        return { announce: announce.value, ping: ping.value };
      } finally {
        peer.close();
      }
    };
    const rules = { expiry: coin.expiry!, list: coin.smartnodeList!, p2p: coin.p2p! };
    const stateNow = (e: { announce: Parameters<typeof stateOf>[0]; ping: Parameters<typeof stateOf>[1] }) => stateOf(e.announce, e.ping, Date.now() / 1000, rules);
    try {
      const fresh = (await ask(c, collateral[a]!))!;
      assert.deepEqual(fresh.announce.addr, { ip: ip(a), port: 9678 }, "any node of the world answers for any listed node, at that node's address");
      assert.equal(stateNow(fresh), "ENABLED");

      await world.setNetwork(b, { ping: { staleMinutes: 70 } });
      const stale = (await ask(a, collateral[b]!))!;
      assert.equal(stateNow(stale), "EXPIRED");
      const hs = await handshake({ host: ip(b), port: 9678 }, params, { timeoutMs: 2000 });
      assert.equal(hs.status, "up", "the node still answers the handshake while the network counts it EXPIRED");

      await world.setNetwork(a, { ping: "fresh", synced: false });
      assert.equal(await ask(a, collateral[b]!), null, "an unsynced node is silent");
      await world.setNetwork(b, { ping: "unlisted" });
      assert.equal(await ask(c, collateral[b]!), null, "an unlisted outpoint gets silence");
      await assert.rejects(world.setNetwork(c, { ping: "fresh" }), /without a collateral/);
      await assert.rejects(world.setNetwork(a, { ping: { staleMinutes: -1 } }), /staleMinutes|too_small|greater/i);
      assert.equal(stateNow((await ask(c, collateral[a]!))!), "ENABLED", "the world keeps running after a refused command");
    } finally {
      await world.close();
    }
  });
});
