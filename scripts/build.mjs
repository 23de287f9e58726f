#!/usr/bin/env node
// Bundles the CLI (src/cli/main.ts and everything it imports from src/) into dist/nodeward.mjs, so
// that nodeward runs on plain Node: no TypeScript transpiler in the process, which saves the watch
// daemon about 40 MB of memory and its start-up time. Packages from node_modules stay external.
// bin/nodeward.js runs the bundle only while it is newer than every file under src/ (see
// dist/build.json); otherwise it runs the sources through tsx, so an edit is never masked.
// Runs on `npm ci` / `npm install` (the "prepare" script) and as `npm run build`.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { newestSource } from "../bin/freshness.js";
import { bundle } from "./bundle.mjs";

const root = new URL("..", import.meta.url).pathname;
const dist = join(root, "dist");
mkdirSync(dist, { recursive: true });
const before = newestSource(root);
await bundle(join(root, "src/cli/main.ts"), join(dist, "nodeward.mjs"));
writeFileSync(join(dist, "build.json"), `${JSON.stringify({ sourcesNewestMs: before.newestMs, sourceFiles: before.files, builtAt: new Date().toISOString() })}\n`);
console.log(`nodeward: built dist/nodeward.mjs from ${before.files} source files`);
