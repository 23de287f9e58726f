import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { LOCAL_VANTAGE, type LatestProbeStore, type VantageProbe } from "../../fleet/ports.ts";
import type { ProbeRecord } from "../../watch/model.ts";
import type { ProbeStore } from "../../watch/ports.ts";
import { rejectsWith, withStore, type MakeStore } from "./harness.ts";
import { HOSTILE_NAMES, MINUTE, probe, T0 } from "./samples.ts";

/**
 * The LatestProbeStore contract. The newest results are written by ProbeStore.appendProbes, so
 * the suite needs both ports of one store.
 */
export interface LatestProbePorts {
  probes: ProbeStore;
  latest: LatestProbeStore;
}

/** Everything in the feed, read in pages of `page`. */
async function feed(latest: LatestProbeStore, cursor = 0, page = 1000): Promise<VantageProbe[]> {
  const rows: VantageProbe[] = [];
  for (;;) {
    const next = await latest.latestSince(cursor, page);
    rows.push(...next.rows);
    if (next.rows.length < page) return rows;
    cursor = next.cursor;
  }
}

/** The feed's rows without their seq, for comparing with what was written. */
function results(rows: readonly VantageProbe[]): Omit<VantageProbe, "seq">[] {
  return rows.map(({ seq: _seq, ...r }) => r);
}

function as(vantage: string, p: ProbeRecord): Omit<VantageProbe, "seq"> {
  return { ...p, vantage };
}

function maxSeq(rows: readonly VantageProbe[]): number {
  return rows.reduce((m, r) => Math.max(m, r.seq), 0);
}

export function latestProbeStoreContract(name: string, make: MakeStore<LatestProbePorts>): void {
  const test = (title: string, fn: (s: LatestProbePorts) => Promise<void>) => it(title, () => withStore(make, fn));

  describe(`LatestProbeStore contract: ${name}`, () => {
    test("has nothing before the first probe, and gives the cursor back", async ({ latest }) => {
      assert.deepEqual(await latest.latestSince(0, 10), { rows: [], cursor: 0 });
      assert.deepEqual(await latest.latestSince(42, 10), { rows: [], cursor: 42 });
    });

    test("keeps the newest result per node, as the local vantage when none is named", async ({ probes, latest }) => {
      await probes.appendProbes([probe("a", T0), probe("a", T0 + MINUTE, { ok: false }), probe("b", T0, { latencyMs: 12.4 })]);
      const rows = await feed(latest);
      assert.deepEqual(
        results(rows).sort((x, y) => x.nodeId.localeCompare(y.nodeId)),
        [as(LOCAL_VANTAGE, probe("a", T0 + MINUTE, { ok: false })), as(LOCAL_VANTAGE, probe("b", T0, { latencyMs: 12 }))],
      );
      assert.ok(rows.every((r) => Number.isSafeInteger(r.seq) && r.seq > 0), "every seq is a positive whole number");
      assert.equal((await probes.recentProbes("a", 10)).length, 2, "the raw results are kept beside the newest");
    });

    test("keeps the newer result when a batch holds an older one after it", async ({ probes, latest }) => {
      await probes.appendProbes([probe("a", T0 + 2 * MINUTE), probe("a", T0 + MINUTE, { ok: false }), probe("a", T0, { ok: false })], "fra-1");
      assert.deepEqual(results(await feed(latest)), [as("fra-1", probe("a", T0 + 2 * MINUTE))]);
    });

    test("never lets an older result replace a newer one, and an ignored one is no change in the feed", async ({ probes, latest }) => {
      await probes.appendProbes([probe("a", T0 + 5 * MINUTE)], "fra-1");
      const { cursor } = await latest.latestSince(0, 10);
      await probes.appendProbes([probe("a", T0 + MINUTE, { ok: false })], "fra-1");
      await probes.appendProbes([probe("a", T0 + 2 * MINUTE, { ok: false }), probe("a", T0 + 3 * MINUTE, { ok: false })], "fra-1");
      assert.deepEqual(await latest.latestSince(cursor, 10), { rows: [], cursor });
      assert.deepEqual(results(await feed(latest)), [as("fra-1", probe("a", T0 + 5 * MINUTE))]);
      assert.equal((await probes.recentProbes("a", 10)).length, 4, "the older raw results are still stored");
    });

    test("replaces the result when the same time is appended again, as raw probes are", async ({ probes, latest }) => {
      await probes.appendProbes([probe("a", T0, { ok: false })], "fra-1");
      const before = await feed(latest);
      await probes.appendProbes([probe("a", T0, { latencyMs: 55 })], "fra-1");
      const after = await feed(latest);
      assert.deepEqual(results(after), [as("fra-1", probe("a", T0, { latencyMs: 55 }))]);
      assert.ok(after[0]!.seq > before[0]!.seq, "the replacement is a change in the feed");
    });

    test("keeps one newest result per vantage for the same node", async ({ probes, latest }) => {
      await probes.appendProbes([probe("a", T0 + MINUTE)], "fra-1");
      await probes.appendProbes([probe("a", T0, { ok: false, cause: "tcp 9678 refused" })], "sgp-1");
      await probes.appendProbes([probe("a", T0 + 2 * MINUTE, { ok: false })]);
      await probes.appendProbes([probe("a", T0 + 3 * MINUTE)], "sgp-1");
      const byVantage = new Map((await feed(latest)).map((r) => [r.vantage, r]));
      assert.equal(byVantage.size, 3);
      assert.deepEqual(results([byVantage.get("fra-1")!]), [as("fra-1", probe("a", T0 + MINUTE))]);
      assert.deepEqual(results([byVantage.get("sgp-1")!]), [as("sgp-1", probe("a", T0 + 3 * MINUTE))]);
      assert.deepEqual(results([byVantage.get(LOCAL_VANTAGE)!]), [as(LOCAL_VANTAGE, probe("a", T0 + 2 * MINUTE, { ok: false }))]);
    });

    test("gives every change a seq larger than any before, and moves the changed row to the feed's end", async ({ probes, latest }) => {
      await probes.appendProbes([probe("a", T0), probe("b", T0), probe("c", T0)], "fra-1");
      const first = await feed(latest);
      assert.deepEqual(first.map((r) => r.seq), [...first.map((r) => r.seq)].sort((x, y) => x - y), "oldest change first");
      assert.equal(new Set(first.map((r) => r.seq)).size, 3, "no two rows share a seq");
      await probes.appendProbes([probe("a", T0 + MINUTE, { ok: false })], "fra-1");
      await probes.appendProbes([probe("b", T0 + MINUTE)], "sgp-1");
      const second = await feed(latest);
      assert.deepEqual(second.map((r) => `${r.nodeId}@${r.vantage}`), ["b@fra-1", "c@fra-1", "a@fra-1", "b@sgp-1"]);
      for (let i = 1; i < second.length; i++) assert.ok(second[i]!.seq > second[i - 1]!.seq, `seq ${second[i]!.seq} follows ${second[i - 1]!.seq}`);
      assert.ok(second[2]!.seq > maxSeq(first), "a change is numbered after everything read before it");
      const since = await latest.latestSince(maxSeq(first), 10);
      assert.deepEqual(since.rows.map((r) => `${r.nodeId}@${r.vantage}`), ["a@fra-1", "b@sgp-1"], "a reader at the old cursor sees exactly the changes");
      assert.equal(since.cursor, second[3]!.seq);
    });

    test("pages through the feed with a cursor and a limit", async ({ probes, latest }) => {
      await probes.appendProbes(["n1", "n2", "n3", "n4", "n5"].map((id, i) => probe(id, T0 + i)), "fra-1");
      const all = await latest.latestSince(0, 100);
      assert.equal(all.rows.length, 5);
      const pages: VantageProbe[][] = [];
      let cursor = 0;
      for (let i = 0; i < 4; i++) {
        const page = await latest.latestSince(cursor, 2);
        if (page.rows.length > 0) assert.equal(page.cursor, page.rows.at(-1)!.seq, "the cursor is the last row's seq");
        else assert.equal(page.cursor, cursor, "an empty page gives the cursor back");
        pages.push(page.rows);
        cursor = page.cursor;
      }
      assert.deepEqual(pages.map((p) => p.length), [2, 2, 1, 0]);
      assert.deepEqual(pages.flat(), all.rows);
      assert.deepEqual(await latest.latestSince(0, 0), { rows: [], cursor: 0 }, "limit 0 reads nothing");
    });

    test("forgets the newest results of nodes from every vantage, keeping other nodes and the raw history", async ({ probes, latest }) => {
      await probes.appendProbes([probe("a", T0), probe("b", T0)], "fra-1");
      await probes.appendProbes([probe("a", T0 + 1), probe("c", T0 + 1)], "sgp-1");
      await latest.forgetLatest(["a", "c", "never-seen"]);
      assert.deepEqual((await feed(latest)).map((r) => `${r.nodeId}@${r.vantage}`), ["b@fra-1"]);
      assert.equal((await probes.recentProbes("a", 10)).length, 2, "raw probes stay");
      await latest.forgetLatest([]);
      assert.equal((await feed(latest)).length, 1);
    });

    test("numbers a change after a forgotten node's seq, so no reader misses it", async ({ probes, latest }) => {
      await probes.appendProbes([probe("a", T0), probe("b", T0 + 1)], "fra-1");
      const before = maxSeq(await feed(latest));
      await latest.forgetLatest(["b"]);
      await probes.appendProbes([probe("b", T0 + MINUTE)], "fra-1");
      const after = await latest.latestSince(before, 10);
      assert.deepEqual(after.rows.map((r) => r.nodeId), ["b"], "the newest seq is never given out twice");
      assert.ok(after.cursor > before);
    });

    test("stores none of a refused batch, neither raw nor newest", async ({ probes, latest }) => {
      await rejectsWith(probes.appendProbes([probe("a", T0), probe("a", T0 + 0.5)], "fra-1"), "invalid-argument");
      await rejectsWith(probes.appendProbes([probe("a", T0)], ""), "invalid-argument");
      assert.deepEqual(await latest.latestSince(0, 10), { rows: [], cursor: 0 });
      assert.deepEqual(await probes.recentProbes("a", 10), []);
    });

    test("refuses a cursor or a limit that is not a whole number ≥ 0", async ({ latest }) => {
      await rejectsWith(latest.latestSince(-1, 10), "invalid-argument");
      await rejectsWith(latest.latestSince(1.5, 10), "invalid-argument");
      await rejectsWith(latest.latestSince(0, -1), "invalid-argument");
      await rejectsWith(latest.latestSince(0, Number.NaN), "invalid-argument");
    });

    test("keeps hostile vantage and node names as they came", async ({ probes, latest }) => {
      for (const [i, name] of HOSTILE_NAMES.entries()) {
        await probes.appendProbes([probe(name, T0 + i, { ok: false, cause: name })], name);
      }
      const rows = await feed(latest, 0, 3);
      assert.equal(rows.length, HOSTILE_NAMES.length);
      for (const [i, name] of HOSTILE_NAMES.entries()) {
        const row = rows.find((r) => r.vantage === name);
        assert.ok(row !== undefined, `the vantage ${JSON.stringify(name.slice(0, 40))} is kept`);
        assert.deepEqual(results([row]), [as(name, probe(name, T0 + i, { ok: false, cause: name }))]);
      }
      await latest.forgetLatest([HOSTILE_NAMES[0]!, HOSTILE_NAMES[1]!]);
      assert.equal((await feed(latest)).length, HOSTILE_NAMES.length - 2);
    });
  });
}
