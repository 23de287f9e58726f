// Writes schema/nodeward.schema.json from the zod schema (src/config/schema.ts).
// Usage: npm run schema            (write)
//        npm run schema -- --check (exit 1 when the committed file is stale)
import { readFile, writeFile, mkdir } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { CONFIG_SCHEMA_FILE, configJsonSchemaText } from "../src/config/json-schema.ts";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const target = resolve(root, CONFIG_SCHEMA_FILE);
const want = configJsonSchemaText();

if (process.argv.includes("--check")) {
  const have = await readFile(target, "utf8").catch(() => "");
  if (have !== want) {
    console.error(`${CONFIG_SCHEMA_FILE} is stale: run npm run schema`);
    process.exit(1);
  }
  console.log(`${CONFIG_SCHEMA_FILE} is up to date`);
} else {
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, want, "utf8");
  console.log(`wrote ${CONFIG_SCHEMA_FILE}`);
}
