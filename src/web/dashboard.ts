import type { IncomingMessage, ServerResponse } from "node:http";
import { Ctx, type DashboardDeps } from "./context.ts";
import { redirect } from "./respond.ts";
import { loadAssets, serveAsset } from "./static.ts";
import * as app from "./routes-app.ts";
import * as signIn from "./routes-sign-in.ts";

export type { DashboardDeps } from "./context.ts";

/** Who may see a route: anyone (sign-in pages), or only a full (two-factor) session. */
type Route = { method: "GET" | "POST"; path: string | RegExp; open?: true; run: (c: Ctx, m: RegExpMatchArray | null) => Promise<void> };

const ROUTES: readonly Route[] = [
  { method: "GET", path: "/login", open: true, run: signIn.getLogin },
  { method: "POST", path: "/login", open: true, run: signIn.postLogin },
  { method: "GET", path: "/login/code", open: true, run: signIn.getCode },
  { method: "POST", path: "/login/code", open: true, run: signIn.postCode },
  { method: "GET", path: "/enroll", open: true, run: signIn.getEnrol },
  { method: "POST", path: "/enroll", open: true, run: signIn.postEnrol },
  { method: "GET", path: "/enroll/qr.svg", open: true, run: signIn.getQr },
  { method: "POST", path: "/logout", open: true, run: signIn.postLogout },
  { method: "GET", path: "/", run: app.getOverview },
  { method: "GET", path: /^\/nodes\/([^/]+)$/, run: (c, m) => app.getNode(c, safeDecode(m![1]!)) },
  { method: "GET", path: "/incidents", run: app.getIncidents },
  { method: "GET", path: "/settings", run: app.getSettings },
  { method: "GET", path: "/settings/qr.svg", run: signIn.getQr },
  { method: "POST", path: "/settings/totp", run: app.postTotpStart },
  { method: "POST", path: "/settings/totp/confirm", run: app.postTotpConfirm },
  { method: "POST", path: "/settings/backup-codes", run: app.postBackupCodes },
];

const SWEEP_MS = 10 * 60_000;

/** A malformed %-escape names no node (404), rather than failing the request. */
function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return "";
  }
}

/**
 * The dashboard as the watch server's `extra` route hook: it answers its own paths and
 * /static/*, and leaves everything else (/healthz, /metrics) to the server.
 */
export function createDashboard(d: DashboardDeps): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const assets = loadAssets();
  let lastSweep = 0;
  return async (req, res) => {
    const c = new Ctx(req, res, d);
    if (req.method === "GET" && c.path.startsWith("/static/")) return serveAsset(assets, c.path, res);
    const match = ROUTES.map((r) => ({ r, m: typeof r.path === "string" ? (r.path === c.path ? ([c.path] as RegExpMatchArray) : null) : c.path.match(r.path) })).find((x) => x.m !== null && x.r.method === req.method);
    if (match === undefined) return false;
    if (d.clock.now() - lastSweep > SWEEP_MS) {
      lastSweep = d.clock.now();
      await d.sessions.sweep();
    }
    await c.loadSession();
    if (match.r.open !== true && c.session?.stage !== "full") {
      redirect(res, c.session === null && c.cookies.has("nw_session") ? "/login?expired" : "/login");
      return true;
    }
    await match.r.run(c, match.m);
    return true;
  };
}
