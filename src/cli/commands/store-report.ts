import type { CopyProgress, CopyResult } from "../../store/migrate-to-postgres/index.ts";
import type { Io } from "../io.ts";
import type { PasswordSource } from "../store-target.ts";

/** What `nodeward store migrate` prints: a progress line while it copies, then one row per table. */

const n = (x: number) => x.toLocaleString("en-US");

/** On a terminal, one line rewritten per batch; elsewhere nothing (the table follows). */
export function migrateProgress(io: Io): { onBatch: (p: CopyProgress) => void; done: () => void } {
  const live = io.stderrIsTTY && !io.quiet;
  let open = false;
  return {
    onBatch: (p) => {
      if (!live) return;
      io.live(`copying ${p.table}: ${n(p.read)} of ${n(p.total)} rows read, ${n(p.copied)} copied`);
      open = true;
    },
    done: () => {
      if (open) io.live("");
      open = false;
    },
  };
}

export function migrateJson(r: CopyResult, passwordFrom: PasswordSource): unknown {
  const seconds = r.ms / 1000;
  return {
    source: r.source,
    target: r.target,
    password: passwordFrom,
    match: r.match,
    tables: r.tables,
    rowsRead: r.read,
    rowsCopied: r.copied,
    seconds: Math.round(seconds * 1000) / 1000,
    rowsPerSecond: seconds > 0 ? Math.round(r.read / seconds) : null,
  };
}

export function printMigrate(io: Io, r: CopyResult, passwordFrom: PasswordSource): void {
  const s = io.style;
  const password = passwordFrom === "none" ? "no password" : `password from ${passwordFrom}`;
  io.out(`${r.source} → ${r.target} (${password})`);
  io.out("");
  const width = Math.max(5, ...r.tables.map((t) => t.table.length));
  io.out(`${"table".padEnd(width)}  ${"in SQLite".padStart(11)}  ${"copied now".padStart(11)}  ${"in PostgreSQL".padStart(13)}  match`);
  for (const t of r.tables) {
    const mark = t.match ? s.green("yes") : s.red(t.postgres < t.sqlite ? "NO, fewer" : "NO, more");
    io.out(`${t.table.padEnd(width)}  ${n(t.sqlite).padStart(11)}  ${n(t.copied).padStart(11)}  ${n(t.postgres).padStart(13)}  ${mark}`);
  }
  io.out("");
  const seconds = r.ms / 1000;
  const speed = seconds > 0 ? `, ${n(Math.round(r.read / seconds))} rows/s` : "";
  const summary = `${n(r.copied)} rows copied now, ${n(r.read)} read in ${seconds.toFixed(1)} s${speed}`;
  if (r.match) {
    io.out(`${s.green("✓")} every table matches (${summary}).`);
    return;
  }
  const fewer = r.tables.filter((t) => t.postgres < t.sqlite).map((t) => t.table);
  const more = r.tables.filter((t) => t.postgres > t.sqlite).map((t) => t.table);
  io.out(`${s.red("✗")} ${r.tables.filter((t) => !t.match).length} tables do not match (${summary}).`);
  if (fewer.length > 0) {
    io.out(`  PostgreSQL holds fewer rows in ${fewer.join(", ")}: run the migration again (rows already copied are not copied twice).`);
  }
  if (more.length > 0) {
    io.out(
      `  PostgreSQL holds more rows in ${more.join(", ")}: rows the file does not have, written there by a watcher of the fleet, ` +
        "or copied from the file before a watcher changed it. Stop every watcher before the last run.",
    );
  }
}
