/**
 * store-migrate — `nodeward store migrate`'s copy (store/migrate-to-postgres) of a SQLite watch
 * database into a local PostgreSQL: how many rows a second it moves, and what a second run (which
 * copies nothing) costs. The file: BENCH_NODES nodes × BENCH_PROBES probes each, one a minute
 * (default 500 × 400 = 200,000 raw probes), written through the store's port like a watcher's.
 * The server is the tests' one (src/store/postgres/server.test-support.ts: initdb in a temp dir,
 * loopback, fsync off), so the figure is the copy's, not the disk's.
 *
 *   npx tsx bench/store-migrate.bench.ts
 *
 * Environment: BENCH_NODES (500), BENCH_PROBES (400), BENCH_BATCH (5000).
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { minutes, T0 } from "../src/store/contracts/samples.ts";
import { migrateToPostgres, type CopyResult } from "../src/store/migrate-to-postgres/index.ts";
import { startPostgres } from "../src/store/postgres/server.test-support.ts";
import { openSqliteStore } from "../src/store/sqlite/open.ts";

const NODES = Number(process.env["BENCH_NODES"] ?? 500);
const PROBES = Number(process.env["BENCH_PROBES"] ?? 400);
const BATCH = Number(process.env["BENCH_BATCH"] ?? 5000);

const dir = mkdtempSync(join(tmpdir(), "nodeward-bench-migrate-"));
const path = join(dir, "watch.db");
const pg = await startPostgres();
try {
  const store = openSqliteStore(path);
  for (let n = 0; n < NODES; n++) await store.probes.appendProbes(minutes(`vultr-${String(n).padStart(8, "0")}-node`, T0, PROBES, (i) => i % 97 === 0));
  store.close();
  console.log(`SQLite file: ${NODES} nodes × ${PROBES} probes = ${(NODES * PROBES).toLocaleString("en-US")} raw probes, ${(statSync(path).size / 1e6).toFixed(1)} MB`);

  const to = await pg.newDatabase();
  const line = (what: string, r: CopyResult) => {
    const s = r.ms / 1000;
    console.log(
      `${what}: ${r.read.toLocaleString("en-US")} rows read, ${r.copied.toLocaleString("en-US")} copied in ${s.toFixed(2)} s = ` +
        `${Math.round(r.read / s).toLocaleString("en-US")} rows/s read, ${Math.round(r.copied / s).toLocaleString("en-US")} rows/s copied; every table matches: ${r.match}`,
    );
  };
  const started = performance.now();
  line(`first run (batch ${BATCH})`, await migrateToPostgres({ from: path, to, batchRows: BATCH }));
  console.log(`  with connecting and creating the schema: ${((performance.now() - started) / 1000).toFixed(2)} s`);
  line("second run (nothing to copy)", await migrateToPostgres({ from: path, to, batchRows: BATCH }));
} finally {
  await pg.stop();
  rmSync(dir, { recursive: true, force: true });
}
