import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { findCoin } from "../../coins/index.ts";
import { isAppError } from "../../core/errors.ts";
import { announceHash, decodeAnnounce, decodePing, encodeAnnounce, encodePing, pingHash } from "../../netview/codec.ts";
import { stateOf, type RuleParams } from "../../netview/rules.ts";
import { createNetworkList, EMPTY_PING, type ListingScript, type PingScript } from "./network-list.ts";

const smartcash = findCoin("smartcash")!;
const rules: RuleParams = { expiry: smartcash.expiry!, list: smartcash.smartnodeList!, p2p: smartcash.p2p! };
const outpoint = { txid: "4e2a".padEnd(64, "9"), index: 1 };
const addr = { ip: "198.18.0.7", port: 9678 };
/** 2024-05-01 10:37:12 UTC: 17 min 12 s after the 10:20 mark. */
const T = Date.UTC(2024, 4, 1, 10, 37, 12);

function listAt(ms: number, script: Partial<ListingScript> & { ping: PingScript }) {
  let now = ms;
  const list = createNetworkList({ coin: smartcash, now: () => now });
  list.set({ outpoint, addr, ...script });
  return { list, setNow: (t: number) => (now = t) };
}

describe("the simulated network's SmartNode list", () => {
  const states: [string, Partial<ListingScript> & { ping: PingScript }, string][] = [
    ["a fresh ping is ENABLED", { ping: "fresh" }, "ENABLED"],
    ["a ping 64 minutes old is still ENABLED", { ping: { staleMinutes: 64 } }, "ENABLED"],
    ["a ping 66 minutes old is EXPIRED", { ping: { staleMinutes: 66 } }, "EXPIRED"],
    ["a ping 121 minutes old is NEW_START_REQUIRED", { ping: { staleMinutes: 121 } }, "NEW_START_REQUIRED"],
    ["no ping at all is NEW_START_REQUIRED", { ping: "none" }, "NEW_START_REQUIRED"],
    ["a node started 5 minutes ago is PRE_ENABLED", { ping: "fresh", startedMinutesAgo: 5 }, "PRE_ENABLED"],
    ["an announce at protocol 90027 is UPDATE_REQUIRED", { ping: "fresh", protocolVersion: 90027 }, "UPDATE_REQUIRED"],
  ];
  for (const [name, script, want] of states) {
    it(`${name}, by Core-Smart's rules`, () => {
      const e = listAt(T, script).list.entry(outpoint)!;
      assert.equal(stateOf(e.announce, e.announce.lastPing, T / 1000, rules), want);
    });
  }

  it("makes a fresh ping at the last 20-minute mark: 0 s old on the mark, 19 min 59 s just before the next", () => {
    for (const [at, age] of [[Date.UTC(2024, 4, 1, 10, 20, 0), 0], [T, 17 * 60 + 12], [Date.UTC(2024, 4, 1, 10, 39, 59), 19 * 60 + 59]] as const) {
      const ping = listAt(at, { ping: "fresh" }).list.entry(outpoint)!.ping;
      assert.equal(at / 1000 - ping.sigTime, age);
    }
  });

  it("keeps a stale ping's age as the clock moves, and the announce older than the ping", () => {
    const { list, setNow } = listAt(T, { ping: { staleMinutes: 70 }, startedMinutesAgo: 30 });
    for (const t of [T, T + 3_600_000]) {
      setNow(t);
      const e = list.entry(outpoint)!;
      assert.equal(t / 1000 - e.ping.sigTime, 70 * 60);
      assert.ok(e.announce.sigTime <= e.ping.sigTime);
    }
  });

  it("carries the ping in the announce, and the empty ping in mnp when there is none (as PushDsegInvs relays it)", () => {
    const fresh = listAt(T, { ping: "fresh" }).list.entry(outpoint)!;
    assert.deepEqual(fresh.announce.lastPing, fresh.ping);
    const none = listAt(T, { ping: "none" }).list.entry(outpoint)!;
    assert.equal(none.announce.lastPing, null);
    assert.deepEqual(none.ping, EMPTY_PING);
    assert.equal(none.pingHash, pingHash(EMPTY_PING));
  });

  it("builds messages the codec reads back whole, with the hashes the inv names", () => {
    const e = listAt(T, { ping: { staleMinutes: 90 }, addr: { ip: "2001:db8:7e::5", port: 9678 } }).list.entry(outpoint)!;
    const a = decodeAnnounce(encodeAnnounce(e.announce));
    const p = decodePing(encodePing(e.ping));
    assert.ok(a.kind === "ok" && p.kind === "ok");
    assert.deepEqual(a.value, e.announce);
    assert.deepEqual(p.value, e.ping);
    assert.equal(announceHash(a.value), e.announceHash);
    assert.equal(pingHash(p.value), e.pingHash);
    assert.deepEqual([e.announce.collateralPubKey.length, e.announce.smartnodePubKey.length, e.announce.signature.length, e.ping.signature.length], [33, 33, 65, 65]);
    assert.ok([2, 3].includes(e.announce.collateralPubKey[0]!));
    assert.match(e.ping.blockHash, /^000000[0-9a-f]{58}$/);
  });

  it("is deterministic: two lists at the same time give the same bytes; two outpoints give different keys", () => {
    const a = listAt(T, { ping: "fresh" }).list.entry(outpoint)!;
    const b = listAt(T, { ping: "fresh" }).list.entry(outpoint)!;
    assert.deepEqual(encodeAnnounce(a.announce), encodeAnnounce(b.announce));
    const other = { txid: outpoint.txid, index: 2 };
    const { list } = listAt(T, { ping: "fresh" });
    list.set({ outpoint: other, addr, ping: "fresh" });
    assert.notDeepEqual(list.entry(other)!.announce.smartnodePubKey, a.announce.smartnodePubKey);
  });

  it("still finds by hash the messages it handed out after the 20-minute mark has moved the fresh ping", () => {
    const { list, setNow } = listAt(Date.UTC(2024, 4, 1, 10, 39, 59, 900), { ping: "fresh" });
    const before = list.entry(outpoint)!;
    setNow(Date.UTC(2024, 4, 1, 10, 40, 0, 100));
    assert.notEqual(list.entry(outpoint)!.pingHash, before.pingHash);
    assert.deepEqual(list.pingByHash(before.pingHash), before.ping);
    assert.deepEqual(list.announceByHash(before.announceHash), before.announce);
    assert.equal(list.pingByHash(before.announceHash), undefined, "an announce hash names no ping");
    assert.equal(list.announceByHash("00".repeat(32)), undefined);
  });

  it("forgets an outpoint it is told to, and answers undefined for one it never knew", () => {
    const { list } = listAt(T, { ping: "fresh" });
    assert.equal(list.size, 1);
    assert.equal(list.entry({ ...outpoint, index: 9 }), undefined);
    assert.ok(list.remove(outpoint));
    assert.equal(list.entry(outpoint), undefined);
    assert.equal(list.size, 0);
  });

  const bad: [string, ListingScript][] = [
    ["the null outpoint", { outpoint: { txid: "0".repeat(64), index: 0xffffffff }, addr, ping: "fresh" }],
    ["a txid with a quote and CR/LF", { outpoint: { txid: `"\r\n${"a".repeat(61)}`, index: 0 }, addr, ping: "fresh" }],
    ["an address that is not an IP", { outpoint, addr: { ip: "узел.example\n".repeat(1000), port: 9678 }, ping: "fresh" }],
    ["port 0", { outpoint, addr: { ...addr, port: 0 }, ping: "fresh" }],
    ["a negative stale age", { outpoint, addr, ping: { staleMinutes: -1 } }],
    ["a NaN stale age", { outpoint, addr, ping: { staleMinutes: Number.NaN } }],
    ["an unknown ping word", { outpoint, addr, ping: "stale" as PingScript }],
  ];
  for (const [name, script] of bad) {
    it(`refuses ${name} with a usage error that stays short`, () => {
      const list = createNetworkList({ coin: smartcash });
      assert.throws(() => list.set(script), (e: unknown) => isAppError(e) && e.code === "USAGE" && e.message.length < 300);
      assert.equal(list.size, 0);
    });
  }

  it("refuses a coin that has no SmartNode list", () => {
    assert.throws(() => createNetworkList({ coin: findCoin("dash")! }), /no SmartNode list/);
  });
});
