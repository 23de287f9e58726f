import { InternalError } from "../core/errors.ts";
import { clip } from "../core/safe-text.ts";
import type { ProbeRecord } from "../watch/model.ts";

/**
 * The verdict of several vantages on one node, pure. The leader feeds it to the same state
 * machine a single watcher always used (watch/state.ts observe), so hysteresis, incidents and
 * escalations are unchanged; only what counts as "this probe failed" changes: a quorum of the
 * vantages that can be trusted right now. With one voter the verdict is the own probe itself, so a
 * single watcher (or a fleet whose other vantages are all lost) behaves exactly as before.
 */

/**
 * How many failing votes make the verdict "failed": "majority" is ceil(n/2) of the n voters, so a
 * tie counts as down (as a lone watcher's failure always did: missing a real outage costs a
 * masternode its reward, a false alarm costs a look); a number k is min(k, n), so losing vantages
 * never makes a node impossible to call down.
 */
export type QuorumRule = "majority" | number;

/** A vantage's newest result for a node (fleet/ports.ts VantageProbe has this shape and more). */
export type VantageResult = ProbeRecord & { vantage: string };

export interface Vote {
  vantage: string;
  ok: boolean;
  /** When that vantage probed. */
  at: number;
  cause: string | null;
}

/** A vantage whose result was left out: it is not live (liveness.ts), or its result is too old or too far ahead. */
export interface Abstention {
  vantage: string;
  why: "not-live" | "stale";
}

export interface QuorumInput {
  /** The watcher's own new result for the node: it always counts. */
  own: ProbeRecord;
  ownVantage: string;
  /**
   * The other vantages' newest results. Rows of other nodes and of `ownVantage` are ignored, and
   * of several rows of one vantage the newest counts, so the caller may pass what it has.
   */
  others: readonly VantageResult[];
  /** Vantages that may vote now (liveness.ts liveNames). */
  live: ReadonlySet<string>;
  /** A result counts when its time is within this of the own probe's (2 probe intervals). */
  freshMs: number;
  rule: QuorumRule;
}

export interface QuorumVerdict {
  /** What to feed the state machine: `at` is always the own probe's. */
  verdict: ProbeRecord;
  /** Who voted what: the own vote first, then the others by vantage name. */
  votes: Vote[];
  abstained: Abstention[];
  failing: number;
  /** Failing votes that make the verdict "failed". */
  needed: number;
}

/** Longest vantage name quoted in a cause; the whole cause is clipped at CAUSE_MAX code points. */
const NAME_MAX = 64;
const CAUSE_MAX = 500;

export function quorumVerdict(input: QuorumInput): QuorumVerdict {
  const { own } = input;
  const abstained: Abstention[] = [];
  const counted: VantageResult[] = [];
  for (const r of newestPerVantage(input)) {
    if (!input.live.has(r.vantage)) abstained.push({ vantage: r.vantage, why: "not-live" });
    else if (Math.abs(own.at - r.at) > input.freshMs) abstained.push({ vantage: r.vantage, why: "stale" });
    else counted.push(r);
  }
  const voters: VantageResult[] = [{ ...own, vantage: input.ownVantage }, ...counted];
  const votes = voters.map((v) => ({ vantage: v.vantage, ok: v.ok, at: v.at, cause: v.cause }));
  const failing = voters.filter((v) => !v.ok).length;
  const needed = neededToFail(input.rule, voters.length);
  return { verdict: decide(own, voters, failing >= needed), votes, abstained, failing, needed };
}

export function neededToFail(rule: QuorumRule, voters: number): number {
  if (rule === "majority") return Math.ceil(voters / 2);
  if (!Number.isSafeInteger(rule) || rule < 1) throw new InternalError(`a quorum must be "majority" or a whole number ≥ 1, got ${rule}`);
  return Math.min(rule, voters);
}

function decide(own: ProbeRecord, voters: readonly VantageResult[], failed: boolean): ProbeRecord {
  if (failed === !own.ok) {
    // The own result agrees with the verdict (always, with one voter): it is the verdict, its
    // evidence kept; byte for byte unless other vantages' failures join the cause.
    return failed && voters.length > 1 ? { ...own, cause: failedCause(voters) } : { ...own };
  }
  if (failed) {
    return { nodeId: own.nodeId, at: own.at, ok: false, cause: failedCause(voters), latencyMs: null, height: null, protocolVersion: null };
  }
  const freshestOk = voters.filter((v) => v.ok).sort((a, b) => b.at - a.at || order(a.vantage, b.vantage))[0]!;
  return { nodeId: own.nodeId, at: own.at, ok: true, cause: null, latencyMs: freshestOk.latencyMs, height: freshestOk.height, protocolVersion: freshestOk.protocolVersion };
}

/** "p2p timeout (fra-1, sgp-1); tcp 9678 refused (ams-1)": each cause once, with the vantages that saw it, in vote order. */
function failedCause(voters: readonly VantageResult[]): string {
  const byCause = new Map<string, string[]>();
  for (const v of voters) {
    if (v.ok) continue;
    const cause = v.cause ?? "probe failed";
    const names = byCause.get(cause) ?? [];
    names.push(clip(v.vantage, NAME_MAX));
    byCause.set(cause, names);
  }
  return clip([...byCause].map(([cause, names]) => `${cause} (${names.join(", ")})`).join("; "), CAUSE_MAX);
}

/** Each other vantage's newest result for the node, by vantage name. */
function newestPerVantage(input: QuorumInput): VantageResult[] {
  const newest = new Map<string, VantageResult>();
  for (const r of input.others) {
    if (r.nodeId !== input.own.nodeId || r.vantage === input.ownVantage) continue;
    const kept = newest.get(r.vantage);
    if (kept === undefined || r.at > kept.at) newest.set(r.vantage, r);
  }
  return [...newest.values()].sort((a, b) => order(a.vantage, b.vantage));
}

function order(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
