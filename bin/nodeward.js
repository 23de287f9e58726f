#!/usr/bin/env node
// nodeward runs its TypeScript sources through tsx (Node 20 cannot strip types by itself).
import { register } from "tsx/esm/api";

register();
const { run } = await import("../src/cli/main.ts");
process.exitCode = await run(process.argv.slice(2));
