import type { OutboxStore } from "../alerts/outbox-store.ts";
import type { WatchedNode } from "../watch/engine.ts";
import type { Incident, NodeHealth, NodeWatchState, ProbeRecord } from "../watch/model.ts";
import type { IncidentStore, ProbeStore, SeriesPoint } from "../watch/ports.ts";
import { minutesLeft, rewardClock, type ExpiryRule } from "../watch/reward-clock.ts";
import { networkRows, type NetworkRows, type NetworkSource, type NodeNetwork } from "./fleet-network.ts";

/**
 * The dashboard's read model: what the pages show, computed from the watch engine's live state
 * and the stores' read methods (uptime from raw probes + hourly rollups, series, incidents with
 * their timelines and the alerts delivered for them). Pure of HTTP; tested on the memory store.
 */

export interface FleetSource {
  nodes(): WatchedNode[];
  state(nodeId: string): NodeWatchState | undefined;
  latest(nodeId: string): ProbeRecord | undefined;
}

export interface ReadModelDeps {
  fleet: FleetSource;
  probes: ProbeStore;
  incidents: IncidentStore;
  outbox: OutboxStore;
  expiry: ExpiryRule;
  now: () => number;
  /** In a fleet of watchers: each vantage's newest result for the node (fleet/member.ts results). */
  seenFrom?: (nodeId: string) => readonly VantageSeen[];
  /** The last firewall drift check's verdict for a node, when something recorded one. */
  firewallCompliance?: (nodeId: string) => { compliant: boolean; detail: string; checkedAt: number } | null;
  /** The network's view of each node (netview rows), when the coin has a SmartNode list. */
  network?: NetworkSource;
}

/** One watcher's newest result for a node; `fresh`: recent enough to be counted (2 probe intervals). */
export interface VantageSeen {
  vantage: string;
  ok: boolean;
  at: number;
  cause: string | null;
  fresh: boolean;
}

export interface FleetRow {
  id: string;
  name: string;
  address: string;
  health: NodeHealth;
  degraded: string | null;
  uptime: { d1: number | null; d7: number | null; d30: number | null };
  lastGoodAt: number | null;
  latencyMs: number | null;
  height: number | null;
  /** Blocks behind the fleet's median height (null when unknown). */
  lag: number | null;
  /** While failing: minutes left before EXPIRED (negative once past). */
  minutesToExpired: number | null;
  firewall: string;
  /** Each watcher's view of the node, in a fleet; empty for a single watcher. */
  vantages: VantageSeen[];
  /** What the network says of the node, as the watcher last asked; null when nothing was asked. */
  network: NodeNetwork | null;
}

export interface TimelineEntry {
  at: number;
  what: string;
  detail: string;
}

export interface IncidentView {
  incident: Incident;
  nodeName: string;
  entries: TimelineEntry[];
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function ratio(s: { up: number; total: number }): number | null {
  return s.total === 0 ? null : s.up / s.total;
}

function fleetHeight(rows: readonly (ProbeRecord | undefined)[]): number | null {
  const hs = rows.filter((p): p is ProbeRecord => p !== undefined && p.ok && p.height !== null).map((p) => p.height as number).sort((a, b) => a - b);
  return hs.length === 0 ? null : (hs[Math.floor(hs.length / 2)] as number);
}

export interface FleetPage {
  rows: FleetRow[];
  /** Nodes in the fleet, and how many are in each state (the whole fleet, not just this page). */
  total: number;
  counts: Record<NodeHealth, number> & { degraded: number };
  page: number;
  pages: number;
  /** The fleet table has a Network column (the network's view of the nodes is read). */
  network: boolean;
  /** Why the network's view is missing from the rows (the table could not be read); null otherwise. */
  networkProblem: string | null;
}

export const FLEET_PAGE_SIZE = 100;

/** down first, then the other states that need a look, then healthy nodes; by name within each. */
const ATTENTION: Record<NodeHealth, number> = { down: 0, suspect: 1, recovering: 2, unknown: 4, up: 5 };
const attention = (s: NodeWatchState | undefined) => (s === undefined ? ATTENTION.unknown : s.health === "up" && s.degraded !== null ? 3 : ATTENTION[s.health]);

/**
 * One page of the fleet, the nodes that need attention first. Only the page's nodes are read from
 * the store (three uptime windows each): a 10,000-node fleet costs a page of queries per view,
 * not 30,000. `page` is 1-based and clamped to the pages there are.
 */
export async function fleetPage(d: ReadModelDeps, page = 1, perPage = FLEET_PAGE_SIZE): Promise<FleetPage> {
  const all = d.fleet.nodes();
  const counts = { up: 0, suspect: 0, down: 0, recovering: 0, unknown: 0, degraded: 0 };
  const keyed = all.map((n) => {
    const s = d.fleet.state(n.nodeId);
    counts[s?.health ?? "unknown"]++;
    if (s?.degraded != null) counts.degraded++;
    return { n, rank: attention(s) };
  });
  keyed.sort((a, b) => a.rank - b.rank || a.n.name.localeCompare(b.n.name));
  const pages = Math.max(1, Math.ceil(all.length / perPage));
  const at = Math.min(Math.max(1, Math.floor(page) || 1), pages);
  const chosen = keyed.slice((at - 1) * perPage, at * perPage).map((k) => k.n);
  const network = await networkRows(d.network, d.now(), d.expiry.expiredMinutes);
  return { rows: await rowsFor(d, all, chosen, network), total: all.length, counts, page: at, pages, network: d.network !== undefined, networkProblem: network.problem };
}

/** Every node (or only `onlyId`), by name. */
export async function fleetRows(d: ReadModelDeps, onlyId?: string, network?: NetworkRows): Promise<FleetRow[]> {
  const all = d.fleet.nodes().sort((a, b) => a.name.localeCompare(b.name));
  return rowsFor(d, all, onlyId === undefined ? all : all.filter((n) => n.nodeId === onlyId), network ?? (await networkRows(d.network, d.now(), d.expiry.expiredMinutes)));
}

async function rowsFor(d: ReadModelDeps, all: readonly WatchedNode[], nodes: readonly WatchedNode[], network: NetworkRows): Promise<FleetRow[]> {
  const now = d.now();
  const median = fleetHeight(all.map((n) => d.fleet.latest(n.nodeId)));
  return Promise.all(nodes.map(async (n) => {
    const s = d.fleet.state(n.nodeId);
    const p = d.fleet.latest(n.nodeId);
    const [d1, d7, d30] = await Promise.all([DAY, 7 * DAY, 30 * DAY].map((w) => d.probes.uptime(n.nodeId, now - w, now)));
    const failing = s !== undefined && (s.health === "down" || s.health === "suspect");
    const fw = d.firewallCompliance?.(n.nodeId) ?? null;
    const height = p?.height ?? null;
    return {
      id: n.nodeId,
      name: n.name,
      address: n.address,
      health: s?.health ?? "unknown",
      degraded: s?.degraded ?? null,
      uptime: { d1: ratio(d1!), d7: ratio(d7!), d30: ratio(d30!) },
      lastGoodAt: s?.lastGoodAt ?? null,
      latencyMs: p?.ok === true ? p.latencyMs : null,
      height,
      lag: height === null || median === null ? null : Math.max(0, median - height),
      minutesToExpired: failing ? minutesLeft(rewardClock(s.lastGoodAt, d.expiry).expiresAt, now) : null,
      firewall: fw !== null ? (fw.compliant ? "compliant" : `drift: ${fw.detail}`) : n.instanceId === undefined ? "not at the provider" : "not checked",
      vantages: [...(d.seenFrom?.(n.nodeId) ?? [])].sort((a, b) => a.vantage.localeCompare(b.vantage)),
      network: network.of(n.nodeId),
    };
  }));
}

export interface NodeDetail {
  row: FleetRow;
  latency24h: SeriesPoint[];
  uptime24h: SeriesPoint[];
  uptime30d: SeriesPoint[];
  recent: ProbeRecord[];
  incidents: IncidentView[];
  networkProblem: string | null;
}

export async function nodeDetail(d: ReadModelDeps, nodeId: string): Promise<NodeDetail | null> {
  const network = await networkRows(d.network, d.now(), d.expiry.expiredMinutes);
  const row = (await fleetRows(d, nodeId, network))[0];
  if (row === undefined) return null;
  const now = d.now();
  const hourEnd = Math.ceil(now / HOUR) * HOUR;
  const [fine, coarse, recent, incidents] = await Promise.all([
    d.probes.series(nodeId, now - DAY, now, 10 * 60_000),
    d.probes.series(nodeId, hourEnd - 30 * DAY, hourEnd, 6 * HOUR),
    d.probes.recentProbes(nodeId, 20),
    d.incidents.list({ nodeId, limit: 10 }),
  ]);
  return { row, latency24h: fine, uptime24h: fine, uptime30d: coarse, recent, incidents: await Promise.all(incidents.map((i) => incidentView(d, i))), networkProblem: network.problem };
}

export async function recentIncidents(d: ReadModelDeps, limit = 50): Promise<IncidentView[]> {
  return Promise.all((await d.incidents.list({ limit })).map((i) => incidentView(d, i)));
}

const EVENT_WORDS: Record<string, string> = {
  down: "down",
  escalation: "still down",
  recovered: "recovered",
  remediation: "reboot requested",
  "remediation-skipped": "reboot skipped",
  "alert-sent": "alert sent",
  "alert-failed": "alert failed",
  degraded: "degraded",
};

/** The incident's own timeline plus each alert the outbox delivered (or gave up on) for it. */
async function incidentView(d: ReadModelDeps, incident: Incident): Promise<IncidentView> {
  const alerts = await d.outbox.list({ dedupeKeyPrefix: `${incident.id}:`, limit: 100 });
  const entries: TimelineEntry[] = [
    ...incident.timeline.map((e) => ({ at: e.at, what: EVENT_WORDS[e.kind] ?? e.kind, detail: e.detail })),
    ...alerts.map((a) =>
      a.sentAt !== null
        ? { at: a.sentAt, what: "alert sent", detail: `${a.event.kind} → ${a.channel}` }
        : a.deadAt !== null
          ? { at: a.deadAt, what: "alert given up", detail: `${a.event.kind} → ${a.channel}: ${a.lastError ?? ""}` }
          : { at: a.createdAt, what: "alert queued", detail: `${a.event.kind} → ${a.channel}${a.lastError === null ? "" : ` (retrying: ${a.lastError})`}` },
    ),
  ].sort((a, b) => a.at - b.at);
  const node = d.fleet.nodes().find((n) => n.nodeId === incident.nodeId);
  return { incident, nodeName: node?.name ?? incident.nodeId.replace(/^host:/, ""), entries };
}
