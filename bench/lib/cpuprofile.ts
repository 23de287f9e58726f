/**
 * Summarises a V8 .cpuprofile (from node --cpu-prof or the inspector): self time per function,
 * self time per source file / area, self time by owner (the innermost frame of our own code on
 * the stack, with what it spent in Node, native code and packages beneath it), and inclusive time
 * of chosen functions, as shares of the busy (non-idle) time. Frames of an esbuild bundle (the
 * daemon as shipped) are named by the module they come from, read from the bundle's
 * "// src/…" comments. Also a CLI:  node --import tsx bench/lib/cpuprofile.ts FILE [TOP]
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { fileURLToPath } from "node:url";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface Row {
  name: string;
  ms: number;
  share: number;
}

/** Self time whose innermost frame of our own code (src/…) is in `name`: in that code itself, and beneath it. */
export interface OwnerRow extends Row {
  ownMs: number;
  /** Node's JS (node:…), native code (connect, writeBuffer, …: the system calls are in there) and packages, called from it. */
  beneathMs: number;
}

export interface ProfileSummary {
  wallMs: number;
  busyMs: number;
  idleMs: number;
  byFunction: Row[];
  byArea: Row[];
  byOwner: OwnerRow[];
  /** Inclusive (self + callees) time of the frames whose name matches, busy share. */
  inclusive: Row[];
}

const short = (url: string) => {
  const i = url.indexOf("/src/");
  if (i >= 0) return url.slice(i + 1);
  const nm = url.lastIndexOf("/node_modules/");
  if (nm >= 0) return url.slice(nm + 14);
  return url.replace(/^file:\/\//, "");
};

/** Per bundle file: the first line (1-based) of each module and its path, in order. */
const bundles = new Map<string, { line: number; module: string }[] | null>();

/** The module an esbuild bundle's line comes from ("src/netview/codec.ts", "node_modules/…"), or null when the url is no bundle. */
function bundleModule(url: string, lineNumber: number): string | null {
  if (!url.endsWith(".mjs")) return null;
  let starts = bundles.get(url);
  if (starts === undefined) {
    const path = url.startsWith("file:") ? fileURLToPath(url) : url;
    starts = null;
    if (existsSync(path)) {
      const found: { line: number; module: string }[] = [];
      readFileSync(path, "utf8").split("\n").forEach((text, i) => {
        const m = /^\/\/ ((?:src|bench|node_modules)\/\S+)$/.exec(text);
        if (m !== null) found.push({ line: i + 1, module: m[1]! });
      });
      if (found.length > 0) starts = found;
    }
    bundles.set(url, starts);
  }
  if (starts === null) return null;
  const line = lineNumber + 1;
  let lo = 0;
  let hi = starts.length - 1;
  if (line < starts[0]!.line) return null;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]!.line <= line) lo = mid;
    else hi = mid - 1;
  }
  return starts[lo]!.module.replace(/^node_modules\//, "");
}

/** The frame's source file as a reader knows it: src/…, a package path, node:… */
function fileOf(n: ProfileNode): string {
  const { url, lineNumber } = n.callFrame;
  return bundleModule(url, lineNumber) ?? short(url);
}

/** Where a frame's self time belongs, coarsely. */
function area(n: ProfileNode): string {
  const { url, functionName } = n.callFrame;
  if (url === "") return functionName.startsWith("(") ? functionName : "(native)";
  if (url.startsWith("node:")) return url.replace(/^node:internal\//, "node:").split("/").slice(0, 2).join("/");
  const s = fileOf(n);
  if (s.startsWith("src/")) return s.split("/").slice(0, 2).join("/");
  return s.split("/")[0] ?? s;
}

/** Profiles this process until the returned function is called; it writes the .cpuprofile to `path`. */
export async function profileSelf(path: string): Promise<() => Promise<void>> {
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 1000 });
  await session.post("Profiler.start");
  return async () => {
    const { profile } = await session.post("Profiler.stop");
    writeFileSync(path, JSON.stringify(profile));
    session.disconnect();
  };
}

export function summarize(p: CpuProfile, inclusiveNames: readonly string[] = []): ProfileSummary {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) self.set(p.samples[i]!, (self.get(p.samples[i]!) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000);
  const wallMs = (p.endTime - p.startTime) / 1000;
  let idleMs = 0;
  const fn = new Map<string, number>();
  const ar = new Map<string, number>();
  for (const [id, ms] of self) {
    const n = byId.get(id)!;
    if (n.callFrame.functionName === "(idle)") {
      idleMs += ms;
      continue;
    }
    const name = n.callFrame.url === "" ? n.callFrame.functionName : `${n.callFrame.functionName || "(anonymous)"} ${fileOf(n)}${bundleModule(n.callFrame.url, n.callFrame.lineNumber) === null ? `:${n.callFrame.lineNumber + 1}` : ""}`;
    fn.set(name, (fn.get(name) ?? 0) + ms);
    ar.set(area(n), (ar.get(area(n)) ?? 0) + ms);
  }
  const busyMs = [...fn.values()].reduce((a, b) => a + b, 0);
  // Inclusive time: a depth-first walk with the set of matched names on the current path, so
  // recursion does not count twice.
  const inc = new Map<string, number>();
  const total = new Map<number, number>();
  const walk = (id: number): number => {
    const n = byId.get(id)!;
    let t = self.get(id) ?? 0;
    for (const c of n.children ?? []) t += walk(c);
    total.set(id, t);
    return t;
  };
  const root = p.nodes[0]!;
  walk(root.id);
  const mark = (id: number, onPath: Set<string>) => {
    const n = byId.get(id)!;
    const hit = inclusiveNames.find((x) =>
      x.startsWith("(") ? n.callFrame.functionName === x : x.startsWith("file:") ? fileOf(n).startsWith(x.slice(5)) : `${n.callFrame.functionName} ${fileOf(n)}`.startsWith(x),
    );
    const added = hit !== undefined && !onPath.has(hit);
    if (added) {
      inc.set(hit, (inc.get(hit) ?? 0) + (total.get(id) ?? 0));
      onPath.add(hit);
    }
    for (const c of n.children ?? []) mark(c, onPath);
    if (added) onPath.delete(hit);
  };
  mark(root.id, new Set());
  // Owner: the innermost src/ (or bench/) file on the stack; V8's own entries ((garbage collector), (program)) stand for themselves.
  const owners = new Map<string, { own: number; beneath: number }>();
  const own = (id: number, owner: string | null) => {
    const n = byId.get(id)!;
    const file = n.callFrame.url === "" ? null : fileOf(n);
    const mine = file !== null && (file.startsWith("src/") || file.startsWith("bench/"));
    const who = mine ? file : owner;
    const ms = self.get(id) ?? 0;
    if (ms > 0 && n.callFrame.functionName !== "(idle)") {
      const name = who ?? (n.callFrame.url === "" && n.callFrame.functionName.startsWith("(") ? n.callFrame.functionName : "(no frame of ours on the stack)");
      const row = owners.get(name) ?? { own: 0, beneath: 0 };
      if (mine) row.own += ms;
      else row.beneath += ms;
      owners.set(name, row);
    }
    for (const c of n.children ?? []) own(c, who);
  };
  own(root.id, null);
  const rows = (m: Map<string, number>) =>
    [...m.entries()].map(([name, ms]) => ({ name, ms, share: busyMs === 0 ? 0 : ms / busyMs })).sort((a, b) => b.ms - a.ms);
  const byOwner = [...owners.entries()]
    .map(([name, o]) => ({ name, ms: o.own + o.beneath, ownMs: o.own, beneathMs: o.beneath, share: busyMs === 0 ? 0 : (o.own + o.beneath) / busyMs }))
    .sort((a, b) => b.ms - a.ms);
  return { wallMs, busyMs, idleMs, byFunction: rows(fn), byArea: rows(ar), byOwner, inclusive: rows(inc) };
}

/**
 * What `on` spent beyond `off`, by owner, each scaled to `on`'s wall time: the cost of what the
 * on-run does and the off-run does not (bench:netview: the network view). Largest first.
 */
export function ownerDifference(on: ProfileSummary, off: ProfileSummary): OwnerRow[] {
  const scale = off.wallMs === 0 ? 0 : on.wallMs / off.wallMs;
  const offBy = new Map(off.byOwner.map((r) => [r.name, r]));
  const names = new Set([...on.byOwner.map((r) => r.name), ...off.byOwner.map((r) => r.name)]);
  const extra = on.busyMs - off.busyMs * scale;
  return [...names]
    .map((name) => {
      const a = on.byOwner.find((r) => r.name === name);
      const b = offBy.get(name);
      const ownMs = (a?.ownMs ?? 0) - (b?.ownMs ?? 0) * scale;
      const beneathMs = (a?.beneathMs ?? 0) - (b?.beneathMs ?? 0) * scale;
      return { name, ms: ownMs + beneathMs, ownMs, beneathMs, share: extra === 0 ? 0 : (ownMs + beneathMs) / extra };
    })
    .sort((x, y) => y.ms - x.ms);
}

/** Owner rows as lines: total, then our code's own share and what it called beneath. */
export function printOwners(rows: readonly OwnerRow[], top = 15, indent = "  ", shareOf = "busy time"): void {
  const pct = (x: number) => `${(x * 100).toFixed(1).padStart(5)} %`;
  console.log(`${indent}by owner (the innermost frame of ours on the stack; shares of ${shareOf}): total = in our code + beneath it (Node, native incl. system calls, packages)`);
  for (const r of rows.slice(0, top)) {
    console.log(`${indent}  ${pct(r.share)}  ${(r.ms / 1000).toFixed(2).padStart(6)} s = ${(r.ownMs / 1000).toFixed(2).padStart(5)} + ${(r.beneathMs / 1000).toFixed(2).padStart(5)}  ${r.name}`);
  }
}

export function printSummary(s: ProfileSummary, top = 25, indent = "  "): void {
  const pct = (x: number) => `${(x * 100).toFixed(1).padStart(5)} %`;
  console.log(`${indent}profile: ${(s.wallMs / 1000).toFixed(1)} s wall, ${(s.busyMs / 1000).toFixed(2)} s busy on the JS thread (${((s.busyMs / s.wallMs) * 100).toFixed(1)} %), shares below are of busy time`);
  console.log(`${indent}self time by area:`);
  for (const r of s.byArea.slice(0, 15)) console.log(`${indent}  ${pct(r.share)}  ${(r.ms / 1000).toFixed(2).padStart(7)} s  ${r.name}`);
  console.log(`${indent}self time by function (top ${top}):`);
  for (const r of s.byFunction.slice(0, top)) console.log(`${indent}  ${pct(r.share)}  ${(r.ms / 1000).toFixed(2).padStart(7)} s  ${r.name}`);
  printOwners(s.byOwner, 15, indent);
  if (s.inclusive.length > 0) {
    console.log(`${indent}inclusive time (the code and everything it calls; file: = all of that file's functions and callbacks):`);
    for (const r of s.inclusive) console.log(`${indent}  ${pct(r.share)}  ${(r.ms / 1000).toFixed(2).padStart(7)} s  ${r.name}`);
  }
}

/**
 * "file:PATH": every frame of that source file with all it calls (its callbacks included, nested
 * frames of the same file counted once); otherwise "function path" (a prefix of "name path"), so
 * that e.g. the scheduler's run is not mixed up with SQLite's; "(…)" for V8's own entries.
 */
export const INCLUSIVE_OF_INTEREST = [
  "file:src/p2p/handshake.ts",
  "file:src/sapi/client.ts",
  "file:src/watch/scheduler.ts",
  "file:src/watch/engine.ts",
  "appendProbes src/store/sqlite/probe-store.ts",
  "save src/store/sqlite/node-state-store.ts",
  "#fleetHeight src/watch/engine.ts",
  "file:src/alerts/",
  "(garbage collector)",
];

if (import.meta.url === `file://${process.argv[1]}`) {
  const path = process.argv[2];
  if (path === undefined) {
    console.error("usage: cpuprofile.ts FILE.cpuprofile [TOP]");
    process.exit(2);
  }
  printSummary(summarize(JSON.parse(readFileSync(path, "utf8")) as CpuProfile, INCLUSIVE_OF_INTEREST), Number(process.argv[3] ?? 30));
}
