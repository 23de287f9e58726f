import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { Client } from "pg";
import type { VantageProbe } from "../../fleet/ports.ts";
import { rejectsWith } from "../contracts/harness.ts";
import { MINUTE, probe, T0 } from "../contracts/samples.ts";
import { openPostgresStore, type PostgresStore } from "./open.ts";
import { APPEND_LOCK } from "./probe-append.ts";
import { postgresSuites } from "./server.test-support.ts";

/** The newest result per (node, vantage), written by appendProbes, read as a change feed by seq. */
postgresSuites("PostgreSQL latest-probe store", (server) => {
  const withStore = async (fn: (s: PostgresStore, url: string) => Promise<void>) => {
    const url = await (await server()).newDatabase();
    const s = await openPostgresStore(url);
    try {
      await fn(s, url);
    } finally {
      await s.end();
    }
  };
  const all = async (s: PostgresStore) => (await s.latest.latestSince(0, 1000)).rows;
  const view = (rows: VantageProbe[]) => rows.map((r) => [r.nodeId, r.vantage, r.at, r.ok]);

  describe("PostgreSQL LatestProbeStore", () => {
    it("keeps each vantage's newest result per node, every field, oldest change first", () =>
      withStore(async (s) => {
        assert.deepEqual(await s.latest.latestSince(0, 10), { rows: [], cursor: 0 });
        await s.probes.appendProbes([probe("a", T0), probe("a", T0 + MINUTE, { ok: false }), probe("b", T0)], "fra-1");
        await s.probes.appendProbes([probe("a", T0 + 30_000)], "sgp-1");
        const rows = await all(s);
        assert.deepEqual(view(rows).slice(0, 2).sort(), [["a", "fra-1", T0 + MINUTE, false], ["b", "fra-1", T0, true]], "one batch, in any order");
        assert.deepEqual(view(rows)[2], ["a", "sgp-1", T0 + 30_000, true], "the later batch after it");
        const { seq: _seq, vantage: _v, ...record } = rows.find((r) => r.nodeId === "a" && r.vantage === "fra-1")!;
        assert.deepEqual(record, probe("a", T0 + MINUTE, { ok: false }));
        assert.ok(rows.every((r, i) => i === 0 || r.seq > rows[i - 1]!.seq), "ordered by seq");
      }));

    it("writes as the local vantage when appendProbes names none", () =>
      withStore(async (s) => {
        await s.probes.appendProbes([probe("a", T0)]);
        assert.deepEqual(view(await all(s)), [["a", "local", T0, true]]);
      }));

    it("moves a changed row past the cursor and leaves an older, late result alone", () =>
      withStore(async (s) => {
        await s.probes.appendProbes([probe("a", T0), probe("b", T0)], "fra-1");
        const first = await s.latest.latestSince(0, 10);
        assert.equal(first.rows.length, 2);
        assert.deepEqual(await s.latest.latestSince(first.cursor, 10), { rows: [], cursor: first.cursor }, "the cursor stays when nothing changed");
        await s.probes.appendProbes([probe("b", T0 + MINUTE, { ok: false })], "fra-1");
        await s.probes.appendProbes([probe("a", T0 - MINUTE, { ok: false })], "fra-1"); // buffered, flushed late
        const next = await s.latest.latestSince(first.cursor, 10);
        assert.deepEqual(view(next.rows), [["b", "fra-1", T0 + MINUTE, false]]);
        assert.equal(next.cursor, next.rows[0]?.seq);
        assert.equal((await s.probes.recentProbes("a", 10)).length, 2, "the late result is kept in the history");
      }));

    it("takes the newest of a batch per node, and of two at the same time the later", () =>
      withStore(async (s) => {
        await s.probes.appendProbes([probe("a", T0 + MINUTE), probe("a", T0), probe("b", T0, { ok: false }), probe("b", T0, { latencyMs: 7 })], "fra-1");
        const rows = await all(s);
        assert.deepEqual(view(rows), [["a", "fra-1", T0 + MINUTE, true], ["b", "fra-1", T0, true]]);
        assert.equal(rows[1]?.latencyMs, 7);
        assert.deepEqual((await s.probes.recentProbes("b", 10)).map((p) => p.latencyMs), [7], "the raw history took the later one too");
      }));

    it("pages through the feed with limit and cursor", () =>
      withStore(async (s) => {
        await s.probes.appendProbes(["a", "b", "c", "d", "e"].map((n) => probe(n, T0)), "fra-1");
        const seen: string[] = [];
        let cursor = 0;
        for (;;) {
          const page = await s.latest.latestSince(cursor, 2);
          if (page.rows.length === 0) break;
          assert.ok(page.rows.length <= 2);
          seen.push(...page.rows.map((r) => r.nodeId));
          cursor = page.cursor;
        }
        assert.deepEqual(seen.sort(), ["a", "b", "c", "d", "e"]);
      }));

    it("keeps each vantage's raw probes too, even at the same ms", () =>
      withStore(async (s) => {
        await s.probes.appendProbes([probe("a", T0, { latencyMs: 10 })], "fra-1");
        await s.probes.appendProbes([probe("a", T0, { ok: false })], "sgp-1");
        assert.deepEqual((await s.probes.recentProbes("a", 10)).map((p) => p.ok).sort(), [false, true]);
        assert.deepEqual(await s.probes.uptime("a", T0, T0 + 1), { up: 1, total: 2, avgLatencyMs: 10 });
      }));

    it("forgets the newest results of nodes that left, for every vantage", () =>
      withStore(async (s) => {
        await s.probes.appendProbes([probe("a", T0), probe("b", T0)], "fra-1");
        await s.probes.appendProbes([probe("a", T0), probe("c", T0)], "sgp-1");
        await s.latest.forgetLatest(["a", "gone"]);
        await s.latest.forgetLatest([]);
        assert.deepEqual(view(await all(s)).map((r) => `${r[0]}@${r[1]}`).sort(), ["b@fra-1", "c@sgp-1"]);
      }));

    it("never lets a reader skip a change while three vantages append at once", () =>
      withStore(async (s) => {
        const nodes = Array.from({ length: 200 }, (_, i) => `n${i}`);
        const seen = new Map<string, number>();
        let cursor = 0;
        let writing = true;
        const read = async () => {
          for (;;) {
            const done = !writing;
            const page = await s.latest.latestSince(cursor, 100);
            for (const r of page.rows) seen.set(`${r.nodeId}@${r.vantage}`, r.seq);
            cursor = page.cursor;
            if (done && page.rows.length === 0) return;
          }
        };
        const write = async (vantage: string) => {
          for (let round = 0; round < 15; round++) await s.probes.appendProbes(nodes.map((n) => probe(n, T0 + round * MINUTE)), vantage);
        };
        const reader = read();
        await Promise.all(["fra-1", "sgp-1", "nyc-1"].map(write));
        writing = false;
        await reader;
        const final = (await s.latest.latestSince(0, 10_000)).rows;
        assert.equal(final.length, 600);
        const missed = final.filter((r) => seen.get(`${r.nodeId}@${r.vantage}`) !== r.seq);
        assert.deepEqual(missed.map((r) => `${r.nodeId}@${r.vantage}#${r.seq}`), [], "every final change was read");
      }));

    it("commits appends one after the other, so that seq order is commit order", () =>
      withStore(async (s, url) => {
        // Another appender holds the append lock in an open transaction; ours must wait for it.
        const other = new Client({ connectionString: url });
        await other.connect();
        try {
          await other.query("BEGIN");
          await other.query("SELECT pg_advisory_xact_lock($1::bigint)", [APPEND_LOCK]);
          let done = false;
          const append = s.probes.appendProbes([probe("a", T0)], "fra-1").then(() => (done = true));
          await sleep(300);
          assert.equal(done, false, "the append went ahead while another was still open");
          await other.query("COMMIT");
          await append;
          assert.equal((await all(s)).length, 1);
        } finally {
          await other.end();
        }
      }));

    it("refuses a cursor or limit that is not a whole number ≥ 0", () =>
      withStore(async (s) => {
        await rejectsWith(s.latest.latestSince(-1, 10), "invalid-argument");
        await rejectsWith(s.latest.latestSince(0.5, 10), "invalid-argument");
        await rejectsWith(s.latest.latestSince(0, -1), "invalid-argument");
        await rejectsWith(s.probes.appendProbes([probe("a", T0)], ""), "invalid-argument");
      }));
  });
});
