import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { InternalError } from "../core/errors.ts";
import { closedPort } from "../scan/loopback.test-support.ts";
import { askPeer, type AskOptions, type PeerResult } from "./ask-peer.ts";
import type { PeerAnswer } from "./model.ts";
import { outpointKey, type Outpoint } from "./outpoint.ts";
import { fakeEntry, list, params, startTestPeer, testOutpoint, type PeerEntry, type TestPeerOptions } from "./peer.test-support.ts";

const opts: AskOptions = { params, list, timeoutMs: 5_000 };

function answers(r: PeerResult): Map<string, PeerAnswer> {
  assert.equal(r.reachable, true, r.reachable ? "" : r.detail);
  return (r as Extract<PeerResult, { reachable: true }>).answers;
}

function entries(...es: PeerEntry[]): Map<string, PeerEntry> {
  return new Map(es.map((e) => [outpointKey(e.announce.outpoint), e]));
}

async function ask(peerOpts: TestPeerOptions, outpoints: Outpoint[], o: Partial<AskOptions> = {}) {
  const peer = await startTestPeer(peerOpts);
  try {
    const result = await askPeer({ host: peer.host, port: peer.port }, outpoints, { ...opts, ...o });
    return { result, peer };
  } finally {
    await peer.close();
  }
}

describe("askPeer over TCP", () => {
  it("asks about several outpoints on one connection: the listed ones come with their announce and freshest ping, the others are unlisted", async () => {
    const [a, b, c] = [testOutpoint(0), testOutpoint(1), testOutpoint(7)];
    const ea = fakeEntry(a, { pingAgeMinutes: 4, ip: "198.51.100.20" });
    const eb = fakeEntry(b, { pingAgeMinutes: 70 });
    const { result, peer } = await ask({ entries: entries(ea, eb) }, [a, b, c, a]);
    const got = answers(result);
    assert.equal(peer.connections, 1);
    assert.deepEqual([...peer.dsegs].sort(), [a, b, c].map(outpointKey).sort(), "one dseg per distinct outpoint");
    const la = got.get(outpointKey(a));
    assert.equal(la?.kind, "listed");
    assert.deepEqual(la.announce.addr, { ip: "198.51.100.20", port: 9678 });
    assert.equal(la.ping?.sigTime, ea.ping!.sigTime);
    assert.equal(got.get(outpointKey(b))?.kind, "listed");
    assert.deepEqual(got.get(outpointKey(c)), { kind: "unlisted" });
    assert.equal(got.size, 3);
  });

  it("waits out invs that arrive after the pong (they leave from SendMessages)", async () => {
    const a = testOutpoint();
    const { result } = await ask({ entries: entries(fakeEntry(a, { pingAgeMinutes: 1 })), invDelayMs: 250 }, [a]);
    assert.equal(answers(result).get(outpointKey(a))?.kind, "listed");
  });

  it("fetches relayed entries of other nodes without holding them against the peer", async () => {
    const a = testOutpoint();
    const relay = [fakeEntry(testOutpoint(), { pingAgeMinutes: 2 }), fakeEntry(testOutpoint(), { pingAgeMinutes: 9 })];
    const { result } = await ask({ entries: entries(fakeEntry(a, { pingAgeMinutes: 3 })), relay }, [a, testOutpoint()]);
    const kinds = [...answers(result).values()].map((x) => x.kind);
    assert.deepEqual(kinds, ["listed", "unlisted"]);
  });

  it("calls an announce malformed when its own hash is not the one its inv named", async () => {
    const a = testOutpoint();
    const { result } = await ask({ entries: entries(fakeEntry(a, { pingAgeMinutes: 3 })), mode: "tamper-mnb" }, [a]);
    const x = answers(result).get(outpointKey(a));
    assert.equal(x?.kind, "malformed");
    assert.match(x.detail, /announce \(mnb, hash [0-9a-f]{64}\) that none of the inv entries we fetched named/);
  });

  it("calls every unlisted outpoint malformed when the peer sends bytes that do not decode", async () => {
    const [a, b] = [testOutpoint(), testOutpoint()];
    const { result } = await ask({ entries: entries(fakeEntry(a, { pingAgeMinutes: 3 })), mode: "junk-mnb" }, [a, b]);
    const got = answers(result);
    for (const o of [a, b]) {
      const x = got.get(outpointKey(o));
      assert.equal(x?.kind, "malformed");
      assert.match(x.detail, /an mnb that does not decode: mnb\./);
    }
  });

  it("stops at a header announcing 10 MB without reading it, and says so", async () => {
    const a = testOutpoint();
    const { result } = await ask({ entries: entries(fakeEntry(a, { pingAgeMinutes: 3 })), mode: "huge-length" }, [a]);
    const x = answers(result).get(outpointKey(a));
    assert.equal(x?.kind, "malformed");
    assert.match(x.detail, /payload length 10485760 is above this reader's cap/);
  });

  it("gives up on a peer that accepts and never answers, at the deadline", async () => {
    const { result } = await ask({ mode: "silent" }, [testOutpoint()], { timeoutMs: 300 });
    assert.deepEqual(result, { reachable: false, detail: "no complete answer within 300 ms" });
  });

  it("calls the outpoints unreachable when the peer handshakes and then never answers", async () => {
    const a = testOutpoint();
    const { result } = await ask({ mode: "mute" }, [a], { timeoutMs: 400 });
    assert.deepEqual(answers(result).get(outpointKey(a)), { kind: "unreachable", detail: "no complete answer within 400 ms" });
  });

  it("reports a refused connection as unreachable, with the socket's reason", async () => {
    const port = await closedPort("127.0.0.1");
    const r = await askPeer({ host: "127.0.0.1", port }, [testOutpoint()], opts);
    assert.equal(r.reachable, false);
    assert.match(r.reachable ? "" : r.detail, /^refused: .*ECONNREFUSED/);
  });

  it("answers a port no connection can use with a value, not an exception", async () => {
    assert.deepEqual(await askPeer({ host: "127.0.0.1", port: 99_999 }, [testOutpoint()], opts), { reachable: false, detail: "port 99999 is not 1–65535" });
  });

  it("ends at once when aborted", async () => {
    const peer = await startTestPeer({ mode: "silent" });
    try {
      const ctl = new AbortController();
      const pending = askPeer({ host: peer.host, port: peer.port }, [testOutpoint()], { ...opts, timeoutMs: 60_000, signal: ctl.signal });
      setTimeout(() => ctl.abort(), 50);
      assert.deepEqual(await pending, { reachable: false, detail: "aborted" });
    } finally {
      await peer.close();
    }
  });

  it("refuses the null outpoint and more than 500 outpoints before connecting", async () => {
    const peer = await startTestPeer();
    try {
      const at = { host: peer.host, port: peer.port };
      assert.throws(() => askPeer(at, [testOutpoint(), { txid: "0".repeat(64), index: 0xffffffff }], opts), InternalError);
      assert.throws(() => askPeer(at, Array.from({ length: 501 }, (_, i) => testOutpoint(i)), opts), /at most 500 outpoints/);
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(peer.connections, 0);
    } finally {
      await peer.close();
    }
  });
});
