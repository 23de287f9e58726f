import { existsSync } from "node:fs";
import { findCoin } from "../../coins/index.ts";
import { expandHome } from "../../config/home.ts";
import { readApiKey } from "../../config/secrets.ts";
import { AppError } from "../../core/errors.ts";
import { oneLine } from "../../core/safe-text.ts";
import { systemClock } from "../../core/clock.ts";
import { createVultrProvider } from "../../providers/vultr/adapter.ts";
import { defaultDataPath, openSqliteStore } from "../../store/index.ts";
import { minutesLeft, rewardClock, SMARTCASH_EXPIRY } from "../../watch/reward-clock.ts";
import type { GlobalOptions, Io } from "../io.ts";
import type { Config } from "../../config/schema.ts";
import type { Stores } from "../../store/index.ts";
import type { FleetStores } from "../../fleet/ports.ts";
import { assessVantages } from "../../fleet/liveness.ts";
import { LEADER_LEASE } from "../../fleet/member.ts";
import { openConfiguredPostgres } from "../store-open.ts";
import { networkHint, networkLines, networkNeedsHand, networkReadings } from "./status-network.ts";
import { loadConfigFor } from "../context.ts";
import { EXIT, type ExitCode } from "../exit.ts";

/**
 * `nodeward status`: what the watch daemon knows, read from its database: each node's health,
 * last good probe and, when down, the minutes left before EXPIRED; for the nodes with a collateral
 * in `smartnodes`, the network's own view (status-network.ts). Exit 2 when a node is down, or
 * when the network has it EXPIRED, NEW_START_REQUIRED or unseen as of a fresh query.
 */
export async function runStatus(io: Io, opts: GlobalOptions): Promise<ExitCode> {
  const { config } = await loadConfigFor(io, opts);
  const opened = await openStatusStore(config, io);
  const coin = findCoin(config.coin);
  const expiry = coin?.expiry ?? SMARTCASH_EXPIRY;
  try {
    const { stores } = opened;
    const [states, open] = await Promise.all([stores.nodeStates.loadAll(), stores.incidents.openIncidents()]);
    const fleet = opened.fleet === null ? null : await readFleet(opened.fleet, config.watch.intervalSeconds * 1000);
    const names = await instanceNames(config, io);
    const now = systemClock.now();
    const network = await networkReadings(() => stores.netview.latestNetview(), now, config, coin, (w) => io.err(`warning: ${w}`));
    const rows = states.map((s) => {
      const inc = open.find((i) => i.nodeId === s.nodeId);
      const clock = rewardClock(s.lastGoodAt, expiry);
      return {
        node: names.get(s.nodeId) ?? s.nodeId.replace(/^host:/, ""),
        health: s.health,
        degraded: s.degraded,
        lastGoodAt: s.lastGoodAt,
        incident: inc ? { id: inc.id, since: inc.startedAt, cause: inc.cause, minutesToExpired: minutesLeft(clock.expiresAt, now), minutesToNewStart: minutesLeft(clock.newStartAt, now) } : null,
        ...(fleet === null ? {} : { vantages: fleet.results.get(s.nodeId) ?? [] }),
        network: network.get(s.nodeId) ?? null,
      };
    });
    if (opts.json) io.json({ database: opened.where, ...(fleet === null ? {} : { fleet: fleet.summary }), nodes: rows });
    else {
      const s = io.style;
      if (fleet !== null) {
        const v = fleet.summary.vantages.map((x) => (x.live ? s.green(oneLine(x.name)) : s.red(`${oneLine(x.name)} (lost)`))).join(", ");
        io.out(`Fleet: ${v || "no watcher has reported yet"}; leader: ${fleet.summary.leader === null ? s.red("none") : oneLine(fleet.summary.leader)}`);
      }
      for (const r of rows.sort((a, b) => a.node.localeCompare(b.node))) {
        const ago = r.lastGoodAt === null ? "never" : `${Math.round((now - r.lastGoodAt) / 60_000)} min ago`;
        const mark = r.health === "up" ? s.green("up        ") : r.health === "down" ? s.red("DOWN      ") : s.yellow(r.health.padEnd(10));
        const extra = r.incident
          ? `  down since ${new Date(r.incident.since).toISOString().slice(0, 16).replace("T", " ")} UTC (${oneLine(r.incident.cause)}); ${r.incident.minutesToExpired !== null && r.incident.minutesToExpired > 0 ? s.red(`${r.incident.minutesToExpired} min to EXPIRED`) : s.red("EXPIRED")}`
          : r.degraded ? `  ${s.yellow(`degraded: ${oneLine(r.degraded)}`)}` : "";
        io.out(`${mark} ${oneLine(r.node).padEnd(24)} last good probe ${ago}${extra}`);
        if (r.vantages !== undefined && r.vantages.length > 0) {
          const seen = r.vantages.map((x) => `${oneLine(x.vantage)} ${x.ok ? s.green("ok") : s.red(oneLine(x.cause ?? "failed"))}${x.fresh ? "" : s.yellow(" (old)")}`);
          io.out(`           ${"".padEnd(24)} seen from: ${seen.join(" · ")}`);
        }
        if (r.network !== null) for (const line of networkLines(r.network, now, s)) io.out(line);
      }
      if (rows.length === 0) io.out("The database holds no node yet: is `nodeward watch` running?");
      const hint = networkHint(config, coin, network, rows.length);
      // On stderr: stdout stays one line per node (and its own detail lines) for whoever reads it.
      if (hint !== null && !io.quiet) io.err(io.errStyle.dim(hint));
    }
    return rows.some((r) => r.incident !== null || (r.network !== null && networkNeedsHand(r.network))) ? EXIT.changes : EXIT.ok;
  } finally {
    await opened.close();
  }
}

type StatusStore = { stores: Pick<Stores, "nodeStates" | "incidents" | "netview">; fleet: FleetStores | null; where: string; close(): Promise<void> };

/** The SQLite file of a single watcher, or a fleet's PostgreSQL store. */
async function openStatusStore(config: Config, io: Io): Promise<StatusStore> {
  if (config.store.url !== undefined) {
    const pg = await openConfiguredPostgres(config, io.env, io.redactor, { warn: (w) => io.err(`warning: ${w}`) });
    return { stores: pg, fleet: pg, where: pg.target, close: () => pg.end() };
  }
  const path = config.watch.database === undefined ? defaultDataPath(io.env) : expandHome(config.watch.database, io.env["HOME"]);
  if (!existsSync(path)) throw new AppError("USAGE", `no watch database at ${path}`, { hint: "start `nodeward watch` first (or set watch.database)" });
  const sqlite = openSqliteStore(path);
  return { stores: sqlite, fleet: null, where: path, close: async () => sqlite.close() };
}

interface VantageResult {
  vantage: string;
  ok: boolean;
  at: number;
  cause: string | null;
  fresh: boolean;
}

/** Each vantage's newest result per node, the watchers and who leads, as the fleet's store holds them. */
async function readFleet(store: FleetStores, intervalMs: number): Promise<{ results: Map<string, VantageResult[]>; summary: { leader: string | null; vantages: { name: string; region: string; live: boolean; seenAt: number }[] } }> {
  const now = systemClock.now();
  const results = new Map<string, VantageResult[]>();
  for (let cursor = 0; ; ) {
    const page = await store.latest.latestSince(cursor, 5_000);
    for (const r of page.rows) {
      const list = results.get(r.nodeId) ?? [];
      list.push({ vantage: r.vantage, ok: r.ok, at: r.at, cause: r.cause, fresh: Math.abs(now - r.at) <= 2 * intervalMs });
      results.set(r.nodeId, list);
    }
    if (page.rows.length < 5_000) break;
    cursor = page.cursor;
  }
  for (const list of results.values()) list.sort((a, b) => a.vantage.localeCompare(b.vantage));
  const live = assessVantages(await store.vantages.vantages(), now, 2 * intervalMs);
  const records = await store.vantages.vantages();
  const lease = await store.leases.currentLease(LEADER_LEASE);
  const leaderVantage = lease === null || lease.expiresAt <= now ? null : (records.find((v) => v.holder === lease.holder)?.name ?? lease.holder);
  return {
    results,
    summary: { leader: leaderVantage, vantages: live.map((v) => ({ name: v.name, region: records.find((r) => r.name === v.name)?.region ?? "", live: v.live, seenAt: v.seenAt })) },
  };
}

/** Instance labels from the provider when a key is at hand; ids otherwise. */
async function instanceNames(config: Awaited<ReturnType<typeof loadConfigFor>>["config"], io: Io): Promise<Map<string, string>> {
  try {
    const { key } = await readApiKey(config, io.env, io.redactor);
    const provider = createVultrProvider({ baseUrl: config.provider.baseUrl, apiKey: key, maxRequestsPerSecond: config.provider.maxRequestsPerSecond, timeoutMs: 10_000, clock: systemClock, redactor: io.redactor });
    return new Map((await provider.listInstances()).map((i) => [i.id, i.label || i.id]));
  } catch {
    return new Map();
  }
}
