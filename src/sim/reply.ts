import type { SimState } from "./state.ts";
import { errorJson } from "./present.ts";

/** What a route answers, before any I/O: the server turns it into an HTTP response. */
export interface Reply {
  status: number;
  /** Serialised as JSON; absent = no body (204). */
  body?: unknown;
  headers?: Readonly<Record<string, string>>;
}

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface RouteContext {
  params: Readonly<Record<string, string>>;
  query: URLSearchParams;
  /** Parsed JSON body; undefined when the request had none. */
  body: unknown;
  state: SimState;
}

export interface Route {
  method: HttpMethod;
  /** The spec's path template, e.g. "/firewalls/{firewall-group-id}/rules". */
  path: string;
  handle(ctx: RouteContext): Reply;
}

export function json(status: number, body: unknown): Reply {
  return { status, body };
}

export function noContent(): Reply {
  return { status: 204 };
}

export function errorReply(status: number, message: string, headers?: Record<string, string>): Reply {
  return headers ? { status, body: errorJson(status, message), headers } : { status, body: errorJson(status, message) };
}

export function failure(r: { status: number; error: string }): Reply {
  return errorReply(r.status, r.error);
}
