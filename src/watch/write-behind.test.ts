import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { openMemoryStore } from "../store/index.ts";
import { isStorageFault } from "../store/sqlite/faults.ts";
import { event, nodeState, probe, T0 } from "../store/contracts/samples.ts";
import { WriteBehind } from "./write-behind.ts";

/**
 * The storage here is the in-memory store behind a switch that makes every write fail the way
 * SQLite does on a full disk (code SQLITE_FULL). The real thing, a SQLite file on a full tmpfs,
 * is in test/watch-faults.test.ts.
 */
function setup(opts: { maxProbes?: number; maxIncidentChanges?: number } = {}) {
  const inner = openMemoryStore();
  const disk = { full: false };
  const full = () => Object.assign(new Error("database or disk is full"), { code: "SQLITE_FULL" });
  const guard = <A extends unknown[]>(fn: (...a: A) => Promise<void>) => async (...a: A) => {
    if (disk.full) throw full();
    await fn(...a);
  };
  const faults: string[] = [];
  const recovered: { probesWritten: number; probesDropped: number }[] = [];
  const dropped: string[] = [];
  const wb = new WriteBehind(
    {
      probes: { ...inner.probes, appendProbes: guard(inner.probes.appendProbes) },
      nodeStates: { ...inner.nodeStates, save: guard(inner.nodeStates.save), remove: guard(inner.nodeStates.remove) },
      incidents: { ...inner.incidents, open: guard(inner.incidents.open), append: guard(inner.incidents.append), close: guard(inner.incidents.close) },
    },
    {
      isStorageFault,
      ...opts,
      onFault: (e) => faults.push((e as Error).message),
      onRecovered: (s) => recovered.push(s),
      onDropped: (what) => dropped.push(what),
    },
  );
  return { wb, inner, disk, faults, recovered, dropped };
}

describe("writes held back while the storage fails", () => {
  it("writes straight through while the storage works", async () => {
    const t = setup();
    await t.wb.probes.appendProbes([probe("a", T0)]);
    assert.equal(t.wb.holding, false);
    assert.equal((await t.inner.probes.recentProbes("a", 5)).length, 1);
  });

  it("keeps the vantage of each probe batch, written straight or held and written later", async () => {
    const t = setup();
    await t.wb.probes.appendProbes([probe("a", T0)], "fra-1");
    t.disk.full = true;
    await t.wb.probes.appendProbes([probe("b", T0 + 1)], "sgp-1");
    assert.equal(t.wb.holding, true);
    t.disk.full = false;
    await t.wb.retry();
    const feed = await t.inner.latest.latestSince(0, 10);
    assert.deepEqual(feed.rows.map((r) => `${r.nodeId}@${r.vantage}`), ["a@fra-1", "b@sgp-1"]);
  });

  it("holds every write while the disk is full, then writes them in order once it has room", async () => {
    const t = setup();
    t.disk.full = true;
    await t.wb.probes.appendProbes([probe("a", T0, { ok: false })]);
    await t.wb.incidents.open({ id: "i1", nodeId: "a", startedAt: T0, lastGoodAt: null, cause: "p2p timeout" }, event(T0, "down"));
    await t.wb.nodeStates.save([nodeState("a", { lastProbeAt: T0 })]);
    await t.wb.incidents.append("i1", event(T0 + 1, "escalation"));
    await t.wb.nodeStates.save([nodeState("a", { lastProbeAt: T0 + 1 })]);
    await t.wb.incidents.close("i1", T0 + 2, event(T0 + 2, "recovered"));
    assert.equal(t.faults.length, 1, "the first refused write raises the fault; the later ones queue behind it");
    assert.deepEqual(t.wb.held(), { probes: 1, probesDropped: 0, states: 1, incidentChanges: 3 });
    assert.equal(await t.wb.retry(), false, "still full");
    assert.equal((await t.inner.incidents.list({ limit: 10 })).length, 0);

    t.disk.full = false;
    assert.equal(await t.wb.retry(), true);
    assert.equal(t.wb.holding, false);
    const [inc] = await t.inner.incidents.list({ limit: 10 });
    assert.deepEqual(inc?.timeline.map((e) => e.kind), ["down", "escalation", "recovered"]);
    assert.equal(inc?.endedAt, T0 + 2);
    assert.deepEqual((await t.inner.nodeStates.loadAll()).map((s) => s.lastProbeAt), [T0 + 1], "the newest state of the node");
    assert.equal((await t.inner.probes.recentProbes("a", 5)).length, 1);
    assert.deepEqual(t.recovered, [{ probesWritten: 1, probesDropped: 0 }]);
  });

  it("keeps at most maxProbes results, dropping the oldest, and says how many it dropped", async () => {
    const t = setup({ maxProbes: 5 });
    t.disk.full = true;
    for (let i = 0; i < 8; i++) await t.wb.probes.appendProbes([probe("a", T0 + i * 1000)]);
    assert.deepEqual(t.wb.held(), { probes: 5, probesDropped: 3, states: 0, incidentChanges: 0 });
    t.disk.full = false;
    await t.wb.retry();
    const kept = await t.inner.probes.recentProbes("a", 10);
    assert.deepEqual(kept.map((p) => p.at).sort(), [3, 4, 5, 6, 7].map((i) => T0 + i * 1000));
    assert.deepEqual(t.recovered, [{ probesWritten: 5, probesDropped: 3 }]);
  });

  it("says it cannot go on once more incident changes are held than it may keep", async () => {
    const t = setup({ maxIncidentChanges: 2 });
    t.disk.full = true;
    for (let i = 0; i < 3; i++) await t.wb.incidents.open({ id: `i${i}`, nodeId: "a", startedAt: T0, lastGoodAt: null, cause: "x" }, event(T0, "down"));
    assert.equal(t.wb.overflowed, true);
  });

  it("drops a held write that can never succeed, and writes the rest", async () => {
    const t = setup();
    t.disk.full = true;
    await t.wb.incidents.append("no-such-incident", event(T0, "escalation"));
    await t.wb.probes.appendProbes([probe("a", T0)]);
    t.disk.full = false;
    assert.equal(await t.wb.retry(), true);
    assert.deepEqual(t.dropped, ["escalation on incident no-such-incident"]);
    assert.equal((await t.inner.probes.recentProbes("a", 5)).length, 1);
  });

  it("throws a failure that is not the storage's, as before", async () => {
    const t = setup();
    await assert.rejects(t.wb.incidents.append("no-such-incident", event(T0, "escalation")), /not/);
    assert.equal(t.wb.holding, false);
  });
});
