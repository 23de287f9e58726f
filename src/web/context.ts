import type { IncomingMessage, ServerResponse } from "node:http";
import type { SessionRecord } from "../auth/ports.ts";
import { tokensEqual, type Sessions } from "../auth/sessions.ts";
import type { AuthService, AuthLog } from "../auth/service.ts";
import type { IpThrottle } from "../auth/throttle.ts";
import type { Clock } from "../core/clock.ts";
import type { DashboardConfig } from "./config.ts";
import type { ReadModelDeps } from "./fleet-view.ts";
import { clientIp, cookies, FormError, isHttps, readForm } from "./request.ts";
import { cookie } from "./respond.ts";

/** What every route handler gets: the request, its session (if any), and the capabilities. */

export const SESSION_COOKIE = "nw_session";
export const LOGIN_COOKIE = "nw_login";

export interface DashboardDeps {
  auth: AuthService;
  sessions: Sessions;
  read: ReadModelDeps;
  config: DashboardConfig;
  clock: Pick<Clock, "now">;
  ipThrottle: IpThrottle;
  log: AuthLog;
  watcherOffline: () => boolean;
}

export class Ctx {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly d: DashboardDeps;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly ip: string;
  readonly secure: boolean;
  readonly cookies: Map<string, string>;
  session: SessionRecord | null = null;

  constructor(req: IncomingMessage, res: ServerResponse, d: DashboardDeps) {
    this.req = req;
    this.res = res;
    this.d = d;
    const url = new URL(req.url ?? "/", "http://dashboard.invalid");
    this.path = url.pathname;
    this.query = url.searchParams;
    this.ip = clientIp(req, d.config.trustProxy);
    this.secure = d.config.secureCookies || isHttps(req, d.config.trustProxy);
    this.cookies = cookies(req);
  }

  async loadSession(): Promise<SessionRecord | null> {
    this.session = await this.d.sessions.resolve(this.cookies.get(SESSION_COOKIE));
    return this.session;
  }

  sessionCookie(id: string | null): string {
    return cookie(SESSION_COOKIE, id ?? "", { secure: this.secure, ...(id === null ? { maxAge: 0 } : {}) });
  }

  loginCookie(token: string | null): string {
    return cookie(LOGIN_COOKIE, token ?? "", { secure: this.secure, maxAge: token === null ? 0 : 600 });
  }

  /**
   * The form of a POST, after the CSRF check: the token in the form must equal the session's (or,
   * before sign-in, the login cookie's), and a cross-site Origin is refused outright.
   * Null when the check fails (the caller answers 403).
   */
  async form(): Promise<URLSearchParams | null> {
    const site = this.req.headers["sec-fetch-site"];
    if (site === "cross-site") return null;
    // Behind a proxy the Host header may be the upstream's; compare with X-Forwarded-Host then, if sent.
    // Browsers send "Origin: null" on form posts from a no-referrer page: the token decides then.
    const origin = this.req.headers.origin;
    const host = this.d.config.trustProxy ? firstHeader(this.req.headers["x-forwarded-host"]) : this.req.headers.host;
    if (origin !== undefined && origin !== "null" && host !== undefined) {
      try {
        if (new URL(origin).host !== host) return null;
      } catch {
        return null;
      }
    }
    let form: URLSearchParams;
    try {
      form = await readForm(this.req);
    } catch (e) {
      if (e instanceof FormError) return null;
      throw e;
    }
    const expected = this.session?.csrfToken ?? this.cookies.get(LOGIN_COOKIE) ?? "";
    return tokensEqual(form.get("csrf") ?? "", expected) ? form : null;
  }
}

function firstHeader(v: string | string[] | undefined): string | undefined {
  const first = (Array.isArray(v) ? v[0] : v)?.split(",")[0]?.trim();
  return first === "" ? undefined : first;
}
