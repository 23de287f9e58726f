import { after } from "node:test";
import { Registry } from "prom-client";
import type { AuthStore } from "../auth/ports.ts";
import { Sessions } from "../auth/sessions.ts";
import { IpThrottle } from "../auth/throttle.ts";
import { enrolledUser, ManualClock, testAuth } from "../auth/fixtures.test-support.ts";
import { openMemoryStore } from "../store/memory/open.ts";
import type { WatchedNode } from "../watch/engine.ts";
import type { NodeWatchState, ProbeRecord } from "../watch/model.ts";
import { SMARTCASH_EXPIRY } from "../watch/reward-clock.ts";
import { startWatchHttp } from "../watch/http.ts";
import type { DashboardConfig } from "./config.ts";
import { createDashboard } from "./dashboard.ts";
import type { NetworkSource } from "./fleet-network.ts";

/**
 * The dashboard on the watch daemon's own HTTP server (with /healthz and an empty /metrics) on
 * loopback, over memory stores (or the given auth store: a SQLite file), a manual clock and a
 * fixed fleet (with `network`, the network's view read from the memory store's netview rows); a
 * tiny cookie-keeping client. For the web unit tests.
 */

export const PASSWORD = "correct horse battery";

export async function startTestDashboard(opts: { nodes?: WatchedNode[]; states?: NodeWatchState[]; latest?: ProbeRecord[]; config?: Partial<DashboardConfig>; store?: AuthStore; allowedHosts?: string[]; network?: Omit<NetworkSource, "latest"> } = {}) {
  const { auth, store, clock, backupUses } = testAuth(undefined, opts.store === undefined ? {} : { store: opts.store });
  const { secret, backupCodes } = await enrolledUser(auth, clock);
  const stores = openMemoryStore();
  const nodes = opts.nodes ?? [];
  const fleet = {
    nodes: () => [...nodes],
    state: (id: string) => opts.states?.find((s) => s.nodeId === id),
    latest: (id: string) => opts.latest?.find((p) => p.nodeId === id),
  };
  const config: DashboardConfig = { enabled: true, trustProxy: false, secureCookies: false, sessionIdleMinutes: 30, sessionMaxHours: 12, ...opts.config };
  const handler = createDashboard({
    auth,
    sessions: new Sessions(store, clock, { idleMs: config.sessionIdleMinutes * 60_000, maxMs: config.sessionMaxHours * 3_600_000, pendingMs: 10 * 60_000 }),
    read: { fleet, ...stores, expiry: SMARTCASH_EXPIRY, now: clock.now, ...(opts.network === undefined ? {} : { network: { ...opts.network, latest: () => stores.netview.latestNetview() } }) },
    config,
    clock,
    ipThrottle: new IpThrottle(clock),
    log: { info() {}, warn() {} },
    watcherOffline: () => false,
  });
  const http = await startWatchHttp("127.0.0.1", 0, { metrics: new Registry(), health: () => ({ ok: true, body: { status: "ok" } }), extra: handler }, { allowed: opts.allowedHosts ?? [], forwarded: config.trustProxy });
  after(() => http.close());
  return { url: http.url, auth, store, clock, secret, backupCodes, backupUses, stores };
}

/** fetch with a cookie jar, no redirects followed. */
export class Browser {
  readonly jar = new Map<string, string>();
  readonly base: string;
  constructor(base: string) {
    this.base = base;
  }

  async get(path: string): Promise<Response> {
    return this.#send(path, { method: "GET" });
  }

  async post(path: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
    return this.#send(path, { method: "POST", body: new URLSearchParams(form).toString(), headers: { "content-type": "application/x-www-form-urlencoded", ...headers } });
  }

  async #send(path: string, init: RequestInit): Promise<Response> {
    const cookie = [...this.jar].map(([k, v]) => `${k}=${v}`).join("; ");
    const res = await fetch(this.base + path, { ...init, redirect: "manual", headers: { ...(init.headers as Record<string, string>), ...(cookie ? { cookie } : {}) } });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const i = pair!.indexOf("=");
      const name = pair!.slice(0, i);
      const value = pair!.slice(i + 1);
      if (value === "" || /Max-Age=0/.test(c)) this.jar.delete(name);
      else this.jar.set(name, value);
    }
    return res;
  }
}

export function csrfOf(html: string): string {
  const m = /name="csrf" value="([^"]+)"/.exec(html);
  if (m === null) throw new Error("no CSRF field in the page");
  return m[1]!;
}

export { ManualClock };
