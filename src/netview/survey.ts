/**
 * The Survey over real TCP: the targets in blocks, each block asked of its peers
 * (choose-peers.ts), one connection per (block, peer) about all of the block's nodes (askPeer, a
 * bounded number of connections at a time), then each node's verdict by Core-Smart's rules
 * (rules.ts verdictOf).
 */
import type { CoinProfile } from "../coins/index.ts";
import { systemClock, type Clock } from "../core/clock.ts";
import { InternalError } from "../core/errors.ts";
import { p2pParamsFor } from "../p2p/params.ts";
import { askPeer, MAX_OUTPOINTS_PER_CONNECTION, type AskOptions, type PeerResult } from "./ask-peer.ts";
import { dsegFrame } from "./ask-session.ts";
import { choosePeers, MAX_BLOCK, peerKey } from "./choose-peers.ts";
import type { PeerAnswer, PeerView } from "./model.ts";
import { isNullOutpoint, outpointKey, type Outpoint } from "./outpoint.ts";
import type { NetviewTarget, PeerAddress, Survey, SurveyOptions, TargetVerdict } from "./ports.ts";
import { verdictOf, type RuleParams } from "./rules.ts";

/** Connections open at once: each is one socket and a few KB; a 1,000-node fleet needs some 12. */
export const SURVEY_CONCURRENCY = 32;

export interface SurveyDeps {
  /** Time of the verdicts (states are computed at it). */
  clock?: Clock;
  concurrency?: number;
  userAgent?: string;
}

/** One connection: a peer and its block's outpoints, and what it brought back. */
interface Job {
  peer: PeerAddress;
  /** peerKey(peer): how the verdicts name it. */
  key: string;
  outpoints: Outpoint[];
  result?: PeerResult;
}

const NOT_ASKED: PeerAnswer = { kind: "unreachable", detail: "not asked" };
const NO_ANSWER: PeerAnswer = { kind: "unreachable", detail: "no answer" };

/** The survey for a coin with a SmartNode list; throws InternalError for a coin without one. */
export function createSurvey(coin: CoinProfile, deps: SurveyDeps = {}): Survey {
  const params = p2pParamsFor(coin);
  const { smartnodeList: list, expiry } = coin;
  if (params === undefined || list === undefined || expiry === undefined) throw new InternalError(`coin ${coin.id} has no SmartNode list to ask about`);
  const rules: RuleParams = { expiry, list, p2p: { protocolVersion: params.protocolVersion } };
  const clock = deps.clock ?? systemClock;
  const concurrency = Math.max(1, deps.concurrency ?? SURVEY_CONCURRENCY);
  /** The last survey's dseg frames by outpointKey: the next asks about the same nodes. */
  let frames = new Map<string, Uint8Array>();

  return async (targets, opts: SurveyOptions): Promise<TargetVerdict[]> => {
    const askable = targets.filter((t) => !isNullOutpoint(t.outpoint));
    // A block fits one connection: one job per (block, peer).
    const blocks = choosePeers(askable, opts.peers, opts.fleetPeers, opts.peersPerNode, Math.min(MAX_BLOCK, MAX_OUTPOINTS_PER_CONNECTION));
    // This survey's frames: the last one's where it asked the same outpoints, so nodes no longer asked about drop out.
    const kept = new Map<string, Uint8Array>();
    const frameOf = (key: string, o: Outpoint) => {
      let f = kept.get(key) ?? frames.get(key);
      if (f === undefined) f = dsegFrame(params, o);
      kept.set(key, f);
      return f;
    };
    const askOpts: AskOptions = {
      params,
      list,
      timeoutMs: opts.timeoutMs,
      dsegFrame: frameOf,
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(deps.userAgent ? { userAgent: deps.userAgent } : {}),
    };
    const jobs: Job[] = [];
    const jobsOf = new Map<NetviewTarget, Job[]>();
    for (const block of blocks) {
      const outpoints = distinctOutpoints(block.targets);
      const mine: Job[] = block.peers.map((peer) => ({ peer, key: peerKey(peer), outpoints }));
      jobs.push(...mine);
      for (const t of block.targets) jobsOf.set(t, mine);
    }
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < jobs.length; i = next++) {
        const job = jobs[i]!;
        job.result = opts.signal?.aborted ? { reachable: false, detail: "aborted" } : await askPeer(job.peer, job.outpoints, askOpts);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, worker));
    frames = kept;
    const now = clock.now();
    return targets.map((t) => {
      const key = outpointKey(t.outpoint);
      const peers: PeerView[] = (jobsOf.get(t) ?? []).map((j) => ({ peer: j.key, answer: answerOf(j.result, key) }));
      // No known address (a bare outpoint asked from the command line): nothing to compare the announce with.
      return { nodeId: t.nodeId, verdict: verdictOf(key, peers, now, rules, t.expected.ips.length > 0 ? t.expected : undefined) };
    });
  };
}

/** The peer's answer about one outpoint. */
function answerOf(r: PeerResult | undefined, key: string): PeerAnswer {
  if (r === undefined) return NOT_ASKED;
  if (!r.reachable) return { kind: "unreachable", detail: r.detail };
  return r.answers.get(key) ?? NO_ANSWER;
}

/** The block's outpoints, each once, in order. */
function distinctOutpoints(targets: readonly NetviewTarget[]): Outpoint[] {
  const seen = new Map<string, Outpoint>();
  for (const t of targets) {
    const key = outpointKey(t.outpoint);
    if (!seen.has(key)) seen.set(key, t.outpoint);
  }
  return [...seen.values()];
}
