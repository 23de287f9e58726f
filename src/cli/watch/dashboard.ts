import type { FleetMember } from "../../fleet/member.ts";
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { isIP } from "node:net";
import type { AlertEvent } from "../../alerts/event.ts";
import { AuthService } from "../../auth/service.ts";
import { findCoin } from "../../coins/index.ts";
import { Sessions } from "../../auth/sessions.ts";
import { secretBox } from "../../auth/secret-box.ts";
import { IpThrottle } from "../../auth/throttle.ts";
import type { Config } from "../../config/schema.ts";
import type { Clock } from "../../core/clock.ts";
import type { Logger } from "../../core/logger.ts";
import { memoryAuthStore, type Stores } from "../../store/index.ts";
import type { WatchEngine } from "../../watch/engine.ts";
import type { ExpiryRule } from "../../watch/reward-clock.ts";
import { outpointKey } from "../../netview/outpoint.ts";
import { createDashboard } from "../../web/dashboard.ts";
import type { NetworkSource } from "../../web/fleet-network.ts";
import { openAuthParts, type AuthParts } from "../auth-context.ts";

export interface DashboardParts {
  /** The watch server's extra route hook; undefined when the dashboard is disabled. */
  extra?: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
  /** Writes the auth key file back when it was deleted while the daemon ran; true when it wrote. */
  restoreKeyFile(): boolean;
  /** `keepConnections`: leave the auth store's connection open (see compose.ts). */
  close(opts?: { keepConnections?: boolean }): void;
}

/**
 * The dashboard wired into the daemon: the auth service on the watch database (or the given
 * parts), backup-code sign-ins turned into alerts through the dispatcher, and the read model
 * over the engine and the stores. Warns when served beyond loopback without TLS in front.
 */
export function composeDashboard(p: {
  config: Config;
  /** The system clock: sessions, lockouts and TOTP codes follow real time. */
  clock: Clock;
  /** What the pages call now (the daemon's steady clock, the frame its records are in); default clock.now. */
  displayNow?: () => number;
  log: Logger;
  engine: WatchEngine;
  stores: Stores;
  expiry: ExpiryRule;
  alerts: { enqueue(events: readonly AlertEvent[]): Promise<number> };
  auth: AuthParts | undefined;
  /** The watcher's last firewall check of a node (null: static host, or not checked yet). */
  firewall?: (nodeId: string) => { compliant: boolean; detail: string; checkedAt: number } | null;
  databasePath: string | undefined;
  /** A fleet watcher's view of the other vantages (null or absent: a single watcher). */
  fleet?: Pick<FleetMember, "results"> | null;
  host: string;
}): DashboardParts {
  const dash = p.config.dashboard;
  if (!dash.enabled) return { restoreKeyFile: () => false, close() {} };
  // Tests that pass their own stores and no auth get an empty in-memory account list.
  const parts = p.auth ?? (p.databasePath === undefined ? { store: memoryAuthStore(), box: secretBox(randomBytes(32)), restoreKeyFile: () => false, close() {} } : openAuthParts(p.databasePath));
  if (!isLoopback(p.host) && !dash.trustProxy && !dash.secureCookies) {
    p.log.warn({ listen: p.config.watch.listen }, "the dashboard is served over plain HTTP beyond loopback: passwords and codes cross the network in clear. Put a TLS reverse proxy in front (dashboard.trustProxy: true) or bind watch.listen to 127.0.0.1");
  }
  const auth = new AuthService({
    store: parts.store,
    box: parts.box,
    clock: p.clock,
    log: { info: (o, m) => p.log.info(o, m), warn: (o, m) => p.log.warn(o, m) },
    onBackupCodeUsed: async (u) => {
      await p.alerts.enqueue([{ kind: "backup-code-used", at: u.at, user: u.user, remaining: u.remaining, ip: u.ip }]);
    },
  });
  const extra = createDashboard({
    auth,
    sessions: new Sessions(parts.store, p.clock, { idleMs: dash.sessionIdleMinutes * 60_000, maxMs: dash.sessionMaxHours * 3_600_000, pendingMs: 10 * 60_000 }),
    read: { fleet: p.engine, probes: p.stores.probes, incidents: p.stores.incidents, outbox: p.stores.outbox, expiry: p.expiry, now: p.displayNow ?? (() => p.clock.now()), ...(p.firewall === undefined ? {} : { firewallCompliance: p.firewall }), ...(p.fleet == null ? {} : { seenFrom: (id: string) => p.fleet!.results(id, p.engine.latest(id)) }), ...networkOf(p.config, p.stores) },
    config: dash,
    clock: p.clock,
    ipThrottle: new IpThrottle(p.clock),
    log: { info: (o, m) => p.log.info(o, m), warn: (o, m) => p.log.warn(o, m) },
    watcherOffline: () => p.engine.offline,
  });
  return {
    extra,
    restoreKeyFile: () => parts.restoreKeyFile(),
    close: (opts) => (p.auth === undefined && opts?.keepConnections !== true ? parts.close() : undefined),
  };
}

/** The network's view for the pages: read from the rows the watcher keeps, when the coin has a SmartNode list and smartnodes names a collateral. */
function networkOf(config: Config, stores: Pick<Stores, "netview">): { network?: NetworkSource } {
  if (findCoin(config.coin)?.smartnodeList === undefined || config.smartnodes.length === 0) return {};
  const aliases = new Map(config.smartnodes.map((e) => [outpointKey({ txid: e.txid, index: e.index }), e.alias]));
  return { network: { latest: () => stores.netview.latestNetview(), intervalSeconds: config.netview.intervalSeconds, aliasOf: (o) => aliases.get(o) } };
}

function isLoopback(host: string): boolean {
  if (host === "localhost") return true;
  if (isIP(host) === 4) return host.startsWith("127.");
  return host === "::1";
}
