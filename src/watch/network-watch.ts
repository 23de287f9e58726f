import type { AlertEvent } from "../alerts/event.ts";
import type { Clock } from "../core/clock.ts";
import type { Logger } from "../core/logger.ts";
import type { NetviewConfig, SmartnodeEntry } from "../netview/config.ts";
import { parseDetail } from "../netview/detail.ts";
import type { NetworkVerdict } from "../netview/model.ts";
import type { NetviewRecord, NetviewStore, PeerAddress, Survey } from "../netview/ports.ts";
import type { WatchedNode } from "./engine.ts";
import type { NodeWatchState, ProbeRecord } from "./model.ts";
import { track, type ConditionRules } from "./network-condition.ts";
import { fleetPeers, matchTargets, parsePeer } from "./network-targets.ts";
import type { ExpiryRule } from "./reward-clock.ts";

/** The latest the watcher knows of a node's standing in the network: for /metrics and the dashboard. */
export interface NetworkView {
  record: NetviewRecord;
  /** Peers that answered about the node (listed it or not); null when read back from the store without detail. */
  peersAnswered: number | null;
}

export interface NetworkWatchDeps {
  /** The engine's current fleet and what it knows of each node. */
  engine: {
    nodes(): readonly WatchedNode[];
    state(nodeId: string): NodeWatchState | undefined;
    latest(nodeId: string): ProbeRecord | undefined;
  };
  smartnodes: readonly SmartnodeEntry[];
  netview: Pick<NetviewConfig, "peers" | "peersPerNode" | "timeoutSeconds" | "unseenAfterMinutes">;
  /** The coin's P2P port: where the network should have each node, and where our nodes are asked. */
  p2pPort: number;
  expiry: ExpiryRule;
  survey: Survey;
  store: NetviewStore;
  alerts: { enqueue(events: readonly AlertEvent[]): Promise<number> };
  clock: Pick<Clock, "now">;
  log: Logger;
}

/**
 * Asks the network about every watched node with a collateral, every netview.intervalSeconds, and
 * alerts on what it says (network-condition.ts decides). Network outcomes never end a run: a peer
 * that does not answer is part of the verdict, a survey that fails is logged and tried at the next
 * interval. The records live here first: a store that fails (the daemon's storage fault raises the
 * `storage` watcher fault) costs a save, not the conditions, and the next run saves them all again.
 */
export class NetworkWatch {
  readonly #d: NetworkWatchDeps;
  readonly #views = new Map<string, NetworkView>();
  readonly #peers: PeerAddress[];
  readonly #rules: ConditionRules;
  /** What was last said about smartnodes entries that match no node, so the log says it once per change. */
  #said = "";

  constructor(deps: NetworkWatchDeps) {
    this.#d = deps;
    this.#rules = { unseenAfterMinutes: deps.netview.unseenAfterMinutes, expiry: deps.expiry };
    this.#peers = deps.netview.peers.flatMap((p) => parsePeer(p) ?? []);
  }

  views(): ReadonlyMap<string, NetworkView> {
    return this.#views;
  }

  /** One round: ask, decide, alert, save, prune. */
  async run(signal: AbortSignal): Promise<void> {
    const d = this.#d;
    const nodes = d.engine.nodes();
    const matched = matchTargets(nodes, d.smartnodes, d.p2pPort);
    this.#sayUnmatched(matched.unmatched, matched.duplicates);
    const watched = new Set(matched.targets.map((t) => t.nodeId));
    await this.refresh();
    for (const id of this.#views.keys()) if (!watched.has(id)) this.#views.delete(id);
    await this.#store("prune", () => d.store.pruneNetview([...watched]));
    if (matched.targets.length === 0) return;

    const answers = (id: string) => d.engine.latest(id)?.protocolVersion != null;
    let verdicts: Map<string, NetworkVerdict>;
    try {
      const got = await d.survey(matched.targets, {
        peers: this.#peers,
        fleetPeers: fleetPeers(nodes, answers, d.p2pPort),
        peersPerNode: d.netview.peersPerNode,
        timeoutMs: d.netview.timeoutSeconds * 1000,
        signal,
      });
      verdicts = new Map(got.map((v) => [v.nodeId, v.verdict]));
    } catch (e) {
      if (signal.aborted) return;
      d.log.error({ error: (e as Error).message, nodes: matched.targets.length }, "the network could not be asked; trying again at the next interval");
      return;
    }
    if (signal.aborted) return;
    this.#sayUnanswered([...verdicts.values()]);

    const byId = new Map(nodes.map((n) => [n.nodeId, n]));
    const events: AlertEvent[] = [];
    const next: NetworkView[] = [];
    for (const target of matched.targets) {
      const verdict = verdicts.get(target.nodeId);
      const node = byId.get(target.nodeId);
      if (verdict === undefined || node === undefined) continue;
      const step = track(
        {
          target,
          node: { id: node.nodeId, name: node.name, address: node.address },
          verdict,
          reachable: d.engine.state(target.nodeId)?.health === "up",
          previous: this.#views.get(target.nodeId)?.record,
        },
        this.#rules,
      );
      events.push(...step.events);
      next.push({ record: step.record, peersAnswered: answeredOf(verdict) });
    }
    // Queued before the records are saved (as the engine does): a kill between the two derives the
    // same alerts again from the old records, with the same keys, never saved records whose alerts were lost.
    if (events.length > 0) {
      await d.alerts.enqueue(events);
      for (const e of events) d.log.warn({ node: "node" in e ? e.node.name : undefined, event: e.kind }, "the network's view of a node changed");
    }
    for (const v of next) this.#views.set(v.record.nodeId, v);
    await this.#store("save", () => d.store.saveNetview(next.map((v) => v.record)));
  }

  /**
   * Takes the store's records where they are newer than the ones held: after a restart, and when
   * another watcher of a fleet led meanwhile (a follower calls this alone, for its /metrics).
   */
  async refresh(): Promise<void> {
    let stored: NetviewRecord[];
    try {
      stored = await this.#d.store.latestNetview();
    } catch (e) {
      this.#d.log.warn({ error: (e as Error).message }, "the stored network view cannot be read; going on with the one held");
      return;
    }
    for (const record of stored) {
      const held = this.#views.get(record.nodeId);
      if (held !== undefined && held.record.askedAt >= record.askedAt) continue;
      const detail = parseDetail(record.detail);
      this.#views.set(record.nodeId, { record, peersAnswered: detail === null ? null : detail.peers.filter((p) => p.answer === "listed" || p.answer === "unlisted").length });
    }
  }

  async #store(what: string, write: () => Promise<unknown>): Promise<void> {
    try {
      await write();
    } catch (e) {
      this.#d.log.warn({ error: (e as Error).message }, `the network view could not ${what === "save" ? "be saved" : "prune its rows"}; it is held in memory and saved at the next interval`);
    }
  }

  /**
   * A network view that never gets an answer must not pass for a quiet one: when no peer could be
   * asked, or none answered, about any node, the log says why at every round (UNKNOWN alerts nothing).
   */
  #sayUnanswered(verdicts: readonly NetworkVerdict[]): void {
    if (verdicts.length === 0 || verdicts.some((v) => v.state !== "UNKNOWN")) return;
    const asked = new Set(verdicts.flatMap((v) => v.peers.map((p) => p.peer)));
    if (asked.size === 0) {
      this.#d.log.error({ nodes: verdicts.length }, "no peer to ask about the nodes (the fleet has no other answering node and netview.peers is empty): add SmartCash peers under netview.peers");
    } else {
      const why = verdicts[0]!.peers.map((p) => (p.answer.kind === "unreachable" || p.answer.kind === "malformed" ? `${p.peer}: ${p.answer.detail}` : p.peer)).slice(0, 3);
      this.#d.log.error({ nodes: verdicts.length, peers: asked.size, why }, "no peer answered about any node: the network's view is unknown");
    }
  }

  #sayUnmatched(unmatched: readonly SmartnodeEntry[], duplicates: readonly SmartnodeEntry[]): void {
    const text = JSON.stringify([unmatched.map((e) => e.alias), duplicates.map((e) => e.alias)]);
    if (text === this.#said) return;
    this.#said = text;
    if (unmatched.length > 0) this.#d.log.warn({ aliases: unmatched.map((e) => e.alias), addresses: unmatched.map((e) => e.address) }, "smartnodes entries whose IP no watched node has: the network is not asked about them");
    if (duplicates.length > 0) this.#d.log.warn({ aliases: duplicates.map((e) => e.alias) }, "smartnodes entries naming an IP or a collateral an earlier entry already names: left out");
  }
}

function answeredOf(v: NetworkVerdict): number {
  return v.peers.filter((p) => p.answer.kind === "listed" || p.answer.kind === "unlisted").length;
}
