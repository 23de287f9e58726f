import { Gauge, type Registry } from "prom-client";
import { boundedLine } from "../core/safe-text.ts";
import type { WatchedNode } from "./engine.ts";
import type { NetworkView } from "./network-watch.ts";
import type { ExpiryRule } from "./reward-clock.ts";

/**
 * The network's view of each node on /metrics (netview): its state as the peers have it, the age
 * of the ping the verdict rests on, the minutes before the network marks it EXPIRED (counted at
 * scrape time from that ping), and how many peers answered. Series only for watched nodes that have
 * a verdict; a node nobody asked about has none, so an absent series means "not asked", not 0.
 */
export function networkMetrics(
  registry: Registry,
  src: { nodes: () => readonly WatchedNode[]; views: () => ReadonlyMap<string, NetworkView>; expiry: ExpiryRule; now: () => number; maxLabel: number },
): void {
  const each = (fn: (label: string, v: NetworkView) => void) => {
    const views = src.views();
    if (views.size === 0) return;
    for (const n of src.nodes()) {
      const v = views.get(n.nodeId);
      if (v !== undefined) fn(boundedLine(n.name, src.maxLabel), v);
    }
  };
  const perNode = (name: string, help: string, value: (v: NetworkView) => number | null) =>
    new Gauge({
      name,
      help,
      labelNames: ["node"] as const,
      registers: [registry],
      collect() {
        this.reset();
        each((node, v) => {
          const x = value(v);
          if (x !== null) this.set({ node }, x);
        });
      },
    });
  new Gauge({
    name: "nodeward_network_state",
    help: "1 for the node's state in the SmartCash network (ENABLED, PRE_ENABLED, EXPIRED, NEW_START_REQUIRED, UPDATE_REQUIRED, UNLISTED, UNKNOWN), as the peers asked have it",
    labelNames: ["node", "state"] as const,
    registers: [registry],
    collect() {
      this.reset();
      each((node, v) => this.set({ node, state: v.record.state }, 1));
    },
  });
  perNode("nodeward_network_last_ping_age_seconds", "Seconds since the node's last ping the network accepted (the ping the verdict rests on)", (v) =>
    v.record.lastPingAt === null ? null : Math.max(0, Math.round((src.now() - v.record.lastPingAt) / 1000)),
  );
  perNode("nodeward_network_minutes_to_expired", "Minutes before the network marks the node EXPIRED (65 min after its last accepted ping; 0 when past)", (v) =>
    v.record.lastPingAt === null ? null : Math.max(0, Math.floor((v.record.lastPingAt + src.expiry.expiredMinutes * 60_000 - src.now()) / 60_000)),
  );
  perNode("nodeward_network_peers_answered", "Peers that answered about the node in the last round (listing it or not)", (v) => v.peersAnswered);
}
