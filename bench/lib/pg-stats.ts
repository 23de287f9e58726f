/**
 * What a PostgreSQL server did over a benchmark window: rows written (the statistics collector's
 * n_tup_ins + n_tup_upd per table), the database's size, WAL written, and the CPU of the whole
 * server (the postmaster and every backend, living or exited), read from /proc.
 */
import { readdirSync, readFileSync } from "node:fs";
import pg from "pg";
import { readCpu } from "./proc.ts";

export interface PgReading {
  /** n_tup_ins + n_tup_upd (and n_tup_del, apart) per user table. */
  tables: Map<string, { written: number; deleted: number }>;
  databaseBytes: number;
  /** The raw probes' table with its indexes: the part that grows with every day kept (the rest is bounded by the fleet's size). */
  probesBytes: number;
  /** pg_current_wal_lsn() as a byte position. */
  walBytes: number;
  /** CPU seconds of the server: the postmaster, its exited children (reaped) and its living ones. */
  cpu: number;
}

export interface PgStats {
  read(): Promise<PgReading>;
  close(): Promise<void>;
}

/** Reads `url`'s database; the server's CPU is found from this connection's backend (its parent is the postmaster). */
export async function openPgStats(url: string): Promise<PgStats> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const backend = (await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!.pid;
  const postmaster = parentOf(backend);
  return {
    async read() {
      // Backends flush their counters when idle, at most once a second (PostgreSQL 15): a reading
      // lags the writes by about that much, the same at both ends of a window.
      const t = await client.query<{ relname: string; written: string; deleted: string }>(
        "SELECT relname, n_tup_ins + n_tup_upd AS written, n_tup_del AS deleted FROM pg_stat_user_tables",
      );
      const s = await client.query<{ size: string; wal: string; probes: string }>(
        "SELECT pg_database_size(current_database()) AS size, pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0') AS wal, coalesce(pg_total_relation_size(to_regclass('probes')), 0) AS probes",
      );
      return {
        tables: new Map(t.rows.map((r) => [r.relname, { written: Number(r.written), deleted: Number(r.deleted) }])),
        databaseBytes: Number(s.rows[0]!.size),
        probesBytes: Number(s.rows[0]!.probes),
        walBytes: Number(s.rows[0]!.wal),
        cpu: serverCpu(postmaster),
      };
    },
    close: () => client.end(),
  };
}

/** Rows written between two readings, per table, most first. */
export function writtenBetween(a: PgReading, b: PgReading): { table: string; written: number; deleted: number }[] {
  return [...b.tables]
    .map(([table, v]) => ({ table, written: v.written - (a.tables.get(table)?.written ?? 0), deleted: v.deleted - (a.tables.get(table)?.deleted ?? 0) }))
    .sort((x, y) => y.written - x.written);
}

function statFields(pid: number): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // fields[0] is field 3 (state).
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
}

function parentOf(pid: number): number {
  return Number(statFields(pid)[1]);
}

/** utime + stime + cutime + cstime of the postmaster, plus utime + stime of its living children. */
function serverCpu(postmaster: number): number {
  const own = statFields(postmaster);
  const ticks = Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14]);
  let children = 0;
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (parentOf(Number(name)) === postmaster) children += readCpu(Number(name)).total;
    } catch {
      // gone between the listing and the read: its time is in the postmaster's cutime now
    }
  }
  return ticks / 100 + children;
}
