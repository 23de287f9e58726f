/**
 * The Survey over real TCP: choose peers per node (choose-peers.ts), ask each peer once about all
 * of its nodes (askPeer, at most MAX_OUTPOINTS_PER_CONNECTION per connection, a bounded number of
 * connections at a time), then each node's verdict by Core-Smart's rules (rules.ts verdictOf).
 */
import type { CoinProfile } from "../coins/index.ts";
import { systemClock, type Clock } from "../core/clock.ts";
import { InternalError } from "../core/errors.ts";
import { p2pParamsFor } from "../p2p/params.ts";
import { askPeer, MAX_OUTPOINTS_PER_CONNECTION, type AskOptions } from "./ask-peer.ts";
import { choosePeers, peerKey } from "./choose-peers.ts";
import type { PeerAnswer, PeerView } from "./model.ts";
import { isNullOutpoint, outpointKey, type Outpoint } from "./outpoint.ts";
import type { PeerAddress, Survey, SurveyOptions, TargetVerdict } from "./ports.ts";
import { verdictOf, type RuleParams } from "./rules.ts";

/** Connections open at once: each is one socket and a few KB; 32 keeps a 1,000-node fleet under a minute. */
export const SURVEY_CONCURRENCY = 32;

export interface SurveyDeps {
  /** Time of the verdicts (states are computed at it). */
  clock?: Clock;
  concurrency?: number;
  userAgent?: string;
}

interface Job {
  peer: PeerAddress;
  outpoints: Outpoint[];
}

/** The survey for a coin with a SmartNode list; throws InternalError for a coin without one. */
export function createSurvey(coin: CoinProfile, deps: SurveyDeps = {}): Survey {
  const params = p2pParamsFor(coin);
  const { smartnodeList: list, expiry } = coin;
  if (params === undefined || list === undefined || expiry === undefined) throw new InternalError(`coin ${coin.id} has no SmartNode list to ask about`);
  const rules: RuleParams = { expiry, list, p2p: { protocolVersion: params.protocolVersion } };
  const clock = deps.clock ?? systemClock;
  const concurrency = Math.max(1, deps.concurrency ?? SURVEY_CONCURRENCY);

  return async (targets, opts: SurveyOptions): Promise<TargetVerdict[]> => {
    const askable = targets.filter((t) => !isNullOutpoint(t.outpoint));
    const choices = choosePeers(askable, opts.peers, opts.fleetPeers, opts.peersPerNode);
    const answers = new Map<string, Map<string, PeerAnswer>>();
    const askOpts: AskOptions = { params, list, timeoutMs: opts.timeoutMs, ...(opts.signal ? { signal: opts.signal } : {}), ...(deps.userAgent ? { userAgent: deps.userAgent } : {}) };
    const jobs = jobsOf(choices.flatMap((c) => c.peers.map((peer) => ({ peer, outpoint: c.target.outpoint }))));
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < jobs.length; i = next++) {
        const job = jobs[i]!;
        const result = opts.signal?.aborted ? { reachable: false as const, detail: "aborted" } : await askPeer(job.peer, job.outpoints, askOpts);
        const got = answers.get(peerKey(job.peer)) ?? new Map<string, PeerAnswer>();
        answers.set(peerKey(job.peer), got);
        for (const o of job.outpoints) {
          const key = outpointKey(o);
          got.set(key, result.reachable ? result.answers.get(key) ?? { kind: "unreachable", detail: "no answer" } : { kind: "unreachable", detail: result.detail });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, worker));
    const now = clock.now();
    const chosen = new Map(choices.map((c) => [c.target, c.peers] as const));
    return targets.map((t) => {
      const key = outpointKey(t.outpoint);
      const peers: PeerView[] = (chosen.get(t) ?? []).map((p) => ({
        peer: peerKey(p),
        answer: answers.get(peerKey(p))?.get(key) ?? { kind: "unreachable", detail: "not asked" },
      }));
      // No known address (a bare outpoint asked from the command line): nothing to compare the announce with.
      return { nodeId: t.nodeId, verdict: verdictOf(key, peers, now, rules, t.expected.ips.length > 0 ? t.expected : undefined) };
    });
  };
}

/** One job per peer and MAX_OUTPOINTS_PER_CONNECTION outpoints. */
function jobsOf(pairs: readonly { peer: PeerAddress; outpoint: Outpoint }[]): Job[] {
  const byPeer = new Map<string, { peer: PeerAddress; outpoints: Map<string, Outpoint> }>();
  for (const { peer, outpoint } of pairs) {
    const group = byPeer.get(peerKey(peer)) ?? { peer, outpoints: new Map() };
    byPeer.set(peerKey(peer), group);
    group.outpoints.set(outpointKey(outpoint), outpoint);
  }
  return [...byPeer.values()].flatMap(({ peer, outpoints }) => {
    const all = [...outpoints.values()];
    return Array.from({ length: Math.ceil(all.length / MAX_OUTPOINTS_PER_CONNECTION) }, (_, i) => ({
      peer,
      outpoints: all.slice(i * MAX_OUTPOINTS_PER_CONNECTION, (i + 1) * MAX_OUTPOINTS_PER_CONNECTION),
    }));
  });
}
