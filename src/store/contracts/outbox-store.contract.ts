import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { AlertEvent } from "../../alerts/event.ts";
import type { OutboxStore } from "../../alerts/outbox-store.ts";
import { rejectsWith, withStore, type MakeStore } from "./harness.ts";
import { ALERT_EVENTS, alertEvent, MINUTE, T0 } from "./samples.ts";

/** The OutboxStore contract: every implementation must pass it unchanged. */
export function outboxStoreContract(name: string, make: MakeStore<OutboxStore>): void {
  const test = (title: string, fn: (s: OutboxStore) => Promise<void>) => it(title, () => withStore(make, fn));
  const item = (dedupeKey: string, channel = "mail", event: AlertEvent = alertEvent(dedupeKey.split(":")[0] ?? "i")) => ({ dedupeKey, channel, event });

  describe(`OutboxStore contract: ${name}`, () => {
    test("enqueues new (dedupe key, channel) pairs only and says how many were new", async (s) => {
      assert.equal(await s.enqueue([item("i1:down"), item("i2:down")], T0), 2);
      assert.equal(await s.enqueue([item("i1:down"), item("i1:down", "telegram")], T0), 1);
      assert.equal(await s.enqueue([item("i3:down"), item("i3:down")], T0), 1);
      assert.equal(await s.enqueue([], T0), 0);
      assert.equal(await s.depth(), 4);
    });

    test("makes a new item due at once, with every field set", async (s) => {
      await s.enqueue([item("i1:down")], T0);
      const [due] = await s.due(T0, 10);
      assert.ok(due !== undefined);
      assert.deepEqual({ ...due, id: 0 }, {
        id: 0,
        dedupeKey: "i1:down",
        channel: "mail",
        event: alertEvent("i1"),
        createdAt: T0,
        attempts: 0,
        nextAttemptAt: T0,
        lastError: null,
        sentAt: null,
        deadAt: null,
        sendingAt: null,
        inDoubt: false,
      });
      assert.deepEqual(await s.due(T0 - 1, 10), []);
    });

    test("keeps every kind of alert event as it was given", async (s) => {
      await s.enqueue(ALERT_EVENTS.map((e, i) => item(`k${i}`, "mail", e)), T0);
      const back = (await s.list({ limit: 100 })).reverse().map((i) => i.event);
      assert.deepEqual(back, ALERT_EVENTS);
    });

    test("returns due items by next attempt time, then by id, at most limit", async (s) => {
      await s.enqueue([item("a:down"), item("b:down"), item("c:down")], T0);
      const [a, b] = await s.due(T0, 10);
      await s.markFailed(a?.id ?? -1, "timeout", T0 + 5 * MINUTE);
      await s.markFailed(b?.id ?? -1, "timeout", T0 + MINUTE);
      assert.deepEqual((await s.due(T0, 10)).map((i) => i.dedupeKey), ["c:down"]);
      assert.deepEqual((await s.due(T0 + 10 * MINUTE, 10)).map((i) => i.dedupeKey), ["c:down", "b:down", "a:down"]);
      assert.deepEqual((await s.due(T0 + 10 * MINUTE, 2)).map((i) => i.dedupeKey), ["c:down", "b:down"]);
    });

    test("records a failure: the error, one more attempt, and the next attempt time", async (s) => {
      await s.enqueue([item("i1:down")], T0);
      const id = (await s.due(T0, 1))[0]?.id ?? -1;
      await s.markFailed(id, "SMTP 421", T0 + MINUTE);
      await s.markFailed(id, "SMTP 451", T0 + 3 * MINUTE);
      const [again] = await s.due(T0 + 3 * MINUTE, 1);
      assert.deepEqual([again?.attempts, again?.lastError, again?.nextAttemptAt], [2, "SMTP 451", T0 + 3 * MINUTE]);
      assert.equal(await s.depth(), 1);
    });

    test("takes a sent item out of due and depth, and never enqueues its pair again", async (s) => {
      await s.enqueue([item("i1:down"), item("i2:down")], T0);
      const id = (await s.due(T0, 1))[0]?.id ?? -1;
      await s.markSent(id, T0 + 1000);
      assert.equal(await s.depth(), 1);
      assert.deepEqual((await s.due(T0 + MINUTE, 10)).map((i) => i.dedupeKey), ["i2:down"]);
      assert.equal(await s.enqueue([item("i1:down")], T0 + MINUTE), 0);
      const sent = (await s.list({ dedupeKeyPrefix: "i1:", limit: 10 }))[0];
      assert.deepEqual([sent?.sentAt, sent?.attempts, sent?.deadAt], [T0 + 1000, 1, null]);
    });

    test("takes a dead item out of due and depth and keeps why", async (s) => {
      await s.enqueue([item("i1:down")], T0);
      const id = (await s.due(T0, 1))[0]?.id ?? -1;
      await s.markDead(id, T0 + 2 * MINUTE, "older than 24 h");
      assert.equal(await s.depth(), 0);
      assert.deepEqual(await s.due(T0 + MINUTE, 10), []);
      const dead = (await s.list({ limit: 10 }))[0];
      assert.deepEqual([dead?.deadAt, dead?.lastError, dead?.sentAt], [T0 + 2 * MINUTE, "older than 24 h", null]);
    });

    test("refuses to mark an item it does not hold, or one already sent or dead", async (s) => {
      await rejectsWith(s.markSent(999, T0), "not-found");
      await s.enqueue([item("i1:down"), item("i2:down")], T0);
      const [a, b] = await s.due(T0, 2);
      await s.markSent(a?.id ?? -1, T0);
      await s.markDead(b?.id ?? -1, T0, "too old");
      await rejectsWith(s.markSent(a?.id ?? -1, T0), "conflict");
      await rejectsWith(s.markFailed(a?.id ?? -1, "x", T0), "conflict");
      await rejectsWith(s.markDead(b?.id ?? -1, T0, "x"), "conflict");
      await rejectsWith(s.markSent(b?.id ?? -1, T0), "conflict");
    });

    test("lists newest first, by dedupe key prefix taken literally, at most limit", async (s) => {
      await s.enqueue([item("i1:down"), item("i1:escalation:20"), item("i10:down"), item("i_%:down")], T0);
      assert.deepEqual((await s.list({ limit: 10 })).map((i) => i.dedupeKey), ["i_%:down", "i10:down", "i1:escalation:20", "i1:down"]);
      assert.deepEqual((await s.list({ dedupeKeyPrefix: "i1:", limit: 10 })).map((i) => i.dedupeKey), ["i1:escalation:20", "i1:down"]);
      assert.deepEqual((await s.list({ dedupeKeyPrefix: "i_", limit: 10 })).map((i) => i.dedupeKey), ["i_%:down"]);
      assert.deepEqual((await s.list({ dedupeKeyPrefix: "i1", limit: 1 })).map((i) => i.dedupeKey), ["i10:down"]);
    });

    test("refuses an event that fails the alert event schema and stores nothing of the batch", async (s) => {
      const broken = { ...alertEvent("i2"), at: Number.NaN } as AlertEvent;
      await rejectsWith(s.enqueue([item("i1:down"), item("i2:down", "mail", broken)], T0), "invalid-argument");
      await rejectsWith(s.enqueue([{ dedupeKey: "", channel: "mail", event: alertEvent("i3") }], T0), "invalid-argument");
      assert.equal(await s.depth(), 0);
    });

    test("prunes items sent or given up on before the cutoff, never pending ones", async (s) => {
      await s.enqueue([item("i1:down"), item("i2:down"), item("i3:down"), item("i4:down")], T0);
      const ids = new Map((await s.list({ limit: 10 })).map((i) => [i.dedupeKey, i.id]));
      await s.markSent(ids.get("i1:down")!, T0 + MINUTE);
      await s.markDead(ids.get("i2:down")!, T0 + MINUTE, "too old");
      await s.markSent(ids.get("i3:down")!, T0 + 10 * MINUTE);
      assert.equal(await s.prune(T0 + 5 * MINUTE), 2);
      assert.deepEqual((await s.list({ limit: 10 })).map((i) => i.dedupeKey), ["i4:down", "i3:down"]);
      assert.equal(await s.depth(), 1);
      assert.equal(await s.prune(T0 + 5 * MINUTE), 0);
      await rejectsWith(s.prune(Number.NaN), "invalid-argument");
    });

    test("records an attempt before it starts, and closes it with whatever ends it", async (s) => {
      await s.enqueue([item("i1:down"), item("i2:down"), item("i3:down")], T0);
      const [a, b, c] = await s.due(T0, 3);
      for (const i of [a, b, c]) await s.markSending(i?.id ?? -1, T0 + 5);
      assert.deepEqual((await s.due(T0, 3)).map((i) => i.sendingAt), [T0 + 5, T0 + 5, T0 + 5]);
      assert.equal(await s.depth(), 3, "an item being sent is still pending");
      await s.markSent(a?.id ?? -1, T0 + 6);
      await s.markFailed(b?.id ?? -1, "HTTP 502", T0 + MINUTE);
      await s.markDead(c?.id ?? -1, T0 + 6, "HTTP 400");
      const after = await s.list({ limit: 10 });
      assert.deepEqual(after.map((i) => [i.dedupeKey, i.sendingAt, i.inDoubt]), [["i3:down", null, false], ["i2:down", null, false], ["i1:down", null, false]]);
      assert.deepEqual(await s.markInterrupted(T0 + MINUTE), [], "no attempt is left open");
    });

    test("marks an attempt left open in doubt, once, and keeps the mark through retries and delivery", async (s) => {
      await s.enqueue([item("i1:down"), item("i2:down"), item("i3:down")], T0);
      const [a, b, c] = await s.due(T0, 3);
      await s.markSending(a?.id ?? -1, T0 + 1000);
      await s.markSending(c?.id ?? -1, T0 + 2000);
      await s.markSent(c?.id ?? -1, T0 + 2500);
      const cut = await s.markInterrupted(T0 + MINUTE);
      assert.deepEqual(
        cut.map((i) => ({ key: i.dedupeKey, sendingAt: i.sendingAt, inDoubt: i.inDoubt, attempts: i.attempts, lastError: i.lastError })),
        [{ key: "i1:down", sendingAt: null, inDoubt: true, attempts: 1, lastError: `the attempt started at ${new Date(T0 + 1000).toISOString()} was cut off (nodeward stopped during the send): it may have arrived` }],
      );
      assert.deepEqual(await s.markInterrupted(T0 + MINUTE), [], "found once");
      const due = await s.due(T0 + MINUTE, 10);
      assert.deepEqual(due.map((i) => [i.dedupeKey, i.inDoubt]), [["i1:down", true], ["i2:down", false]], "still due, in order, b untouched");
      await s.markSending(a?.id ?? -1, T0 + MINUTE);
      await s.markFailed(a?.id ?? -1, "HTTP 502", T0 + 2 * MINUTE);
      assert.equal((await s.list({ dedupeKeyPrefix: "i1:", limit: 1 }))[0]?.inDoubt, true, "a retry is still in doubt");
      await s.markSending(a?.id ?? -1, T0 + 2 * MINUTE);
      await s.markSent(a?.id ?? -1, T0 + 2 * MINUTE);
      const sent = (await s.list({ dedupeKeyPrefix: "i1:", limit: 1 }))[0];
      assert.deepEqual([sent?.sentAt, sent?.inDoubt, sent?.sendingAt, sent?.attempts], [T0 + 2 * MINUTE, true, null, 3]);
      assert.equal(b?.inDoubt, false);
    });

    test("refuses to record an attempt on an item it does not hold, or one already sent or dead", async (s) => {
      await rejectsWith(s.markSending(999, T0), "not-found");
      await s.enqueue([item("i1:down")], T0);
      const id = (await s.due(T0, 1))[0]?.id ?? -1;
      await s.markSent(id, T0);
      await rejectsWith(s.markSending(id, T0), "conflict");
      await rejectsWith(s.markInterrupted(Number.NaN), "invalid-argument");
    });

    test("hands out copies: changing a returned item changes nothing stored", async (s) => {
      await s.enqueue([item("i1:down")], T0);
      const [got] = await s.due(T0, 1);
      (got as { attempts: number }).attempts = 42;
      (got?.event as { at: number }).at = 1;
      const [again] = await s.due(T0, 1);
      assert.deepEqual([again?.attempts, again?.event.at], [0, T0]);
    });
  });
}
