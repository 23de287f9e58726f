#!/usr/bin/env node
// nodeward's launcher. The bundle in dist/ (built by `npm ci` / `npm run build`) runs on plain
// Node; when it is missing or older than the sources, or NODEWARD_FROM_SOURCE=1, the TypeScript
// sources run through tsx instead (Node 20 cannot strip types by itself).
import { fileURLToPath, pathToFileURL } from "node:url";
import { freshBundle } from "./freshness.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const bundle = process.env.NODEWARD_FROM_SOURCE === "1" ? undefined : freshBundle(root);
let run;
if (bundle !== undefined) {
  ({ run } = await import(pathToFileURL(bundle).href));
} else {
  const { register } = await import("tsx/esm/api");
  register();
  ({ run } = await import("../src/cli/main.ts"));
}
process.exitCode = await run(process.argv.slice(2));
