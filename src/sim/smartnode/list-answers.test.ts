import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { findCoin } from "../../coins/index.ts";
import type { FrameEvent } from "../../p2p/frame-reader.ts";
import { encodePayload, type P2pMessage } from "../../p2p/messages.ts";
import { p2pParamsFor, type P2pParams } from "../../p2p/params.ts";
import { ByteWriter } from "../../p2p/wire.ts";
import { decodeAnnounce, decodeInv, decodePing, encodeDseg, encodeInv, type InvEntry } from "../../netview/codec.ts";
import { txidToWire, type Outpoint } from "../../netview/outpoint.ts";
import { unsentAddress } from "./list-answers.ts";
import { createNetworkList, type NetworkList } from "./network-list.ts";
import { initialResponderState, respond, type ResponderConfig, type ResponderState, type ResponderStep } from "./responder.ts";

const coin = findCoin("smartcash")!;
const smartcash = p2pParamsFor(coin) as P2pParams;
const { announceInv, pingInv } = coin.smartnodeList!;
const T = Date.UTC(2024, 4, 1, 10, 37, 12);
const listed: Outpoint = { txid: "ab".repeat(32), index: 0 };
const privateAddr: Outpoint = { txid: "cd".repeat(32), index: 3 };
const unknown: Outpoint = { txid: "ef".repeat(32), index: 1 };

function network(): NetworkList {
  const list = createNetworkList({ coin, now: () => T });
  list.set({ outpoint: listed, addr: { ip: "198.18.0.9", port: 9678 }, ping: { staleMinutes: 70 } });
  list.set({ outpoint: privateAddr, addr: { ip: "192.168.1.20", port: 9678 }, ping: "fresh" });
  return list;
}

const msg = (m: P2pMessage): FrameEvent => ({ kind: "message", command: m.type === "other" ? m.command : m.type, payload: encodePayload(m, smartcash) });
const other = (command: string, payload: Uint8Array): FrameEvent => ({ kind: "message", command, payload });
const version = msg({ type: "version", version: { version: 90035, services: 0n, timestamp: 0n, addrRecv: { services: 0n, ip: "127.0.0.1", port: 9678 }, addrFrom: { services: 0n, ip: "::", port: 0 }, nonce: 3n, userAgent: "/nodeward:0.1.0/", startHeight: 0, relay: false } });
const verack = msg({ type: "verack" });
const dseg = (o: Outpoint) => other("dseg", encodeDseg(o));
const nullDseg = other("dseg", new ByteWriter(36).bytes(new Uint8Array(32)).u32le(0xffffffff).finish());
const getdata = (entries: InvEntry[]) => other("getdata", encodeInv(entries));

function configOf(list: NetworkList | undefined, synced = true): ResponderConfig {
  return { params: smartcash, protocolVersion: 90035, userAgent: "/SmartCash Core:2.1.1/", height: 1, services: 5n, nowSeconds: 1n, nonce: 9n, smartnodes: { synced, lookup: list } };
}

/** The steps after a handshake, one per event. */
function afterHandshake(events: FrameEvent[], config: ResponderConfig): ResponderStep[] {
  let state: ResponderState = initialResponderState();
  return [version, verack, ...events].map((e) => {
    const step = respond(state, e, config);
    state = step.state;
    return step;
  }).slice(2);
}

/** "command" or "command(payload decoded)" for each message sent. */
function sent(step: ResponderStep): { command: string; payload: Uint8Array }[] {
  return step.actions.flatMap((a) => (a.kind === "send" && a.message.type === "other" ? [{ command: a.message.command, payload: a.message.payload }] : a.kind === "send" ? [{ command: a.message.type, payload: new Uint8Array(0) }] : []));
}

describe("a simulated node answering about its SmartNode list", () => {
  it("answers dseg for a listed outpoint with one inv: the announce's hash then the ping's, SmartCash's inv types", () => {
    const list = network();
    const [step] = afterHandshake([dseg(listed)], configOf(list));
    const out = sent(step!);
    assert.deepEqual(out.map((m) => m.command), ["inv"]);
    const inv = decodeInv(out[0]!.payload);
    const want = list.entry(listed)!;
    assert.ok(inv.kind === "ok");
    assert.deepEqual(inv.value, [{ type: announceInv, hash: want.announceHash }, { type: pingInv, hash: want.pingHash }]);
    assert.deepEqual([announceInv, pingInv], [0x4000000e, 0x4000000f]);
    assert.equal(step!.outcome, "dseg");
  });

  const silent: [string, FrameEvent, ResponderConfig, string][] = [
    ["an unknown outpoint", dseg(unknown), configOf(network()), "dseg"],
    ["a listed outpoint while the node is not synced", dseg(listed), configOf(network(), false), "dseg"],
    ["an entry whose address is RFC 1918 (SyncSingle never sends those)", dseg(privateAddr), configOf(network()), "dseg"],
    ["any outpoint when the node keeps no list", dseg(listed), configOf(undefined), "dseg"],
    ["the null outpoint (the whole list), counted as a list request", nullDseg, configOf(network()), "list-request"],
    ["the null outpoint while not synced, counted all the same", nullDseg, configOf(network(), false), "list-request"],
    ["a short dseg while not synced (the node returns before reading it)", other("dseg", new Uint8Array(7)), configOf(network(), false), "dseg"],
  ];
  for (const [name, event, config, outcome] of silent) {
    it(`sends nothing at all for ${name}`, () => {
      const [step] = afterHandshake([event], config);
      assert.deepEqual(step!.actions, []);
      assert.equal(step!.outcome, outcome);
    });
  }

  it("reads a CTxIn in dseg from a peer at protocol 90025, as Core-Smart does", () => {
    const list = network();
    const txIn = new ByteWriter(41).bytes(txidToWire(listed.txid)).u32le(listed.index).compactSize(0).u32le(0xffffffff).finish();
    let state = respond(initialResponderState(), version, configOf(list)).state;
    state = { ...state, peerVersion: 90025 };
    state = respond(state, verack, configOf(list)).state;
    const step = respond(state, other("dseg", txIn), configOf(list));
    assert.deepEqual(sent(step).map((m) => m.command), ["inv"]);
  });

  it("rejects a synced node's short dseg as Core's parser does: 0x01 error parsing message", () => {
    const [step] = afterHandshake([other("dseg", new Uint8Array(7))], configOf(network()));
    const first = step!.actions[0];
    assert.ok(first?.kind === "send" && first.message.type === "reject");
    assert.deepEqual(first.message.reject, { message: "dseg", code: 1, reason: "error parsing message" });
  });

  it("ignores dseg and getdata before the handshake is done", () => {
    const list = network();
    let state = respond(initialResponderState(), version, configOf(list)).state;
    for (const e of [dseg(listed), getdata([{ type: announceInv, hash: "00".repeat(32) }])]) {
      const step = respond(state, e, configOf(list));
      state = step.state;
      assert.deepEqual([step.actions, step.outcome], [[], undefined]);
    }
  });

  it("answers getdata with mnb then mnp, the exact messages the list holds, in the order asked", () => {
    const list = network();
    const [inv, data] = afterHandshake([dseg(listed), getdata([])], configOf(list));
    const entries = decodeInv(sent(inv!)[0]!.payload);
    assert.ok(entries.kind === "ok");
    const [step] = afterHandshake([getdata([...entries.value].reverse())], configOf(list));
    const out = sent(step!);
    assert.deepEqual(out.map((m) => m.command), ["mnp", "mnb"]);
    const want = list.entry(listed)!;
    assert.deepEqual(decodePing(out[0]!.payload), { kind: "ok", value: want.ping });
    assert.deepEqual(decodeAnnounce(out[1]!.payload), { kind: "ok", value: want.announce });
    assert.equal(T / 1000 - want.ping.sigTime, 70 * 60);
    assert.deepEqual([data!.actions, data!.outcome], [[], "getdata"], "an empty getdata gets nothing");
  });

  it("answers getdata even when not synced (ProcessGetData does not ask), and notfound for what it never saw", () => {
    const list = network();
    const known = list.entry(listed)!;
    const ghost = { type: pingInv, hash: "11".repeat(32) };
    const swapped = { type: pingInv, hash: known.announceHash };
    const [step] = afterHandshake([getdata([ghost, { type: announceInv, hash: known.announceHash }, swapped, { type: 1, hash: known.pingHash }])], configOf(list, false));
    const out = sent(step!);
    assert.deepEqual(out.map((m) => m.command), ["mnb", "notfound"]);
    assert.deepEqual(decodeInv(out[1]!.payload), { kind: "ok", value: [ghost, swapped, { type: 1, hash: known.pingHash }] });
  });

  it("finds nothing for getdata when the node keeps no list", () => {
    const [step] = afterHandshake([getdata([{ type: announceInv, hash: "22".repeat(32) }])], configOf(undefined));
    assert.deepEqual(sent(step!).map((m) => m.command), ["notfound"]);
  });

  it("rejects a truncated getdata and ignores one that claims more than 50,000 entries", () => {
    const [short, huge] = afterHandshake([other("getdata", Uint8Array.of(2, 1, 2, 3)), other("getdata", Uint8Array.of(0xfe, 0xff, 0xff, 0xff, 0x00))], configOf(network()));
    assert.deepEqual(sent(short!).map((m) => m.command), ["reject"]);
    assert.deepEqual([huge!.actions, huge!.outcome], [[], "getdata"]);
  });

  const addresses: [string, boolean][] = [
    ["10.0.0.1", true], ["172.16.0.1", true], ["172.31.255.255", true], ["172.32.0.1", false], ["192.168.0.1", true], ["127.0.0.1", true],
    ["0.1.2.3", true], ["::1", true], ["::ffff:10.1.2.3", true], ["198.18.0.1", false], ["2001:db8::1", false], ["203.0.113.5", false],
  ];
  for (const [ip, want] of addresses) {
    it(`${want ? "never hands out" : "hands out"} an entry at ${ip}`, () => assert.equal(unsentAddress(ip), want));
  }
});
