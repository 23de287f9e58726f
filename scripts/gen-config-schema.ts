// Writes schema/nodeward.schema.json, docs/config.md and docs/alerts.md from the zod schema (src/config/schema.ts).
// Usage: npm run schema            (write)
//        npm run schema -- --check (exit 1 when a committed file is stale)
import { readFile, writeFile, mkdir } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { CONFIG_SCHEMA_FILE, configJsonSchemaText } from "../src/config/json-schema.ts";
import { CONFIG_DOCS_FILE, configDocsMarkdown } from "../src/config/docs.ts";
import { ALERTS_DOCS_FILE, alertsDocsMarkdown } from "../src/alerts/docs-file.ts";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const outputs: [string, string][] = [
  [CONFIG_SCHEMA_FILE, configJsonSchemaText()],
  [CONFIG_DOCS_FILE, configDocsMarkdown()],
  [ALERTS_DOCS_FILE, alertsDocsMarkdown()],
];

let stale = false;
for (const [file, want] of outputs) {
  const target = resolve(root, file);
  if (process.argv.includes("--check")) {
    const have = await readFile(target, "utf8").catch(() => "");
    if (have !== want) {
      console.error(`${file} is stale: run npm run schema`);
      stale = true;
    } else {
      console.log(`${file} is up to date`);
    }
  } else {
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, want, "utf8");
    console.log(`wrote ${file}`);
  }
}
if (stale) process.exit(1);
