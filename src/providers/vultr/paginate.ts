import type { z } from "zod";
import type { CallSite } from "./http-errors.ts";
import type { CallOptions, VultrHttp } from "./http.ts";
import { describeIssues, metaSchema } from "./wire.ts";

/** Vultr's maximum page size. */
export const PER_PAGE = 500;
/** 5 million items: far beyond any account; stops a server that keeps inventing cursors. */
const MAX_PAGES = 10_000;

/** Validates an answer's body; a mismatch is PROVIDER_BAD_RESPONSE naming the endpoint and field. */
export function parseAnswer<T>(http: VultrHttp, schema: z.ZodType<T>, body: unknown, site: CallSite, prefix = ""): T {
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  throw http.errors.badResponse(site, describeIssues(r.error, prefix));
}

export interface ListRequest<T> {
  /** e.g. "/instances". */
  path: string;
  /** The list's key in each page, e.g. "instances". */
  key: string;
  item: z.ZodType<T>;
  query?: CallOptions["query"];
  signal?: AbortSignal;
}

/**
 * Every item of a cursor-paginated list: `per_page=500`, then `cursor = meta.links.next` until it
 * is "" or missing. A cursor seen twice is an error, not an endless loop.
 */
export async function paginate<T>(http: VultrHttp, req: ListRequest<T>): Promise<T[]> {
  const items: T[] = [];
  const seen = new Set<string>();
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const query = { ...req.query, per_page: PER_PAGE, cursor };
    const res = await http.get(req.path, { query, signal: req.signal });
    const site: CallSite = { method: "GET", path: req.path };
    const body = res.body;
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      throw http.errors.badResponse(site, `expected an object with "${req.key}" and "meta", got ${describe(body)}`);
    }
    const list = (body as Record<string, unknown>)[req.key];
    if (!Array.isArray(list)) throw http.errors.badResponse(site, `${req.key}: expected an array, got ${describe(list)}`);
    list.forEach((raw, i) => items.push(parseAnswer(http, req.item, raw, site, `${req.key}[${i}]`)));
    const meta = parseAnswer(http, metaSchema, (body as Record<string, unknown>).meta, site, "meta");
    const next = meta?.links?.next ?? "";
    if (next === "") return items;
    if (seen.has(next)) {
      throw http.errors.badResponse(site, `pagination cursor ${JSON.stringify(next.slice(0, 40))} came back a second time after ${items.length} items (stopped to avoid an endless loop)`);
    }
    seen.add(next);
    cursor = next;
  }
  throw http.errors.badResponse({ method: "GET", path: req.path }, `more than ${MAX_PAGES} pages`);
}

function describe(v: unknown): string {
  if (v === undefined) return "nothing";
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  return typeof v === "object" ? "an object" : `a ${typeof v}`;
}
