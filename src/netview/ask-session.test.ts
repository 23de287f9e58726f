import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { FrameEvent } from "../p2p/frame-reader.ts";
import { encodePayload, type P2pMessage } from "../p2p/messages.ts";
import { answersOf } from "./ask-answers.ts";
import { askFrame, askWake, MAX_ROUNDS, QUIET_MS, SETTLE_MAX_MS, startAsk, type AskConfig, type AskState } from "./ask-session.ts";
import { announceHash, encodeAnnounce, encodeInv, pingHash } from "./codec.ts";
import { outpointKey } from "./outpoint.ts";
import { fakeEntry, list, params, testOutpoint } from "./peer.test-support.ts";

let nonce = 100n;
const cfg: AskConfig = { p2p: params, list, nonce: () => ++nonce };
const msg = (m: P2pMessage): FrameEvent => ({ kind: "message", command: m.type === "other" ? m.command : m.type, payload: encodePayload(m, params) });
const inv = (hashes: string[], type = list.pingInv): FrameEvent => msg({ type: "other", command: "inv", payload: encodeInv(hashes.map((hash) => ({ type, hash }))) });

/** A session past the handshake, its first ping sent. */
function asking(n = 1): AskState {
  const s = startAsk(Array.from({ length: n }, () => testOutpoint()));
  s.phase = "asking";
  s.awaited = ++nonce;
  return s;
}

describe("the ask session", () => {
  it("ends a round SETTLE_MAX_MS after the pong even while relayed invs keep coming", () => {
    const s = asking();
    askFrame(s, msg({ type: "pong", nonce: s.awaited! }), 0, cfg);
    let t = 0;
    for (let i = 0; t < SETTLE_MAX_MS; i++) {
      t += QUIET_MS / 2;
      const step = askFrame(s, inv([i.toString(16).padStart(64, "0")]), t, cfg);
      assert.ok(step.wakeAt !== undefined && step.wakeAt <= SETTLE_MAX_MS);
    }
    const step = askWake(s, SETTLE_MAX_MS, cfg);
    assert.equal(step.send[0]?.type, "other", "the getdata round starts");
    assert.equal(s.rounds, 1);
  });

  it("does not end a round before its pong, whatever the timers say", () => {
    const s = asking();
    askFrame(s, inv(["ab".repeat(32)]), 10, cfg);
    assert.deepEqual(askWake(s, 10_000, cfg), { send: [] });
    askFrame(s, msg({ type: "pong", nonce: 999n }), 20, cfg);
    assert.deepEqual(askWake(s, 10_000, cfg), { send: [] }, "a pong with another nonce is not ours");
  });

  it("finishes as soon as the getdata round's pong is in and every entry named has come", () => {
    const s = asking();
    const o = [...s.asked.values()][0]!;
    const e = fakeEntry(o, { pingAgeMinutes: 5 });
    askFrame(s, msg({ type: "pong", nonce: s.awaited! }), 0, cfg);
    askFrame(s, inv([announceHash(e.announce)], list.announceInv), 5, cfg);
    const round = askWake(s, 5 + QUIET_MS, cfg);
    assert.equal(round.send.length, 2);
    askFrame(s, msg({ type: "other", command: "mnb", payload: encodeAnnounce(e.announce) }), 500, cfg);
    const end = askFrame(s, msg({ type: "pong", nonce: s.awaited! }), 510, cfg);
    assert.deepEqual(end.end, { kind: "finished" });
    assert.equal(answersOf(s).get(outpointKey(o))?.kind, "listed");
  });

  it("stops chasing late invs after MAX_ROUNDS getdata rounds, and does not call the rest unlisted", () => {
    const s = asking();
    let t = 0;
    for (let round = 0; round <= MAX_ROUNDS; round++) {
      askFrame(s, msg({ type: "pong", nonce: s.awaited! }), t, cfg);
      askFrame(s, inv([pingHash({ ...fakeEntry(testOutpoint(), { pingAgeMinutes: round }).ping! })]), t + 1, cfg);
      t += SETTLE_MAX_MS;
      const step = askWake(s, t, cfg);
      if (round < MAX_ROUNDS) assert.equal(step.send.length, 2, `round ${round + 1}`);
      else assert.deepEqual(step.end, { kind: "finished" });
    }
    assert.equal(s.rounds, MAX_ROUNDS);
    const [answer] = answersOf(s).values();
    assert.equal(answer?.kind, "unreachable", "entries named and never sent may be this outpoint's");
  });

  it("answers the peer's pings during and after the handshake", () => {
    const s = startAsk([testOutpoint()]);
    assert.deepEqual(askFrame(s, msg({ type: "ping", nonce: 5n }), 0, cfg).send, [{ type: "pong", nonce: 5n }]);
    s.phase = "asking";
    assert.deepEqual(askFrame(s, msg({ type: "ping", nonce: 6n }), 0, cfg).send, [{ type: "pong", nonce: 6n }]);
  });
});
