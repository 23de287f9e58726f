import { describe, it } from "node:test";
import assert from "node:assert/strict";
import Database from "better-sqlite3";
import type { ProbeRecord } from "../../watch/model.ts";
import { HOUR_MS } from "../buckets.ts";
import { tempDir } from "../temp-dir.test-support.ts";
import { openSqliteStore } from "./open.ts";

/**
 * How big the database gets: a realistic sample (1-minute probes, 7 days raw, 365 days of hourly
 * rollups, written in the order the daemon writes them: every node's probe of a minute together,
 * every node's rollup of an hour together), measured with page_count × page_size, extrapolated
 * to a fleet. Node ids are 36-byte UUIDs like Vultr's; about 1 % of probes fail with a cause.
 */
const NODES = 20;
const RAW_DAYS = 7;
const ROLLUP_DAYS = 365;
const FLEET = 10_000;
/** The bound asserted for 10,000 nodes: Uptime Kuma users report 1–8 GB for 25–100 monitors. */
const FLEET_BOUND_BYTES = 6 * 1024 ** 3;
const DAY_MS = 24 * HOUR_MS;
const T_END = Date.UTC(2026, 5, 1);

const temp = tempDir();
const ids = Array.from({ length: NODES }, (_, i) => `3f2b${String(i).padStart(4, "0")}-9c1d-4e5f-8a7b-1c2d3e4f5a6b`);
const bytes = (db: Database.Database) => (db.pragma("page_count", { simple: true }) as number) * (db.pragma("page_size", { simple: true }) as number);
const mib = (n: number) => `${(n / 1024 ** 2).toFixed(1)} MiB`;

/** A deterministic generator (xorshift), so the sample and its size are the same on every run. */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

function minuteOfProbes(at: number, rnd: () => number): ProbeRecord[] {
  const height = 2_900_000 + Math.floor((at - T_END) / 55_000);
  return ids.map((nodeId) => {
    const ok = rnd() > 0.01;
    return {
      nodeId,
      at: at + Math.floor(rnd() * 900),
      ok,
      cause: ok ? null : ["p2p timeout", "sapi refused", "tcp 9678 refused"][Math.floor(rnd() * 3)] ?? null,
      latencyMs: ok ? 20 + rnd() * 280 : null,
      height: ok ? height - (rnd() < 0.05 ? 1 : 0) : null,
      protocolVersion: ok ? 90034 : null,
    };
  });
}

describe("database size", () => {
  it("stays bounded for 10,000 nodes with 7 days raw and 365 days hourly", async (t) => {
    const path = temp.file("size.db");
    const store = openSqliteStore(path);
    const rnd = random(7);
    const rawStart = T_END - RAW_DAYS * DAY_MS;
    for (let hour = rawStart; hour < T_END; hour += HOUR_MS) {
      const batch: ProbeRecord[] = [];
      for (let m = hour; m < hour + HOUR_MS; m += 60_000) batch.push(...minuteOfProbes(m, rnd));
      await store.probes.appendProbes(batch);
    }
    store.close();

    // A year of rollups, as compaction writes them (hour by hour, every node), straight in SQL.
    const db = new Database(path);
    const keys = db.prepare("SELECT key FROM node_keys ORDER BY key").pluck().all() as number[];
    const insert = db.prepare("INSERT INTO probe_hours (node_key, hour, up, total, latency_sum, latency_count) VALUES (?, ?, ?, ?, ?, ?)");
    db.transaction(() => {
      for (let hour = rawStart - ROLLUP_DAYS * DAY_MS; hour < rawStart; hour += HOUR_MS) {
        for (const key of keys) {
          const up = rnd() < 0.98 ? 60 : Math.floor(rnd() * 60);
          insert.run(key, hour, up, 60, Math.round(up * (20 + rnd() * 280)), up);
        }
      }
    })();
    const perTable = db.prepare("SELECT name, SUM(pgsize) AS size FROM dbstat GROUP BY name ORDER BY size DESC").all() as { name: string; size: number }[];
    const total = bytes(db);
    db.close();

    const size = (name: string) => perTable.find((r) => r.name === name)?.size ?? 0;
    const rawPerNodeDay = size("probes") / NODES / RAW_DAYS;
    const rollupPerNodeDay = size("probe_hours") / NODES / ROLLUP_DAYS;
    const perNode = total / NODES;
    const fleet = perNode * FLEET;
    t.diagnostic(`sample: ${NODES} nodes, ${NODES * RAW_DAYS * 1440} raw probes, ${NODES * ROLLUP_DAYS * 24} hourly rows → ${mib(total)}`);
    t.diagnostic(`raw: ${(rawPerNodeDay / 1024).toFixed(1)} KiB per node per day (${(size("probes") / (NODES * RAW_DAYS * 1440)).toFixed(1)} B per probe)`);
    t.diagnostic(`hourly: ${(rollupPerNodeDay / 1024).toFixed(2)} KiB per node per day (${(size("probe_hours") / (NODES * ROLLUP_DAYS * 24)).toFixed(1)} B per row)`);
    t.diagnostic(`per node: ${mib(perNode)} (7 d raw + 365 d hourly); 100 nodes ≈ ${mib(perNode * 100)}; ${FLEET} nodes ≈ ${(fleet / 1024 ** 3).toFixed(2)} GiB`);
    assert.ok(fleet < FLEET_BOUND_BYTES, `estimate for ${FLEET} nodes is ${(fleet / 1024 ** 3).toFixed(2)} GiB, over the ${FLEET_BOUND_BYTES / 1024 ** 3} GiB bound`);
  });

  it("does not grow in the steady state: hourly compaction makes room for the next hour", async (t) => {
    const path = temp.file("steady.db");
    const store = openSqliteStore(path);
    const rnd = random(11);
    const appendHour = async (hour: number) => {
      const batch: ProbeRecord[] = [];
      for (let m = hour; m < hour + HOUR_MS; m += 60_000) batch.push(...minuteOfProbes(m, rnd));
      await store.probes.appendProbes(batch);
    };
    let now = T_END - RAW_DAYS * DAY_MS;
    for (; now < T_END; now += HOUR_MS) await appendHour(now);
    const filled = statSize(path);
    for (; now < T_END + 3 * DAY_MS; now += HOUR_MS) {
      await appendHour(now);
      await store.probes.compact(now + HOUR_MS - RAW_DAYS * DAY_MS, now + HOUR_MS - ROLLUP_DAYS * DAY_MS);
    }
    const after = statSize(path);
    store.close();
    t.diagnostic(`7 days raw: ${mib(filled)}; after 3 more days, compacted hourly: ${mib(after)}`);
    assert.ok(after < filled * 1.05, `grew from ${mib(filled)} to ${mib(after)}`);
  });
});

function statSize(path: string): number {
  const db = new Database(path, { readonly: true });
  try {
    return bytes(db);
  } finally {
    db.close();
  }
}
