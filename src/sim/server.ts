import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { systemClock, type Clock } from "../core/clock.ts";
import { FaultInjector, type Faults } from "./faults.ts";
import type { FirewallStateRecord } from "./model.ts";
import { handleCall, type Outcome, type PipelineDeps } from "./pipeline.ts";
import { createRandom } from "./prng.ts";
import { SlidingWindowLimiter } from "./rate-limit.ts";
import { Router } from "./router.ts";
import { simRoutes } from "./routes.ts";
import { createSpecValidator, type SpecValidator } from "./spec-validate.ts";
import { SimState } from "./state.ts";
import { StatsRecorder, type SimStats } from "./stats.ts";

export type { Faults } from "./faults.ts";
export type { SimStats } from "./stats.ts";
export type { FirewallStateRecord } from "./model.ts";
export { SimState } from "./state.ts";

export interface SimOptions {
  /** Default "127.0.0.1". */
  host?: string;
  /** Default 0 (any free port). */
  port?: number;
  /** Default "SIMKEY0000000000000000000000000000000000". */
  apiKey?: string;
  /** Default 30 per sliding 1000 ms window per source IP; false = unlimited. */
  rateLimitPerSecond?: number | false;
  /** A PATCHed firewall_group_id is answered 202 at once but takes effect this much later (default 0). */
  attachDelayMs?: number;
  faults?: Partial<Faults>;
  /** Validate every answer against the vendored spec; problems collect in `violations`. */
  validateResponses?: boolean;
  /** PRNG seed for faults (default 1). */
  seed?: number;
  clock?: Clock;
}

export interface SpecViolation {
  method: string;
  /** The request path as received, without the query. */
  path: string;
  status: number;
  errors: string[];
}

export interface Sim {
  /** Base URL including "/v2", e.g. "http://127.0.0.1:41234/v2". */
  readonly url: string;
  readonly apiKey: string;
  readonly state: SimState;
  /** Merges into the current faults; `setFaults({})` keeps them. */
  setFaults(f: Partial<Faults>): void;
  clearFaults(): void;
  faults(): Faults;
  stats(): SimStats;
  resetStats(): void;
  readonly violations: SpecViolation[];
  history(instanceId: string): FirewallStateRecord[];
  close(): Promise<void>;
}

export const DEFAULT_SIM_API_KEY = "SIMKEY0000000000000000000000000000000000";
const MAX_BODY_BYTES = 1024 * 1024;

export async function startSim(options: SimOptions = {}): Promise<Sim> {
  const clock = options.clock ?? systemClock;
  const apiKey = options.apiKey ?? DEFAULT_SIM_API_KEY;
  const state = new SimState({ clock, attachDelayMs: options.attachDelayMs ?? 0 });
  const faults = new FaultInjector(createRandom(options.seed ?? 1), options.faults);
  const stats = new StatsRecorder();
  const rate = options.rateLimitPerSecond ?? 30;
  const limiter = rate === false ? null : new SlidingWindowLimiter(rate, 1000, clock);
  const deps: PipelineDeps = { state, router: new Router(simRoutes()), faults, limiter, stats, apiKey, clock };
  const validator = options.validateResponses ? createSpecValidator() : null;
  const violations: SpecViolation[] = [];

  const server = createServer((req, res) => {
    serve(deps, validator, violations, req, res).catch((err: unknown) => {
      // A bug in the simulator: answer 500 and, when checking, make the test fail on it.
      const error = `Simulator failure: ${String(err)}`;
      if (validator) violations.push({ method: req.method ?? "", path: req.url ?? "", status: 500, errors: [error] });
      if (!res.headersSent) res.writeHead(500, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ error, status: 500 }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}/v2`,
    apiKey,
    state,
    setFaults: (f) => faults.set(f),
    clearFaults: () => faults.clear(),
    faults: () => faults.current(),
    stats: () => stats.snapshot(),
    resetStats: () => stats.reset(),
    violations,
    history: (id) => state.history(id),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function serve(
  deps: PipelineDeps,
  validator: SpecValidator | null,
  violations: SpecViolation[],
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const body = await readBody(req);
  const method = req.method ?? "GET";
  const outcome: Outcome =
    body === null
      ? { kind: "reply", reply: { status: 400, body: { error: "Request body too large.", status: 400 } }, spec: "error-only" }
      : await handleCall(deps, {
          method,
          url: req.url ?? "/",
          remoteAddress: req.socket.remoteAddress ?? "unknown",
          authorization: req.headers.authorization,
          body,
        });
  if (outcome.kind === "drop" || (outcome.kind === "reply" && outcome.dropAfterApply)) {
    req.socket.destroy();
    return;
  }
  if (outcome.kind === "garbage") {
    res.writeHead(outcome.status, { "Content-Type": outcome.contentType, "Content-Length": Buffer.byteLength(outcome.text) });
    res.end(outcome.text);
    return;
  }
  const { reply } = outcome;
  const text = reply.body === undefined ? "" : JSON.stringify(reply.body);
  const headers: Record<string, string | number> = { ...reply.headers };
  if (text !== "") {
    headers["Content-Type"] = "application/json";
    headers["Content-Length"] = Buffer.byteLength(text);
  }
  res.writeHead(reply.status, headers);
  res.end(text);
  if (validator) {
    const errors =
      outcome.spec === "error-only"
        ? validator.validateErrorBody(reply.status, text)
        : validator.validateResponse(outcome.spec.method, outcome.spec.path, reply.status, text);
    const path = new URL(req.url ?? "/", "http://sim.invalid").pathname;
    if (errors.length > 0) violations.push({ method, path, status: reply.status, errors });
  }
}

/** The whole body as text; null when it exceeds the limit. */
async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString("utf8");
}
