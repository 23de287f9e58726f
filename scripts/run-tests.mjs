#!/usr/bin/env node
// Node 20's test runner has no glob support: find the test files and hand them to `node --test`.
// Usage: node scripts/run-tests.mjs [filter...]   (a filter keeps files whose path contains it)
// Every test has 5 minutes: a test that hangs fails (cancelled) instead of holding CI forever.
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";

const roots = ["src", "test"];
const filters = process.argv.slice(2);
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    if (name === "node_modules") continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (name.endsWith(".test.ts")) files.push(p);
  }
};
for (const r of roots) {
  try { walk(r); } catch (e) { if (e.code !== "ENOENT") throw e; }
}
const chosen = files.filter((f) => filters.length === 0 || filters.some((x) => f.includes(x))).sort();
if (chosen.length === 0) {
  console.error(`no test files matched ${filters.join(" ") || "(all)"}`);
  process.exit(1);
}
const res = spawnSync(process.execPath, ["--import", "tsx", "--test", "--test-concurrency=2", "--test-timeout=300000", ...chosen], { stdio: "inherit" });
process.exit(res.status ?? 1);
