import { isMap, isScalar, isSeq, parseDocument, stringify, type Document, type Node, type Pair, type YAMLMap, type YAMLSeq } from "yaml";
import { AppError } from "../core/errors.ts";
import { oneLine } from "../core/safe-text.ts";
import type { SmartnodeEntry } from "../netview/config.ts";

/**
 * Writes `smartnodes:` entries into nodeward.yaml text. Pure. Only the bytes of the list change:
 * the Document API finds where the key, the list and each value are, and the text is spliced
 * there, because re-printing the whole document would re-flow the operator's aligned comments
 * and flow lists. An entry whose alias is in the file has its changed values replaced in place
 * (its comments stay); a new one is appended to the list; `smartnodes: []` becomes a block list.
 */

export interface SmartnodeItem extends SmartnodeEntry {
  /** One line written as a comment above the entry (why it matches no node); replaces the previous one. */
  note?: string;
}

/** Comment lines this writer owns: the one above an entry is replaced on the next import. */
const NOTE = "# nodeward import: ";
const FIELDS = ["address", "txid", "index"] as const;

interface Splice {
  at: number;
  end: number;
  text: string;
}

export function upsertSmartnodes(text: string, items: readonly SmartnodeItem[]): string {
  const doc = parseDocument(text, { uniqueKeys: true });
  const root = doc.contents;
  if (doc.errors.length > 0 || !isMap(root) || root.flow === true || root.range == null) {
    throw new AppError("USAGE", "nodeward.yaml is not a block mapping of settings, which is all `import --write` edits in place", {
      hint: "run the import without --write and paste the printed smartnodes block yourself",
    });
  }
  const pair = root.items.find((p) => isScalar(p.key) && p.key.value === "smartnodes");
  if (pair === undefined) return appendKey(text, root, items);
  const list = pair.value as Node | null;
  if (isSeq(list) && list.flow !== true && list.range != null) return apply(text, upsertInBlock(text, list, items));
  if (isSeq(list) || (isScalar(list) && list.value === null)) return replaceValue(text, pair, mergeByAlias(existingEntries(doc, list), items));
  throw new AppError("USAGE", "smartnodes in nodeward.yaml is not a list", { hint: "run `nodeward config check`" });
}

/** `smartnodes:` and its entries as a block for stdout (or to paste). */
export function smartnodesBlock(items: readonly SmartnodeItem[]): string {
  return items.length === 0 ? "smartnodes: []\n" : `smartnodes:\n${items.map((i) => itemText(i, "  ")).join("")}`;
}

/** "- alias: …" lines at `pad`, the note above. */
function itemText(item: SmartnodeItem, pad: string): string {
  const body = stringify({ alias: item.alias, address: item.address, txid: item.txid, index: item.index }, { lineWidth: 0 });
  const lines = body.trimEnd().split("\n").map((l, i) => `${pad}${i === 0 ? "- " : "  "}${l}\n`);
  return `${noteText(item, pad)}${lines.join("")}`;
}

function noteText(item: SmartnodeItem, pad: string): string {
  return item.note === undefined ? "" : `${pad}${NOTE}${oneLine(item.note)}\n`;
}

function appendKey(text: string, root: YAMLMap, items: readonly SmartnodeItem[]): string {
  const first = root.items[0]?.key as Node | undefined;
  const pad = first?.range == null ? "" : " ".repeat(columnOf(text, first.range[0]));
  const end = root.range![2];
  const tail = text.slice(end);
  // After a document end marker ("..."), text is another document: write before it.
  const at = /^\.\.\.\s*$/m.test(tail) ? end : text.length;
  const head = text.slice(0, at);
  const block = smartnodesBlock(items).replace(/^(?=.)/gm, pad);
  const sep = head === "" || head.endsWith("\n\n") ? "" : head.endsWith("\n") ? "\n" : "\n\n";
  return `${head}${sep}${block}${text.slice(at)}`;
}

/** `smartnodes:` with no value, `~`, or a flow list: the value goes, the key line (and its comment) stays, the block follows. */
function replaceValue(text: string, pair: Pair, entries: readonly SmartnodeItem[]): string {
  const key = pair.key as Node;
  const value = pair.value as Node;
  const empty = value.range == null || value.range[0] === value.range[1];
  const [from, to] = empty ? [key.range![1], key.range![1]] : [value.range![0], value.range![1]];
  const lineEnd = text.indexOf("\n", to);
  const rest = lineEnd === -1 ? "" : text.slice(lineEnd + 1);
  const removed = text.slice(from, to);
  // "[]" becomes two spaces, so a comment after it stays in its column.
  const head = `${text.slice(0, from)}${removed.includes("\n") || removed.length > 8 ? " " : " ".repeat(removed.length)}${text.slice(to, lineEnd === -1 ? text.length : lineEnd)}`.replace(/[ \t]+$/, "");
  const pad = " ".repeat(columnOf(text, key.range![0]) + 2);
  return `${head}\n${entries.map((i) => itemText(i, pad)).join("")}${rest}`;
}

function mergeByAlias(existing: readonly SmartnodeItem[], items: readonly SmartnodeItem[]): SmartnodeItem[] {
  const incoming = new Map(items.map((i) => [i.alias, i]));
  const present = new Set(existing.map((e) => e.alias));
  return [...existing.map((e) => incoming.get(e.alias) ?? e), ...items.filter((i) => !present.has(i.alias))];
}

function existingEntries(doc: Document, list: Node | null): SmartnodeItem[] {
  if (!isSeq(list)) return [];
  const value = list.toJS(doc) as unknown;
  return Array.isArray(value) ? (value as SmartnodeItem[]) : [];
}

/** Splices for a block list: changed values of known aliases, notes, new entries after the last. */
function upsertInBlock(text: string, list: YAMLSeq, items: readonly SmartnodeItem[]): Splice[] {
  const splices: Splice[] = [];
  const pad = " ".repeat(columnOf(text, list.range![0]));
  const appended: SmartnodeItem[] = [];
  for (const item of items) {
    const map = list.items.find((m): m is YAMLMap => isMap(m) && String(m.get("alias")).trim() === item.alias);
    if (map === undefined) {
      appended.push(item);
      continue;
    }
    for (const field of FIELDS) splices.push(...valueSplice(map, field, item[field]));
    splices.push(...noteSplices(text, map, item));
  }
  if (appended.length > 0) {
    const end = list.range![1];
    const nl = text[end - 1] === "\n" ? end - 1 : text.indexOf("\n", end);
    const at = nl === -1 ? text.length : nl + 1;
    splices.push({ at, end: at, text: `${nl === -1 ? "\n" : ""}${appended.map((i) => itemText(i, pad)).join("")}` });
  }
  return splices;
}

function valueSplice(map: YAMLMap, field: (typeof FIELDS)[number], want: string | number): Splice[] {
  const pair = map.items.find((p) => isScalar(p.key) && p.key.value === field);
  const node = pair?.value as Node | undefined;
  if (!isScalar(node) || node.range == null) {
    throw new AppError("USAGE", `a smartnodes entry's ${field} is not a plain value (an anchor or alias?): import --write cannot edit it in place`, {
      hint: "edit that entry by hand, or run the import without --write",
    });
  }
  const have = typeof node.value === "string" && field === "txid" ? node.value.trim().toLowerCase() : node.value;
  if (have === want) return [];
  const text = typeof want === "number" ? String(want) : map.flow === true ? JSON.stringify(want) : stringify(want, { lineWidth: 0 }).trimEnd();
  return [{ at: node.range[0], end: node.range[1], text }];
}

/** Removes this writer's note above the entry's "-" line and writes the new one, if any. */
function noteSplices(text: string, map: YAMLMap, item: SmartnodeItem): Splice[] {
  let dash = map.range![0] - 1;
  while (dash > 0 && /\s/.test(text[dash] ?? "")) dash--;
  const lineStart = text.lastIndexOf("\n", dash - 1) + 1;
  const pad = " ".repeat(dash - lineStart);
  const prevStart = lineStart === 0 ? 0 : text.lastIndexOf("\n", lineStart - 2) + 1;
  const previous = text.slice(prevStart, lineStart);
  const ours = lineStart > 0 && previous.trimStart().startsWith(NOTE);
  const from = ours ? prevStart : lineStart;
  const note = noteText(item, pad);
  return ours || note !== "" ? [{ at: from, end: lineStart, text: note }] : [];
}

function apply(text: string, splices: readonly Splice[]): string {
  let out = text;
  for (const s of [...splices].sort((a, b) => b.at - a.at)) out = out.slice(0, s.at) + s.text + out.slice(s.end);
  return out;
}

function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf("\n", offset - 1) + 1);
}
