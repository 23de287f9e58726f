/**
 * bench:netview checks its own answers: every verdict of a survey against what the simulated list
 * holds for the node (bench/lib/netlist.ts). A survey that is fast but wrong must not pass.
 */
import type { NetworkVerdict, PeerAnswer } from "../../src/netview/model.ts";
import { BENCH_P2P_PORT, type BenchListing } from "./netlist.ts";

/** How far a stale ping's age may be from its script: the list builds it when a peer is asked, the verdict is judged at the end of the round. */
const AGE_SLACK_MS = 5 * 60_000;
/** A "fresh" ping is at the last 20-minute mark. */
const FRESH_MS = 20 * 60_000;

/** What is wrong with the verdict, one phrase each; empty when it is what the list says. */
export function verdictErrors(l: BenchListing, v: NetworkVerdict, peersPerNode: number): string[] {
  const errors: string[] = [];
  if (v.state !== l.expected) errors.push(`state ${v.state}, expected ${l.expected}`);
  if (v.peers.length !== peersPerNode) errors.push(`${v.peers.length} peers asked, expected ${peersPerNode}`);
  const bad = v.peers.filter((p) => p.answer.kind !== (l.script === undefined ? "unlisted" : "listed"));
  if (bad.length > 0) errors.push(`peers ${bad.map((p) => `${p.peer} ${answerText(p.answer)}`).join(", ")}`);
  if (l.script === undefined) return errors;

  const addr = `${l.announceIp}:${BENCH_P2P_PORT}`;
  if (v.announced?.addr !== addr) errors.push(`announced at ${v.announced?.addr ?? "nothing"}, expected ${addr}`);
  if (v.disagreement) errors.push("peers disagree (they share one list)");
  const protocolProblem = l.expected === "UPDATE_REQUIRED" ? 1 : 0;
  const ok = v.problems.length === protocolProblem && (protocolProblem === 0 || v.problems[0]!.includes("payments minimum"));
  if (!ok) errors.push(`problems ${JSON.stringify(v.problems)}`);
  const ping = l.script.ping;
  const age = v.lastPingAt === null ? null : v.askedAt - v.lastPingAt;
  if (ping === "none" && age !== null) errors.push(`a last ping ${Math.round(age / 60_000)} min old, the node never pinged`);
  if (ping === "fresh" && !(age !== null && age >= 0 && age < FRESH_MS + AGE_SLACK_MS)) errors.push(`last ping ${age === null ? "none" : `${Math.round(age / 60_000)} min old`}, expected fresh`);
  if (typeof ping === "object" && !(age !== null && Math.abs(age - ping.staleMinutes * 60_000) < AGE_SLACK_MS)) {
    errors.push(`last ping ${age === null ? "none" : `${Math.round(age / 60_000)} min old`}, expected ${ping.staleMinutes}`);
  }
  return errors;
}

function answerText(a: PeerAnswer): string {
  return a.kind === "unreachable" || a.kind === "malformed" ? `${a.kind} (${a.detail.slice(0, 80)})` : a.kind;
}
