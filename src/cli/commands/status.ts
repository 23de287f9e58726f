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
import { loadConfigFor } from "../context.ts";
import { EXIT, type ExitCode } from "../exit.ts";

/**
 * `nodeward status`: what the watch daemon knows, read from its database: each node's health,
 * last good probe and, when down, the minutes left before EXPIRED. Exit 2 when a node is down.
 */
export async function runStatus(io: Io, opts: GlobalOptions): Promise<ExitCode> {
  const { config } = await loadConfigFor(io, opts);
  const path = config.watch.database === undefined ? defaultDataPath(io.env) : expandHome(config.watch.database, io.env["HOME"]);
  if (!existsSync(path)) throw new AppError("USAGE", `no watch database at ${path}`, { hint: "start `nodeward watch` first (or set watch.database)" });
  const expiry = findCoin(config.coin)?.expiry ?? SMARTCASH_EXPIRY;
  const stores = openSqliteStore(path);
  try {
    const [states, open] = await Promise.all([stores.nodeStates.loadAll(), stores.incidents.openIncidents()]);
    const names = await instanceNames(config, io);
    const now = systemClock.now();
    const rows = states.map((s) => {
      const inc = open.find((i) => i.nodeId === s.nodeId);
      const clock = rewardClock(s.lastGoodAt, expiry);
      return {
        node: names.get(s.nodeId) ?? s.nodeId.replace(/^host:/, ""),
        health: s.health,
        degraded: s.degraded,
        lastGoodAt: s.lastGoodAt,
        incident: inc ? { id: inc.id, since: inc.startedAt, cause: inc.cause, minutesToExpired: minutesLeft(clock.expiresAt, now), minutesToNewStart: minutesLeft(clock.newStartAt, now) } : null,
      };
    });
    if (opts.json) io.json({ database: path, nodes: rows });
    else {
      const s = io.style;
      for (const r of rows.sort((a, b) => a.node.localeCompare(b.node))) {
        const ago = r.lastGoodAt === null ? "never" : `${Math.round((now - r.lastGoodAt) / 60_000)} min ago`;
        const mark = r.health === "up" ? s.green("up        ") : r.health === "down" ? s.red("DOWN      ") : s.yellow(r.health.padEnd(10));
        const extra = r.incident
          ? `  down since ${new Date(r.incident.since).toISOString().slice(0, 16).replace("T", " ")} UTC (${oneLine(r.incident.cause)}); ${r.incident.minutesToExpired !== null && r.incident.minutesToExpired > 0 ? s.red(`${r.incident.minutesToExpired} min to EXPIRED`) : s.red("EXPIRED")}`
          : r.degraded ? `  ${s.yellow(`degraded: ${oneLine(r.degraded)}`)}` : "";
        io.out(`${mark} ${oneLine(r.node).padEnd(24)} last good probe ${ago}${extra}`);
      }
      if (rows.length === 0) io.out("The database holds no node yet: is `nodeward watch` running?");
    }
    return rows.some((r) => r.incident !== null) ? EXIT.changes : EXIT.ok;
  } finally {
    stores.close();
  }
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
