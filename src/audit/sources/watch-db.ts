import { existsSync } from "node:fs";
import { expandHome } from "../../config/home.ts";
import type { Config } from "../../config/schema.ts";
import type { Instance } from "../../firewall/model.ts";
import type { NetviewRecord } from "../../netview/ports.ts";
import { defaultDataPath, openSqliteStore } from "../../store/index.ts";
import type { Outcome, WatchFacts } from "../context.ts";
import { failure } from "./failure.ts";

export function watchDatabasePath(config: Config, env: Readonly<Record<string, string | undefined>>): string {
  return config.watch.database === undefined ? defaultDataPath(env) : expandHome(config.watch.database, env["HOME"]);
}

/**
 * What the watch daemon knows, read from its database (never created here: no database means
 * "cannot check"). Node names and the expected node ids come from the provider when it answered.
 */
export async function readWatchFacts(opts: { config: Config; path: string; instances: Outcome<readonly Instance[]> }): Promise<Outcome<WatchFacts>> {
  const { config, path } = opts;
  if (!existsSync(path)) return { ok: false, reason: `no watch database at ${path}`, fix: "run `nodeward watch` on this machine (or set watch.database to its file)" };
  try {
    const stores = openSqliteStore(path);
    try {
      const states = await stores.nodeStates.loadAll();
      const instances = opts.instances.ok ? opts.instances.value.filter((i) => i.mainIp !== "" || i.v6MainIp !== "") : [];
      const names = new Map<string, string>([...instances.map((i) => [i.id, i.label || i.id] as const), ...config.hosts.map((h) => [`host:${h.name}`, h.name] as const)]);
      const expected = opts.instances.ok ? [...instances.map((i) => i.id), ...config.hosts.map((h) => `host:${h.name}`)] : [];
      const addresses = new Map<string, readonly string[]>([
        ...instances.map((i) => [i.id, [i.mainIp, i.v6MainIp].filter((a) => a !== "")] as const),
        ...config.hosts.map((h) => [`host:${h.name}`, h.addresses] as const),
      ]);
      const netview = await readNetviewRows(() => stores.netview.latestNetview(), path);
      return { ok: true, value: { path, states, names, expected, addresses, netview } };
    } finally {
      stores.close();
    }
  } catch (e) {
    return failure(e, `check that ${path} is nodeward's watch database`);
  }
}

/** The network view's rows; a damaged row makes them "cannot be read", not the other watch facts. */
async function readNetviewRows(read: () => Promise<NetviewRecord[]>, path: string): Promise<Outcome<readonly NetviewRecord[]>> {
  try {
    return { ok: true, value: await read() };
  } catch (e) {
    return failure(e, `let \`nodeward watch\` rewrite the network view of ${path} (it does at every netview.intervalSeconds), or restore the database from a backup`);
  }
}
