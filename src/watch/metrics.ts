import { Counter, Gauge, Registry } from "prom-client";
import { boundedLine } from "../core/safe-text.ts";
import type { WatchEngine } from "./engine.ts";
import type { WatcherFault } from "../alerts/event.ts";
import { LASTING_FAULTS } from "./watcher-health.ts";
import type { ExpiryRule } from "./reward-clock.ts";
import { rewardClock } from "./reward-clock.ts";
import type { SchedulerStats } from "./scheduler.ts";
import type { ProbeRecord } from "./model.ts";
import { networkMetrics } from "./network-metrics.ts";
import type { NetworkView } from "./network-watch.ts";

/** What /metrics reads of a fleet (fleet/member.ts FleetMember). */
export interface FleetMetricsSource {
  leading(): boolean;
  vantages(): readonly { name: string; live: boolean }[];
  results(nodeId: string, own: ProbeRecord | undefined): readonly { vantage: string; ok: boolean; fresh: boolean }[];
}

/**
 * Prometheus metrics, computed at scrape time from the engine's state (nothing is updated per
 * probe). Its own registry: no module-level default registry.
 */
/**
 * Node names come from provider labels and config. prom-client escapes only `\`, `"` and line feed
 * in label values; every other control character (ESC, CR, NUL, bidi overrides) would reach
 * whatever shows the scrape raw, and a 10 KB label would bloat every series. So a name is shown
 * on one line (`\e`, `\r`, `\u202e`) and clipped to this many characters.
 */
export const MAX_NODE_LABEL = 128;

export function watchMetrics(src: {
  engine: WatchEngine;
  scheduler: () => SchedulerStats;
  outboxDepth: () => Promise<number>;
  /** The watcher's own active faults (watcher-health.ts). */
  faults?: () => readonly WatcherFault[];
  expiry: ExpiryRule;
  now: () => number;
  /** Probe results held in memory while the store cannot take them. */
  held?: () => number;
  /** This watcher's place in a fleet: per-vantage results, live vantages, who leads. */
  fleet?: FleetMetricsSource;
  /** The network's view of each node (netview), when the watcher asks the network. */
  network?: () => ReadonlyMap<string, NetworkView>;
}): Registry {
  const registry = new Registry();
  const perNode = (name: string, help: string, value: (nodeId: string) => number | null) =>
    new Gauge({
      name,
      help,
      labelNames: ["node"] as const,
      registers: [registry],
      collect() {
        this.reset();
        for (const n of src.engine.nodes()) {
          const v = value(n.nodeId);
          if (v !== null) this.set({ node: boundedLine(n.name, MAX_NODE_LABEL) }, v);
        }
      },
    });
  // The fleet's median height, computed once per scrape (a scrape asks for it once per node).
  let median: { at: number; value: number | null } | null = null;
  const fleetMedian = () => {
    const now = src.now();
    if (median !== null && now - median.at < 1000 && now >= median.at) return median.value;
    const hs = src.engine.nodes().map((n) => src.engine.latest(n.nodeId)).filter((p) => p?.ok && p.height !== null).map((p) => p!.height!).sort((a, b) => a - b);
    median = { at: now, value: hs.length === 0 ? null : hs[Math.floor(hs.length / 2)]! };
    return median.value;
  };
  perNode("nodeward_node_up", "1 when the node's last verdict is up or recovering-free healthy, 0 when suspect, down or recovering", (id) => {
    const h = src.engine.state(id)?.health;
    return h === undefined || h === "unknown" ? null : h === "up" ? 1 : 0;
  });
  perNode("nodeward_probe_latency_ms", "Handshake latency of the last probe (connect to verack)", (id) => src.engine.latest(id)?.latencyMs ?? null);
  perNode("nodeward_node_height", "Block height the node reported in its last good probe", (id) => src.engine.latest(id)?.height ?? null);
  perNode("nodeward_node_height_lag", "Blocks behind the fleet's median height", (id) => {
    const h = src.engine.latest(id)?.height;
    const m = fleetMedian();
    return h == null || m === null ? null : Math.max(0, m - h);
  });
  perNode("nodeward_incident_age_seconds", "Seconds since the node's open incident began", (id) => {
    const inc = src.engine.state(id)?.incident;
    return inc ? Math.round((src.now() - inc.startedAt) / 1000) : null;
  });
  perNode("nodeward_minutes_to_expiry", "Minutes left before the coin's EXPIRED mark (65 min after the last good probe), while the node is down", (id) => {
    const s = src.engine.state(id);
    if (s?.incident == null) return null;
    const c = rewardClock(s.lastGoodAt, src.expiry);
    return c.expiresAt === null ? null : Math.floor((c.expiresAt - src.now()) / 60_000);
  });
  new Gauge({
    name: "nodeward_alert_outbox_depth",
    help: "Alerts stored and not yet delivered",
    registers: [registry],
    async collect() {
      this.set(await src.outboxDepth());
    },
  });
  new Gauge({ name: "nodeward_watcher_offline", help: "1 while the watcher's own connectivity check fails", registers: [registry], collect() { this.set(src.engine.offline ? 1 : 0); } });
  new Gauge({
    name: "nodeward_watcher_fault",
    help: "1 while the watcher has this fault of its own (storage, inventory, …): it keeps watching, degraded",
    labelNames: ["fault"] as const,
    registers: [registry],
    collect() {
      const active = new Set(src.faults?.() ?? []);
      for (const f of LASTING_FAULTS) this.set({ fault: f }, active.has(f) ? 1 : 0);
    },
  });
  if (src.held !== undefined) {
    const held = src.held;
    new Gauge({ name: "nodeward_store_held_results", help: "Probe results held in memory because the store cannot take them now (written when it can; at most 100,000, oldest dropped first)", registers: [registry], collect() { this.set(held()); } });
  }
  if (src.fleet !== undefined) fleetMetrics(registry, src.fleet, src.engine);
  if (src.network !== undefined) networkMetrics(registry, { nodes: () => src.engine.nodes(), views: src.network, expiry: src.expiry, now: src.now, maxLabel: MAX_NODE_LABEL });
  new Counter({ name: "nodeward_probes_total", help: "Probes completed", registers: [registry], collect() { this.reset(); this.inc(src.scheduler().probes); } });
  new Counter({ name: "nodeward_missed_slots_total", help: "Probes that started more than 10 % of the interval after their slot", registers: [registry], collect() { this.reset(); this.inc(src.scheduler().missed); } });
  return registry;
}

/** A fleet's series: each vantage's view of each node (label `vantage`), which vantages count, and who leads. */
function fleetMetrics(registry: Registry, fleet: FleetMetricsSource, engine: WatchEngine): void {
  new Gauge({ name: "nodeward_fleet_leader", help: "1 while this watcher holds the leader lease (it sends the alerts and reboots)", registers: [registry], collect() { this.set(fleet.leading() ? 1 : 0); } });
  new Gauge({
    name: "nodeward_vantage_live",
    help: "1 when the vantage's heartbeat is recent and its own connectivity check passes: its results are counted",
    labelNames: ["vantage"] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const v of fleet.vantages()) this.set({ vantage: v.name }, v.live ? 1 : 0);
    },
  });
  new Gauge({
    name: "nodeward_vantage_node_up",
    help: "Each vantage's newest result for the node, while fresh (2 probe intervals): 1 ok, 0 failed",
    labelNames: ["node", "vantage"] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const n of engine.nodes()) {
        for (const r of fleet.results(n.nodeId, engine.latest(n.nodeId))) {
          if (r.fresh) this.set({ node: boundedLine(n.name, MAX_NODE_LABEL), vantage: r.vantage }, r.ok ? 1 : 0);
        }
      }
    },
  });
}
