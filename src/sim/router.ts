import type { HttpMethod, Route } from "./reply.ts";

/**
 * Matches a request path (relative to /v2) against the route table. A static segment beats a
 * parameter, so `POST /instances/reboot` is the bulk action, not an instance called "reboot".
 */

export type RouteMatch =
  | { kind: "found"; route: Route; params: Record<string, string> }
  | { kind: "method-not-allowed"; allow: HttpMethod[] }
  | { kind: "not-found" };

interface Compiled {
  route: Route;
  segments: string[];
  statics: number;
}

export class Router {
  readonly #compiled: Compiled[];

  constructor(routes: readonly Route[]) {
    this.#compiled = routes.map((route) => {
      const segments = split(route.path);
      return { route, segments, statics: segments.filter((s) => !isParam(s)).length };
    });
  }

  match(method: string, path: string): RouteMatch {
    const parts = split(path);
    const hits: { c: Compiled; params: Record<string, string> }[] = [];
    for (const c of this.#compiled) {
      const params = matchSegments(c.segments, parts);
      if (params) hits.push({ c, params });
    }
    if (hits.length === 0) return { kind: "not-found" };
    const allowed = hits.filter((h) => h.c.route.method === method).sort((a, b) => b.c.statics - a.c.statics);
    const best = allowed[0];
    if (best) return { kind: "found", route: best.c.route, params: best.params };
    return { kind: "method-not-allowed", allow: [...new Set(hits.map((h) => h.c.route.method))] };
  }
}

/** "GET /firewalls/{id}/rules": the stats key, every path parameter written {id}. */
export function routeKind(method: string, template: string): string {
  return `${method} ${template.replace(/\{[^}]+\}/g, "{id}")}`;
}

function split(path: string): string[] {
  return path.split("/").filter((s) => s !== "");
}

function isParam(segment: string): boolean {
  return segment.startsWith("{") && segment.endsWith("}");
}

function matchSegments(pattern: string[], parts: string[]): Record<string, string> | null {
  if (pattern.length !== parts.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i] as string;
    const v = parts[i] as string;
    if (isParam(p)) {
      try {
        params[p.slice(1, -1)] = decodeURIComponent(v);
      } catch {
        return null;
      }
    } else if (p !== v) return null;
  }
  return params;
}
