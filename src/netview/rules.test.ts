/**
 * Core-Smart's state rules at their exact boundaries (CSmartnode::Check, smartnode.cpp:132–233;
 * IsPingedWithin, smartnode.h:225–233: `now - lastPing.sigTime < nSeconds`, false for the empty
 * ping), and the verdict drawn from several peers.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { findCoin } from "../coins/index.ts";
import type { SmartnodeAnnounce, SmartnodePing } from "./codec.ts";
import type { PeerView } from "./model.ts";
import { freshestPing, problemsOf, stateOf, verdictOf, type RuleParams } from "./rules.ts";

const coin = findCoin("smartcash")!;
const P: RuleParams = { expiry: coin.expiry!, list: coin.smartnodeList!, p2p: coin.p2p! };

const NOW = 1_700_000_000;
const NOW_MS = NOW * 1000;
const MIN = 60;
const TXID = "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20";
const KEY = "c1".repeat(32);

function ping(ageSeconds: number, over: Partial<SmartnodePing> = {}): SmartnodePing {
  return { outpoint: { txid: TXID, index: 1 }, blockHash: "ab".repeat(32), sigTime: NOW - ageSeconds, signature: new Uint8Array(65), ...over };
}

/** Announced two days ago, so every ping here is well past PRE_ENABLED unless a test says otherwise. */
function announce(over: Partial<SmartnodeAnnounce> = {}): SmartnodeAnnounce {
  return {
    outpoint: { txid: TXID, index: 1 },
    scriptSig: new Uint8Array(0),
    sequence: 0xffffffff,
    addr: { ip: "203.0.113.5", port: 9678 },
    collateralPubKey: Uint8Array.from(Buffer.from("02" + KEY, "hex")),
    smartnodePubKey: Uint8Array.from(Buffer.from("03" + KEY, "hex")),
    signature: new Uint8Array(65),
    sigTime: NOW - 2 * 24 * 3600,
    protocolVersion: 90035,
    lastPing: null,
    ...over,
  };
}

function listed(peer: string, pingAgeSeconds: number | null, over: Partial<SmartnodeAnnounce> = {}): PeerView {
  return { peer, answer: { kind: "listed", announce: announce(over), ping: pingAgeSeconds === null ? null : ping(pingAgeSeconds) } };
}
const unlisted = (peer: string): PeerView => ({ peer, answer: { kind: "unlisted" } });
const unreachable = (peer: string): PeerView => ({ peer, answer: { kind: "unreachable", detail: "connect ECONNREFUSED" } });
const malformed = (peer: string): PeerView => ({ peer, answer: { kind: "malformed", detail: "mnb.vchSig: truncated" } });

describe("stateOf (CSmartnode::Check)", () => {
  it("reads the payments minimum 90028 from the profile (spork 21's default 0x…1D1C, old byte 0x1C: spork.cpp:31)", () => {
    assert.equal(P.list.minPaymentsProtocol, 90028);
    assert.deepEqual([P.expiry.expiredMinutes, P.expiry.newStartRequiredMinutes, P.list.preEnabledMinutes], [65, 120, 20]); // smartnode.h:18–21
  });

  it("is ENABLED one second short of 65 minutes and EXPIRED at 65 minutes exactly (smartnode.cpp:212)", () => {
    assert.equal(stateOf(announce(), ping(65 * MIN - 1), NOW, P), "ENABLED");
    assert.equal(stateOf(announce(), ping(65 * MIN), NOW, P), "EXPIRED");
  });

  it("is EXPIRED one second short of 120 minutes and NEW_START_REQUIRED at 120 minutes exactly (smartnode.cpp:203)", () => {
    assert.equal(stateOf(announce(), ping(120 * MIN - 1), NOW, P), "EXPIRED");
    assert.equal(stateOf(announce(), ping(120 * MIN), NOW, P), "NEW_START_REQUIRED");
    assert.equal(stateOf(announce(), ping(30 * 24 * 3600), NOW, P), "NEW_START_REQUIRED");
  });

  it("is NEW_START_REQUIRED without a ping: IsPingedWithin is false for the empty ping (smartnode.h:227)", () => {
    assert.equal(stateOf(announce(), null, NOW, P), "NEW_START_REQUIRED");
    assert.equal(stateOf(announce({ sigTime: NOW }), null, NOW, P), "NEW_START_REQUIRED");
  });

  it("is PRE_ENABLED while the ping is less than 20 minutes after the announce, ENABLED at 20 (smartnode.cpp:221)", () => {
    const a = announce({ sigTime: NOW - 30 * MIN });
    assert.equal(stateOf(a, ping(30 * MIN - (20 * MIN - 1)), NOW, P), "PRE_ENABLED"); // ping − announce = 19:59
    assert.equal(stateOf(a, ping(30 * MIN - 20 * MIN), NOW, P), "ENABLED"); // ping − announce = 20:00
    assert.equal(stateOf(a, ping(30 * MIN), NOW, P), "PRE_ENABLED"); // the announce's own first ping
    assert.equal(stateOf(announce({ sigTime: NOW }), ping(60), NOW, P), "PRE_ENABLED"); // a ping older than the announce
  });

  it("checks expiry before PRE_ENABLED: an old announce with an old first ping is EXPIRED (smartnode.cpp:212 before :221)", () => {
    assert.equal(stateOf(announce({ sigTime: NOW - 70 * MIN }), ping(70 * MIN), NOW, P), "EXPIRED");
  });

  it("is UPDATE_REQUIRED below protocol 90028 whatever the ping, and not at 90028 (smartnode.cpp:177–186 returns first)", () => {
    assert.equal(stateOf(announce({ protocolVersion: 90027 }), ping(60), NOW, P), "UPDATE_REQUIRED");
    assert.equal(stateOf(announce({ protocolVersion: 90027 }), null, NOW, P), "UPDATE_REQUIRED");
    assert.equal(stateOf(announce({ protocolVersion: 90028 }), ping(60), NOW, P), "ENABLED");
  });

  it("counts a ping from the future as within every window (now − sigTime is negative)", () => {
    assert.equal(stateOf(announce(), ping(-30 * MIN), NOW, P), "ENABLED");
  });
});

describe("freshestPing", () => {
  it("takes the mnp message when it is newer than the announce's ping, the announce's otherwise", () => {
    const older = ping(30 * MIN);
    const newer = ping(5 * MIN);
    assert.equal(freshestPing(announce({ lastPing: older }), newer), newer);
    assert.equal(freshestPing(announce({ lastPing: newer }), older), newer);
    assert.equal(freshestPing(announce({ lastPing: null }), older), older);
    assert.equal(freshestPing(announce({ lastPing: older }), null), older);
    assert.equal(freshestPing(announce({ lastPing: null }), null), null);
  });

  it("ignores an mnp for another outpoint", () => {
    const own = ping(30 * MIN);
    assert.equal(freshestPing(announce({ lastPing: own }), ping(1, { outpoint: { txid: TXID, index: 2 } })), own);
    assert.equal(freshestPing(announce({ lastPing: null }), ping(1, { outpoint: { txid: "ff".repeat(32), index: 1 } })), null);
  });
});

describe("verdictOf", () => {
  const key = `${TXID}-1`;

  it("takes the median of three listing peers by last ping, whatever order they come in", () => {
    const peers = [listed("c:9678", 70 * MIN), listed("a:9678", 10 * MIN), listed("b:9678", 30 * MIN)];
    const v = verdictOf(key, peers, NOW_MS, P);
    assert.equal(v.state, "ENABLED");
    assert.equal(v.lastPingAt, (NOW - 30 * MIN) * 1000);
    assert.equal(v.minutesToExpired, 35);
    assert.equal(v.disagreement, true); // c says EXPIRED
    assert.deepEqual(v.peers.map((p) => [p.peer, p.state, p.lastPingAt]), [
      ["c:9678", "EXPIRED", (NOW - 70 * MIN) * 1000],
      ["a:9678", "ENABLED", (NOW - 10 * MIN) * 1000],
      ["b:9678", "ENABLED", (NOW - 30 * MIN) * 1000],
    ]);
    const late = verdictOf(key, [listed("a", 10 * MIN), listed("b", 70 * MIN), listed("c", 130 * MIN)], NOW_MS, P);
    assert.deepEqual([late.state, late.minutesToExpired], ["EXPIRED", 0]);
  });

  it("takes the fresher of two: one peer that missed a relay raises no alarm", () => {
    const v = verdictOf(key, [listed("stale", 70 * MIN), listed("fresh", 10 * MIN)], NOW_MS, P);
    assert.deepEqual([v.state, v.lastPingAt, v.minutesToExpired, v.disagreement], ["ENABLED", (NOW - 10 * MIN) * 1000, 55, true]);
  });

  it("agrees when every listing peer says the same, and reports the announce", () => {
    const v = verdictOf(key, [listed("a", 5 * MIN), listed("b", 6 * MIN), listed("c", 7 * MIN)], NOW_MS, P, { ips: ["203.0.113.5"], port: 9678 });
    assert.deepEqual([v.state, v.disagreement, v.problems], ["ENABLED", false, []]);
    assert.deepEqual(v.announced, { addr: "203.0.113.5:9678", protocolVersion: 90035, at: (NOW - 2 * 24 * 3600) * 1000 });
    assert.equal(v.outpoint, key);
    assert.equal(v.askedAt, NOW_MS);
  });

  it("calls it a disagreement when one peer lists the node and another does not", () => {
    const v = verdictOf(key, [listed("a", 5 * MIN), unlisted("b"), unreachable("c")], NOW_MS, P);
    assert.deepEqual([v.state, v.disagreement], ["ENABLED", true]);
  });

  it("is UNLISTED when peers answered and none lists the node", () => {
    const v = verdictOf(key, [unlisted("a"), unlisted("b"), unreachable("c")], NOW_MS, P);
    assert.deepEqual([v.state, v.lastPingAt, v.minutesToExpired, v.disagreement, v.announced], ["UNLISTED", null, null, false, undefined]);
  });

  it("is UNKNOWN when no peer could be asked, or none answered sensibly, and names the malformed ones", () => {
    assert.equal(verdictOf(key, [], NOW_MS, P).state, "UNKNOWN");
    assert.equal(verdictOf(key, [unreachable("a"), unreachable("b")], NOW_MS, P).state, "UNKNOWN");
    const v = verdictOf(key, [malformed("a:9678"), unreachable("b")], NOW_MS, P);
    assert.equal(v.state, "UNKNOWN");
    assert.deepEqual(v.problems, ["a:9678 sent a malformed answer: mnb.vchSig: truncated"]);
  });

  it("rests on a listing peer without a ping as NEW_START_REQUIRED with no ping time", () => {
    const v = verdictOf(key, [listed("a", null)], NOW_MS, P);
    assert.deepEqual([v.state, v.lastPingAt, v.minutesToExpired], ["NEW_START_REQUIRED", null, null]);
  });
});

describe("problemsOf", () => {
  const problems = (a: SmartnodeAnnounce, p: SmartnodePing | null = ping(60), peers: PeerView[] = [], expected?: { ips: string[]; port: number }) => problemsOf(a, p, peers, NOW_MS, P, expected);

  it("finds nothing wrong in a sound announce at the expected address", () => {
    assert.deepEqual(problems(announce(), ping(60), [], { ips: ["198.51.100.1", "203.0.113.5"], port: 9678 }), []);
  });

  it("reports an IPv6 announce: outside testnet only IPv4 is valid (CSmartnode::IsValidNetAddr, smartnode.cpp:255)", () => {
    const found = problems(announce({ addr: { ip: "2001:db8::1", port: 9678 } }), ping(60), [], { ips: ["2001:db8::1"], port: 9678 });
    assert.equal(found.length, 1);
    assert.match(found[0]!, /IPv6 address \(\[2001:db8::1\]:9678\); mainnet peers accept only IPv4/);
  });

  it("reports an announce at another IP or port, both addresses written out", () => {
    const [ip] = problems(announce(), ping(60), [], { ips: ["198.51.100.7", "2001:db8::7"], port: 9678 });
    assert.match(ip!, /the network has the node at 203\.0\.113\.5:9678, not at 198\.51\.100\.7:9678 or \[2001:db8::7\]:9678/);
    const [port] = problems(announce({ addr: { ip: "203.0.113.5", port: 9679 } }), ping(60), [], { ips: ["203.0.113.5"], port: 9678 });
    assert.match(port!, /at 203\.0\.113\.5:9679, not at 203\.0\.113\.5:9678/);
    const [v6] = problems(announce({ addr: { ip: "2001:db8::1", port: 9678 } }), ping(60), [], { ips: ["203.0.113.5"], port: 9678 });
    assert.match(v6!, /at \[2001:db8::1\]:9678/);
    assert.deepEqual(problems(announce(), ping(60)), [], "no expectation, no address check");
  });

  it("reports a protocol below the payments minimum, and one below the current release", () => {
    assert.match(problems(announce({ protocolVersion: 90027 })).join("\n"), /protocol 90027, below the payments minimum 90028/);
    assert.match(problems(announce({ protocolVersion: 90028 })).join("\n"), /protocol 90028; the current release speaks 90035/);
    assert.equal(problems(announce({ protocolVersion: 90028 })).length, 1);
    assert.deepEqual(problems(announce({ protocolVersion: 90035 })), []);
  });

  it("reports a ping signed more than an hour ahead, not one exactly an hour ahead (smartnode.cpp:714 `sigTime > now + 60 * 60`)", () => {
    assert.deepEqual(problems(announce(), ping(-3600)), []);
    assert.match(problems(announce(), ping(-3601)).join("\n"), /more than an hour in the future/);
    assert.deepEqual(problems(announce(), null), []);
  });

  it("reports keys that are neither 33 nor 65 bytes, each by name", () => {
    assert.deepEqual(problems(announce({ collateralPubKey: new Uint8Array(65), smartnodePubKey: new Uint8Array(33) })), []);
    const found = problems(announce({ collateralPubKey: new Uint8Array(32), smartnodePubKey: new Uint8Array(0) }));
    assert.deepEqual(found.length, 2);
    assert.match(found[0]!, /collateral public key is 32 bytes/);
    assert.match(found[1]!, /smartnode public key is 0 bytes/);
  });

  it("reports a non-empty scriptSig in the announce's input (smartnode.cpp:460–464)", () => {
    assert.match(problems(announce({ scriptSig: Uint8Array.of(0x51) })).join("\n"), /carries a script/);
  });

  it("lists every malformed peer answer", () => {
    const found = problems(announce(), ping(60), [malformed("a:9678"), unlisted("b"), malformed("c:9678")]);
    assert.deepEqual(found, ["a:9678 sent a malformed answer: mnb.vchSig: truncated", "c:9678 sent a malformed answer: mnb.vchSig: truncated"]);
  });
});
