import type { AlertEvent } from "../../alerts/event.ts";
import type { CoinProfile } from "../../coins/index.ts";
import type { Config } from "../../config/schema.ts";
import type { Clock } from "../../core/clock.ts";
import type { Logger } from "../../core/logger.ts";
import { createSurvey } from "../../netview/survey.ts";
import type { Stores } from "../../store/index.ts";
import type { Periodic } from "../../watch/daemon.ts";
import type { WatchEngine } from "../../watch/engine.ts";
import { NetworkWatch } from "../../watch/network-watch.ts";
import type { ExpiryRule } from "../../watch/reward-clock.ts";

/**
 * The daemon's network view (docs/netview.md): built when the coin has a SmartNode list, netview
 * is enabled and smartnodes lists at least one collateral; otherwise the log says once why not.
 * In a fleet only the leader asks and alerts; the others read the leader's rows for their /metrics.
 */
export function composeNetworkWatch(p: {
  config: Config;
  coin: CoinProfile;
  engine: WatchEngine;
  stores: Stores;
  alerts: { enqueue(events: readonly AlertEvent[]): Promise<number> };
  expiry: ExpiryRule;
  clock: Clock;
  log: Logger;
  /** Whether this watcher leads now (a single watcher always does). */
  leading: () => boolean;
}): { watch: NetworkWatch; periodic: Periodic } | null {
  const { config, coin, log } = p;
  const why =
    coin.smartnodeList === undefined
      ? `coin ${coin.id} has no SmartNode list to ask about`
      : !config.netview.enabled
        ? "netview.enabled is false"
        : config.smartnodes.length === 0
          ? "smartnodes lists no collateral (`nodeward import smartnode.conf FILE` writes them)"
          : null;
  const p2pPort = coin.p2p?.defaultPort;
  if (why !== null || p2pPort === undefined) {
    log.info({ reason: why ?? `coin ${coin.id} has no P2P port` }, "not asking the network about the nodes");
    return null;
  }
  const watch = new NetworkWatch({
    engine: p.engine,
    smartnodes: config.smartnodes,
    netview: config.netview,
    p2pPort,
    expiry: p.expiry,
    survey: createSurvey(coin, { clock: p.clock }),
    store: p.stores.netview,
    alerts: p.alerts,
    clock: p.clock,
    log,
  });
  log.info({ nodes: config.smartnodes.length, everySeconds: config.netview.intervalSeconds }, "asking the network about the nodes with a collateral in smartnodes");
  return {
    watch,
    periodic: {
      what: "network view",
      everyMs: config.netview.intervalSeconds * 1000,
      run: (signal) => (p.leading() ? watch.run(signal) : watch.refresh()),
    },
  };
}
