import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Incident, IncidentEventKind } from "../../watch/model.ts";
import type { IncidentStore } from "../../watch/ports.ts";
import { rejectsWith, withStore, type MakeStore } from "./harness.ts";
import { event, HOUR, MINUTE, T0 } from "./samples.ts";

/** The IncidentStore contract: every implementation must pass it unchanged. */
export function incidentStoreContract(name: string, make: MakeStore<IncidentStore>): void {
  const test = (title: string, fn: (s: IncidentStore) => Promise<void>) => it(title, () => withStore(make, fn));
  const opened = (id: string, nodeId: string, startedAt: number) => ({ id, nodeId, startedAt, lastGoodAt: startedAt - 3 * MINUTE, cause: "p2p timeout" });
  const openOne = (s: IncidentStore, id: string, nodeId = "n1", startedAt = T0) => s.open(opened(id, nodeId, startedAt), event(startedAt, "down"));

  describe(`IncidentStore contract: ${name}`, () => {
    test("opens an incident with its first event and returns it as open", async (s) => {
      await openOne(s, "i1");
      const expected: Incident = { ...opened("i1", "n1", T0), endedAt: null, timeline: [event(T0, "down")] };
      assert.deepEqual(await s.openIncidents(), [expected]);
      assert.deepEqual(await s.get("i1"), expected);
    });

    test("returns the timeline ordered by time, events of the same ms in the order stored", async (s) => {
      await openOne(s, "i1");
      await s.append("i1", event(T0 + 20 * MINUTE, "escalation", "20 min"));
      await s.append("i1", event(T0 + 5 * MINUTE, "alert-sent", "down → mail"));
      await s.append("i1", event(T0 + 20 * MINUTE, "alert-failed", "20 min → telegram"));
      const timeline = (await s.get("i1"))?.timeline.map((e) => e.detail);
      assert.deepEqual(timeline, ["down at " + T0, "down → mail", "20 min", "20 min → telegram"]);
    });

    test("closes an incident: it leaves the open ones and keeps its end and last event", async (s) => {
      await openOne(s, "i1");
      await openOne(s, "i2", "n2");
      await s.close("i1", T0 + 30 * MINUTE, event(T0 + 30 * MINUTE, "recovered"));
      assert.deepEqual((await s.openIncidents()).map((i) => i.id), ["i2"]);
      const closed = await s.get("i1");
      assert.equal(closed?.endedAt, T0 + 30 * MINUTE);
      assert.deepEqual(closed?.timeline.at(-1), event(T0 + 30 * MINUTE, "recovered"));
    });

    test("still takes events after an incident is closed (the recovery alert is sent later)", async (s) => {
      await openOne(s, "i1");
      await s.close("i1", T0 + HOUR, event(T0 + HOUR, "recovered"));
      await s.append("i1", event(T0 + HOUR + 1000, "alert-sent"));
      assert.equal((await s.get("i1"))?.timeline.length, 3);
    });

    test("refuses to open an id twice, to close twice, and to touch an unknown incident", async (s) => {
      await openOne(s, "i1");
      await rejectsWith(openOne(s, "i1"), "conflict");
      await rejectsWith(s.append("nope", event(T0, "escalation")), "not-found");
      await rejectsWith(s.close("nope", T0, event(T0, "recovered")), "not-found");
      await s.close("i1", T0 + HOUR, event(T0 + HOUR, "recovered"));
      await rejectsWith(s.close("i1", T0 + 2 * HOUR, event(T0 + 2 * HOUR, "recovered")), "conflict");
      assert.equal((await s.get("i1"))?.endedAt, T0 + HOUR);
      assert.equal((await s.get("i1"))?.timeline.length, 2);
    });

    test("refuses an event kind outside the model and a fractional time, storing nothing", async (s) => {
      await rejectsWith(s.open(opened("i1", "n1", T0), event(T0, "exploded" as IncidentEventKind)), "invalid-argument");
      assert.equal(await s.get("i1"), null);
      await openOne(s, "i2");
      await rejectsWith(s.append("i2", event(T0 + 0.5, "escalation")), "invalid-argument");
      assert.equal((await s.get("i2"))?.timeline.length, 1);
    });

    test("returns open incidents oldest first", async (s) => {
      await openOne(s, "late", "n1", T0 + HOUR);
      await openOne(s, "early", "n2", T0);
      assert.deepEqual((await s.openIncidents()).map((i) => i.id), ["early", "late"]);
    });

    test("lists newest first, by node and start time, at most limit, with timelines", async (s) => {
      await openOne(s, "a1", "a", T0);
      await openOne(s, "b1", "b", T0 + HOUR);
      await openOne(s, "a2", "a", T0 + 2 * HOUR);
      await s.close("a1", T0 + 10 * MINUTE, event(T0 + 10 * MINUTE, "recovered"));
      assert.deepEqual((await s.list({ limit: 10 })).map((i) => i.id), ["a2", "b1", "a1"]);
      assert.deepEqual((await s.list({ nodeId: "a", limit: 10 })).map((i) => i.id), ["a2", "a1"]);
      assert.deepEqual((await s.list({ since: T0 + HOUR, limit: 10 })).map((i) => i.id), ["a2", "b1"]);
      assert.deepEqual((await s.list({ nodeId: "a", since: T0 + 1, limit: 10 })).map((i) => i.id), ["a2"]);
      assert.deepEqual((await s.list({ limit: 1 })).map((i) => i.id), ["a2"]);
      assert.equal((await s.list({ nodeId: "a", limit: 10 }))[1]?.timeline.length, 2);
      assert.deepEqual(await s.list({ nodeId: "zzz", limit: 10 }), []);
    });

    test("returns null for an incident it does not hold", async (s) => {
      assert.equal(await s.get("nope"), null);
    });

    test("knows the last remediation of a node across all its incidents, and only of that node", async (s) => {
      assert.equal(await s.lastRemediation("n1"), null);
      await openOne(s, "i1", "n1", T0);
      await s.append("i1", event(T0 + 10 * MINUTE, "remediation", "reboot requested"));
      await s.append("i1", event(T0 + 12 * MINUTE, "remediation-skipped", "one action per window"));
      await s.close("i1", T0 + 20 * MINUTE, event(T0 + 20 * MINUTE, "recovered"));
      await openOne(s, "i2", "n1", T0 + HOUR);
      await s.append("i2", event(T0 + HOUR + 5 * MINUTE, "remediation", "start requested"));
      await openOne(s, "j1", "n2", T0);
      await s.append("j1", event(T0 + 3 * HOUR, "remediation"));
      assert.equal(await s.lastRemediation("n1"), T0 + HOUR + 5 * MINUTE);
      assert.equal(await s.lastRemediation("n3"), null);
    });

    test("prunes incidents that ended before the cutoff with their timelines, never open ones", async (s) => {
      await openOne(s, "old", "n1", T0);
      await s.close("old", T0 + HOUR, event(T0 + HOUR, "recovered"));
      await openOne(s, "recent", "n1", T0 + 2 * HOUR);
      await s.close("recent", T0 + 3 * HOUR, event(T0 + 3 * HOUR, "recovered"));
      await openOne(s, "open", "n2", T0);
      assert.equal(await s.prune(T0 + 2 * HOUR), 1);
      assert.equal(await s.get("old"), null);
      assert.deepEqual((await s.list({ limit: 10 })).map((i) => i.id).sort(), ["open", "recent"]);
      assert.equal(await s.prune(T0 + 100 * HOUR), 1);
      assert.deepEqual((await s.openIncidents()).map((i) => i.id), ["open"]);
      await rejectsWith(s.prune(Number.NaN), "invalid-argument");
    });

    test("hands out copies: changing a returned incident changes nothing stored", async (s) => {
      await openOne(s, "i1");
      const got = (await s.get("i1")) as Incident & { cause: string };
      got.cause = "changed";
      (got.timeline as unknown[]).push(event(T0, "degraded"));
      assert.equal((await s.get("i1"))?.cause, "p2p timeout");
      assert.equal((await s.get("i1"))?.timeline.length, 1);
    });
  });
}
