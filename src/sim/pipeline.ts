import type { Clock } from "../core/clock.ts";
import type { FaultInjector } from "./faults.ts";
import type { SlidingWindowLimiter } from "./rate-limit.ts";
import { errorReply, type Reply } from "./reply.ts";
import { routeKind, type Router } from "./router.ts";
import type { SimState } from "./state.ts";
import type { StatsRecorder } from "./stats.ts";

/**
 * One request from arrival to outcome, without sockets; the server does the I/O. In order:
 * count it (stats), latency, dropRate, rateLimitBurst, the per-IP rate limit (429 + Retry-After),
 * authentication (401), errorRate (500), garbage, routing (404/405), the JSON body (400),
 * failWrite (for writes that got this far), then the route itself.
 */

export interface IncomingCall {
  method: string;
  /** Request target as received, e.g. "/v2/firewalls?per_page=2". */
  url: string;
  remoteAddress: string;
  authorization: string | undefined;
  body: string;
}

export type Outcome =
  | {
      kind: "reply";
      reply: Reply;
      /** What to validate the answer against: the spec operation, or only the error shape. */
      spec: { method: string; path: string } | "error-only";
      /** The change was applied; destroy the socket instead of answering. */
      dropAfterApply?: boolean;
    }
  | { kind: "drop" }
  | { kind: "garbage"; status: 200; contentType: string; text: string };

export interface PipelineDeps {
  state: SimState;
  router: Router;
  faults: FaultInjector;
  limiter: SlidingWindowLimiter | null;
  stats: StatsRecorder;
  apiKey: string;
  clock: Clock;
}

const WRITES = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const RETRY_AFTER = { "Retry-After": "1" };
const GARBAGE = "<html><body><h1>502 Bad Gateway</h1></body></html>";

export async function handleCall(deps: PipelineDeps, call: IncomingCall): Promise<Outcome> {
  const { faults, stats } = deps;
  const url = new URL(call.url, "http://sim.invalid");
  const path = apiPath(url.pathname);
  const match = path === null ? ({ kind: "not-found" } as const) : deps.router.match(call.method, path);
  const found = match.kind === "found" ? match : null;
  const spec = found ? { method: call.method, path: found.route.path } : ("error-only" as const);
  const write = WRITES.has(call.method);
  stats.request(found ? routeKind(call.method, found.route.path) : `${call.method} (unmatched)`, write);

  const answer = (reply: Reply, dropAfterApply = false): Outcome => {
    stats.outcome(dropAfterApply ? "dropped" : reply.status);
    return dropAfterApply ? { kind: "reply", reply, spec, dropAfterApply } : { kind: "reply", reply, spec };
  };
  const drop = (): Outcome => {
    stats.outcome("dropped");
    return { kind: "drop" };
  };

  if (faults.latencyMs() > 0) await deps.clock.sleep(faults.latencyMs());
  if (faults.shouldDrop()) return drop();
  if (faults.takeBurst()) return answer(errorReply(429, "rate limit exceeded", RETRY_AFTER));
  if (deps.limiter && !deps.limiter.tryAcquire(call.remoteAddress)) {
    return answer(errorReply(429, "rate limit exceeded", RETRY_AFTER));
  }
  if (!authorized(call.authorization, deps.apiKey)) return answer(errorReply(401, "Invalid API token."));
  if (faults.shouldError()) return answer(errorReply(500, "Internal server error."));
  if (faults.garbage()) {
    stats.outcome(200);
    return { kind: "garbage", status: 200, contentType: "application/json", text: GARBAGE };
  }
  if (match.kind === "not-found") return answer(errorReply(404, `Not found: ${url.pathname} is not an API route.`));
  if (match.kind === "method-not-allowed") {
    const reply = errorReply(405, `Method not allowed: ${call.method} ${url.pathname} (allowed: ${match.allow.join(", ")}).`);
    return answer({ ...reply, headers: { Allow: match.allow.join(", ") } });
  }

  let body: unknown;
  if (call.body.trim() !== "") {
    try {
      body = JSON.parse(call.body);
    } catch {
      return answer(errorReply(400, "Invalid JSON in request body."));
    }
  }
  const failure = write ? faults.onWrite() : null;
  if (failure === "error") return answer(errorReply(500, "Internal server error."));
  if (failure === "drop-before") return drop();
  const reply = match.route.handle({ params: match.params, query: url.searchParams, body, state: deps.state });
  return answer(reply, failure === "drop-after");
}

/** "/v2/firewalls/" → "/firewalls"; null outside /v2. */
function apiPath(pathname: string): string | null {
  if (pathname !== "/v2" && !pathname.startsWith("/v2/")) return null;
  const rest = pathname.slice(3).replace(/\/+$/, "");
  return rest === "" ? "/" : rest;
}

function authorized(header: string | undefined, apiKey: string): boolean {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  return m !== null && m[1] === apiKey;
}
