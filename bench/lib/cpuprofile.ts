/**
 * Summarises a V8 .cpuprofile (from node --cpu-prof or the inspector): self time per function,
 * self time per source file / area, and inclusive time of chosen functions, as shares of the
 * busy (non-idle) time. Also a CLI:  node --import tsx bench/lib/cpuprofile.ts FILE [TOP]
 */
import { readFileSync } from "node:fs";

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

export interface ProfileSummary {
  wallMs: number;
  busyMs: number;
  idleMs: number;
  byFunction: Row[];
  byArea: Row[];
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

/** Where a frame's self time belongs, coarsely. */
function area(n: ProfileNode): string {
  const { url, functionName } = n.callFrame;
  if (url === "") return functionName.startsWith("(") ? functionName : "(native)";
  if (url.startsWith("node:")) return url.replace(/^node:internal\//, "node:").split("/").slice(0, 2).join("/");
  const s = short(url);
  if (s.startsWith("src/")) return s.split("/").slice(0, 2).join("/");
  return s.split("/")[0] ?? s;
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
    const name = n.callFrame.url === "" ? n.callFrame.functionName : `${n.callFrame.functionName || "(anonymous)"} ${short(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
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
      x.startsWith("(") ? n.callFrame.functionName === x : x.startsWith("file:") ? short(n.callFrame.url).startsWith(x.slice(5)) : `${n.callFrame.functionName} ${short(n.callFrame.url)}`.startsWith(x),
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
  const rows = (m: Map<string, number>) =>
    [...m.entries()].map(([name, ms]) => ({ name, ms, share: busyMs === 0 ? 0 : ms / busyMs })).sort((a, b) => b.ms - a.ms);
  return { wallMs, busyMs, idleMs, byFunction: rows(fn), byArea: rows(ar), inclusive: rows(inc) };
}

export function printSummary(s: ProfileSummary, top = 25, indent = "  "): void {
  const pct = (x: number) => `${(x * 100).toFixed(1).padStart(5)} %`;
  console.log(`${indent}profile: ${(s.wallMs / 1000).toFixed(1)} s wall, ${(s.busyMs / 1000).toFixed(2)} s busy on the JS thread (${((s.busyMs / s.wallMs) * 100).toFixed(1)} %), shares below are of busy time`);
  console.log(`${indent}self time by area:`);
  for (const r of s.byArea.slice(0, 15)) console.log(`${indent}  ${pct(r.share)}  ${(r.ms / 1000).toFixed(2).padStart(7)} s  ${r.name}`);
  console.log(`${indent}self time by function (top ${top}):`);
  for (const r of s.byFunction.slice(0, top)) console.log(`${indent}  ${pct(r.share)}  ${(r.ms / 1000).toFixed(2).padStart(7)} s  ${r.name}`);
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
