import { fail, type SimResult } from "./model.ts";

/**
 * Vultr's cursor pagination: `per_page` (default 100, 1..500) and an opaque `cursor`; the answer
 * carries `meta: { total, links: { next, prev } }` with "" for "no such page". The cursor is
 * base64url of "o:<offset>", opaque to clients. Pure.
 */

export const DEFAULT_PER_PAGE = 100;
export const MAX_PER_PAGE = 500;

export interface Meta {
  total: number;
  links: { next: string; prev: string };
}

export interface Page<T> {
  items: T[];
  meta: Meta;
}

export function encodeCursor(offset: number): string {
  return Buffer.from(`o:${offset}`, "utf8").toString("base64url");
}

export function decodeCursor(cursor: string): number | null {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) return null;
  const m = /^o:(\d{1,9})$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  return m ? Number(m[1]) : null;
}

/** Reads per_page and cursor from the query; 400 for values Vultr would refuse. */
export function pageRequest(query: URLSearchParams): SimResult<{ offset: number; perPage: number }> {
  const rawPerPage = query.get("per_page");
  let perPage = DEFAULT_PER_PAGE;
  if (rawPerPage !== null && rawPerPage !== "") {
    if (!/^\d+$/.test(rawPerPage)) return fail(400, "Invalid per_page: expected an integer.");
    perPage = Number(rawPerPage);
    if (perPage < 1 || perPage > MAX_PER_PAGE) return fail(400, `Invalid per_page: must be between 1 and ${MAX_PER_PAGE}.`);
  }
  const cursor = query.get("cursor");
  let offset = 0;
  if (cursor !== null && cursor !== "") {
    const decoded = decodeCursor(cursor);
    if (decoded === null) return fail(400, "Invalid cursor.");
    offset = decoded;
  }
  return { ok: true, value: { offset, perPage } };
}

export function paginate<T>(all: readonly T[], offset: number, perPage: number): Page<T> {
  const items = all.slice(offset, offset + perPage);
  const next = offset + perPage < all.length ? encodeCursor(offset + perPage) : "";
  const prev = offset > 0 ? encodeCursor(Math.max(0, offset - perPage)) : "";
  return { items, meta: { total: all.length, links: { next, prev } } };
}
