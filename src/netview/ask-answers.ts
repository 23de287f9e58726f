/**
 * One connection's answer per asked outpoint, from what ask-collect.ts gathered. Pure.
 *
 * listed: an announce that passed the checks (with the fresher of its own ping and the mnp).
 * malformed: this outpoint got a wrong message, or the stream was tainted and nothing valid came
 * for it (a peer that sends garbage does not get to say "not listed").
 * unlisted: the first round settled (every dseg answered) and every entry the peer named
 * arrived, none for this outpoint.
 * unreachable: the connection was cut (deadline, close, abort) before that could be known, or
 * the peer named entries it then did not send (one of them may be this outpoint's).
 */
import type { Collected } from "./ask-collect.ts";
import type { PeerAnswer } from "./model.ts";
import { freshestPing } from "./rules.ts";

export interface AskOutcome extends Collected {
  /** The first round settled: every dseg was read and answered. */
  settled: boolean;
}

/** `cut` says why the connection ended before the questions were done; undefined when they were. */
export function answersOf(s: AskOutcome, cut?: string): Map<string, PeerAnswer> {
  const missing = [...s.entries.keys()].filter((h) => !s.received.has(h)).length;
  const incomplete = !s.settled || missing > 0 ? (cut ?? `the peer did not send ${missing} of the ${s.entries.size} entries it named`) : undefined;
  const answers = new Map<string, PeerAnswer>();
  for (const key of s.asked.keys()) answers.set(key, answerFor(s, key, incomplete));
  return answers;
}

function answerFor(s: AskOutcome, key: string, incomplete: string | undefined): PeerAnswer {
  const wrong = s.wrong.get(key);
  if (wrong !== undefined) return { kind: "malformed", detail: wrong };
  const announce = s.announces.get(key);
  if (announce !== undefined) return { kind: "listed", announce, ping: freshestPing(announce, s.pings.get(key) ?? null) };
  if (s.taint !== undefined) return { kind: "malformed", detail: s.taint };
  if (incomplete !== undefined) return { kind: "unreachable", detail: incomplete };
  if (s.pings.has(key)) return { kind: "malformed", detail: "sent the node's ping (mnp) but not its announce (mnb)" };
  return { kind: "unlisted" };
}
