import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { memoryOutboxStore } from "../store/memory/outbox-store.ts";
import { createDispatcher, type DispatcherOptions } from "./dispatcher.ts";
import type { OutboxStore } from "./outbox-store.ts";
import { downEvent, manualClock, MINUTE, noAbort, recoveredEvent, T0, type ManualClock } from "./testing/fixtures.ts";
import { routed, scriptedSender, type ScriptedSender } from "./testing/scripted-sender.ts";

const RETRYABLE = { ok: false, retryable: true, error: "Chat answered HTTP 502" } as const;

function setup(over: Partial<DispatcherOptions> & { senders?: ScriptedSender[] } = {}) {
  const clock = over.clock as ManualClock | undefined ?? manualClock();
  const outbox = over.outbox ?? memoryOutboxStore();
  const senders = over.senders ?? [scriptedSender("tg")];
  const lines: string[] = [];
  const dispatcher = createDispatcher({
    outbox,
    clock,
    channels: over.channels ?? senders.map((s) => routed(s)),
    backoff: { random: () => 0 },
    logger: (l) => lines.push(l),
    ...over,
  });
  return { dispatcher, outbox, clock, senders, sender: senders[0]!, lines };
}

async function only(outbox: OutboxStore) {
  const [item] = await outbox.list({ limit: 1 });
  assert.ok(item);
  return item;
}

describe("dispatcher", () => {
  it("queues one row per event and channel, honours each channel's kinds, and sends a test event only to its channel", async () => {
    const a = scriptedSender("a");
    const b = scriptedSender("b");
    const { dispatcher, outbox } = setup({ senders: [a, b], channels: [routed(a), routed(b, ["recovered"])] });
    assert.equal(await dispatcher.enqueue([downEvent(), recoveredEvent(), { kind: "test", at: T0, channel: "b" }]), 4);
    const rows = (await outbox.list({ limit: 10 })).map((i) => `${i.channel} ${i.dedupeKey}`).sort();
    assert.deepEqual(rows, ["a inc-1:down", "a inc-1:recovered", `b inc-1:recovered`, `b test:b:${T0}`]);
  });

  it("sends each alert once, also after a restart with the same outbox", async () => {
    const first = setup();
    await first.dispatcher.enqueue([downEvent()]);
    assert.deepEqual(await first.dispatcher.deliverDue(noAbort()), { sent: 1, failed: 0, dead: 0, deferred: 0 });
    const again = setup({ outbox: first.outbox, clock: first.clock });
    assert.equal(await again.dispatcher.enqueue([downEvent()]), 0);
    assert.deepEqual(await again.dispatcher.deliverDue(noAbort()), { sent: 0, failed: 0, dead: 0, deferred: 0 });
    assert.equal(first.sender.sent.length + again.sender.sent.length, 1);
  });

  it("retries a retryable failure after the backoff and then marks it sent", async () => {
    const { dispatcher, outbox, clock, sender, lines } = setup();
    sender.answers.push(RETRYABLE);
    await dispatcher.enqueue([downEvent()]);
    assert.deepEqual(await dispatcher.deliverDue(noAbort()), { sent: 0, failed: 1, dead: 0, deferred: 0 });
    const waiting = await only(outbox);
    assert.equal(waiting.nextAttemptAt, T0 + 7_500);
    assert.equal(waiting.lastError, "Chat answered HTTP 502");
    clock.advance(7_499);
    assert.equal((await dispatcher.deliverDue(noAbort())).sent, 0);
    clock.advance(1);
    assert.equal((await dispatcher.deliverDue(noAbort())).sent, 1);
    const done = await only(outbox);
    assert.equal(done.sentAt, T0 + 7_500);
    assert.equal(done.attempts, 2);
    assert.equal(lines[0], 'alert inc-1:down to "tg" failed (attempt 1), retry in 8 s: Chat answered HTTP 502');
    assert.match(lines.at(-1)!, /sent after 2 attempts/);
  });

  it("waits as long as a 429 asks before trying again", async () => {
    const { dispatcher, outbox, sender } = setup();
    sender.answers.push({ ok: false, retryable: true, error: "HTTP 429", retryAfterMs: 42_000 });
    await dispatcher.enqueue([downEvent()]);
    await dispatcher.deliverDue(noAbort());
    assert.equal((await only(outbox)).nextAttemptAt, T0 + 42_000);
  });

  it("gives up at once on a non-retryable failure and never sends it again", async () => {
    const { dispatcher, outbox, clock, sender } = setup();
    sender.answers.push({ ok: false, retryable: false, error: "Discord answered HTTP 400: invalid embed" });
    await dispatcher.enqueue([downEvent()]);
    assert.deepEqual(await dispatcher.deliverDue(noAbort()), { sent: 0, failed: 0, dead: 1, deferred: 0 });
    const item = await only(outbox);
    assert.equal(item.deadAt, T0);
    assert.equal(item.lastError, "Discord answered HTTP 400: invalid embed");
    clock.advance(60 * MINUTE);
    await dispatcher.deliverDue(noAbort());
    assert.equal(sender.sent.length, 1);
    assert.equal(await outbox.depth(), 0);
  });

  it("gives up an alert it could not send within the maximum age", async () => {
    const { dispatcher, outbox, clock, sender } = setup({ maxAgeMs: 30 * MINUTE });
    sender.answers.push(...Array.from({ length: 20 }, () => RETRYABLE));
    await dispatcher.enqueue([downEvent()]);
    for (let i = 0; i < 20 && (await outbox.depth()) > 0; i++) {
      await dispatcher.deliverDue(noAbort());
      clock.advance(5 * MINUTE);
    }
    const item = await only(outbox);
    assert.notEqual(item.deadAt, null);
    assert.match(item.lastError ?? "", /^gave up after \d+ attempts in \d+ min: Chat answered HTTP 502$|^not delivered within 30 min/);
    assert.ok(item.deadAt! - item.createdAt <= 30 * MINUTE);
  });

  it("gives up, without sending, an alert that is already too old when it comes due", async () => {
    const { dispatcher, outbox, clock, sender } = setup({ maxAgeMs: 30 * MINUTE });
    await dispatcher.enqueue([downEvent()]);
    clock.advance(31 * MINUTE);
    assert.equal((await dispatcher.deliverDue(noAbort())).dead, 1);
    assert.equal(sender.sent.length, 0);
    assert.match((await only(outbox)).lastError ?? "", /^not delivered within 30 min; last error: none$/);
  });

  it("keeps each channel's order: a recovery waits for its outage, other channels go on", async () => {
    const slow = scriptedSender("slow");
    const fine = scriptedSender("fine");
    const { dispatcher, clock } = setup({ senders: [slow, fine] });
    slow.answers.push(RETRYABLE);
    await dispatcher.enqueue([downEvent()]);
    clock.advance(1_000);
    await dispatcher.enqueue([recoveredEvent()]);
    assert.deepEqual(await dispatcher.deliverDue(noAbort()), { sent: 2, failed: 1, dead: 0, deferred: 1 });
    assert.deepEqual(fine.sent.map((m) => m.event.kind), ["down", "recovered"]);
    clock.advance(MINUTE);
    assert.deepEqual(await dispatcher.deliverDue(noAbort()), { sent: 2, failed: 0, dead: 0, deferred: 0 });
    assert.deepEqual(slow.sent.map((m) => m.event.kind), ["down", "down", "recovered"]);
  });

  it("renders at send time, so a late alert shows the minutes left then", async () => {
    const { dispatcher, clock, sender } = setup();
    sender.answers.push(RETRYABLE);
    await dispatcher.enqueue([downEvent()]);
    await dispatcher.deliverDue(noAbort());
    clock.advance(10 * MINUTE);
    await dispatcher.deliverDue(noAbort());
    assert.match(sender.sent[0]!.title, /EXPIRED in 63 min$/);
    assert.match(sender.sent[1]!.title, /EXPIRED in 53 min$/);
    assert.match(sender.sent[1]!.text, /Delivered late: raised at 14:05 UTC, 10 min ago/);
  });

  it("gives up alerts for a channel that is no longer configured", async () => {
    const first = setup({ senders: [scriptedSender("old")] });
    await first.dispatcher.enqueue([downEvent()]);
    const renamed = setup({ outbox: first.outbox, clock: first.clock, senders: [scriptedSender("new")] });
    assert.equal((await renamed.dispatcher.deliverDue(noAbort())).dead, 1);
    assert.match((await only(first.outbox)).lastError ?? "", /no alert channel named "old"/);
  });

  it("gives up an alert whose channel throws (the same input throws again), and retries one that hangs", async () => {
    const { dispatcher, outbox, sender, lines } = setup({ sendTimeoutMs: 50 });
    sender.answers.push("throw");
    await dispatcher.enqueue([downEvent()]);
    assert.deepEqual(await dispatcher.deliverDue(noAbort()), { sent: 0, failed: 0, dead: 1, deferred: 0 });
    const item = await only(outbox);
    assert.equal(item.lastError, "the scripted channel could not send this alert (Error); this is a bug in nodeward, please report it");
    assert.equal(lines[0], 'alert inc-1:down to "tg" given up: the scripted channel could not send this alert (Error); this is a bug in nodeward, please report it');
    assert.ok(!lines.join("\n").includes("secret"), "the exception's message is never logged");
    const hung = setup({ sendTimeoutMs: 50 });
    hung.sender.answers.push("wait");
    await hung.dispatcher.enqueue([downEvent()]);
    assert.equal((await hung.dispatcher.deliverDue(noAbort())).failed, 1);
    assert.equal((await only(hung.outbox)).lastError, "no answer within the send timeout");
  });

  it("never lets an alert that cannot be sent hold back the channel: the alerts behind it go out in the same pass", async () => {
    const { dispatcher, clock, sender } = setup();
    sender.answers.push("throw", { ok: false, retryable: false, error: "Chat answered HTTP 400: message too long" });
    await dispatcher.enqueue([downEvent({ incidentId: "inc-1" })]);
    clock.advance(1_000);
    await dispatcher.enqueue([downEvent({ incidentId: "inc-2", at: T0 + 1_000 })]);
    clock.advance(1_000);
    await dispatcher.enqueue([{ kind: "backup-code-used", at: T0 + 2_000, user: "admin", remaining: 7, ip: null }]);
    assert.deepEqual(await dispatcher.deliverDue(noAbort()), { sent: 1, failed: 0, dead: 2, deferred: 0 });
    assert.deepEqual(sender.sent.map((m) => m.dedupeKey), ["inc-1:down", "inc-2:down", `auth:backup-code-used:admin:${T0 + 2_000}`]);
  });

  it("writes a hostile dedupe key into its log lines on one line, clipped", async () => {
    const { dispatcher, sender, lines } = setup();
    sender.answers.push(RETRYABLE);
    await dispatcher.enqueue([downEvent({ incidentId: `host:sn-1\r\nFAKE: line\u001b[2J${"n".repeat(5_000)}@${T0}` })]);
    await dispatcher.deliverDue(noAbort());
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /^alert host:sn-1 FAKE: line\uFFFD\[2Jn+… to "tg" failed \(attempt 1\)/);
    assert.ok(lines[0]!.length < 400, `${lines[0]!.length} characters`);
  });

  it("records the attempt in the outbox before the channel sees the alert", async () => {
    const { dispatcher, outbox, sender } = setup();
    sender.answers.push("wait");
    await dispatcher.enqueue([downEvent()]);
    const stop = new AbortController();
    const pass = dispatcher.deliverDue(stop.signal);
    while (sender.sent.length === 0) await new Promise((r) => setTimeout(r, 1));
    assert.equal((await only(outbox)).sendingAt, T0, "committed before the send started");
    stop.abort();
    await pass;
  });

  it("sends an alert whose attempt was cut off once more, marked as a possible duplicate, and never a third time", async () => {
    const first = setup();
    await first.dispatcher.enqueue([downEvent()]);
    // What a process killed during the send leaves behind: the attempt recorded, never closed.
    const id = (await only(first.outbox)).id;
    await first.outbox.markSending(id, T0);
    first.clock.advance(MINUTE);
    const again = setup({ outbox: first.outbox, clock: first.clock });
    assert.deepEqual(await again.dispatcher.deliverDue(noAbort()), { sent: 1, failed: 0, dead: 0, deferred: 0 });
    const [msg] = again.sender.sent;
    assert.equal(msg?.possibleDuplicate, true);
    assert.equal(msg?.dedupeKey, "inc-1:down", "the same delivery id, so receivers can drop it");
    assert.match(msg?.title ?? "", /^DOWN: sn-ams-1 — EXPIRED in 62 min \(possible duplicate\)$/);
    assert.match(msg?.text ?? "", /\n\(Possible duplicate: nodeward stopped while sending this alert and cannot tell whether it arrived, so it is sent again\.\)$/);
    assert.match(msg?.summary ?? "", /Possible duplicate/);
    assert.deepEqual(again.lines, [
      `alert inc-1:down to "tg": the attempt started at ${new Date(T0).toISOString()} was cut off (nodeward stopped during the send): it may have arrived; sending it again, marked as a possible duplicate`,
      'alert inc-1:down to "tg" sent after 2 attempts, marked as a possible duplicate',
    ]);
    const done = await only(again.outbox);
    assert.deepEqual([done.sentAt, done.inDoubt, done.sendingAt], [T0 + MINUTE, true, null]);
    const third = setup({ outbox: first.outbox, clock: first.clock });
    assert.deepEqual(await third.dispatcher.deliverDue(noAbort()), { sent: 0, failed: 0, dead: 0, deferred: 0 });
    assert.equal(third.sender.sent.length, 0);
  });

  it("keeps the possible-duplicate mark on the retries of an alert whose first resend fails", async () => {
    const { dispatcher, outbox, clock, sender } = setup();
    await dispatcher.enqueue([downEvent()]);
    await outbox.markSending((await only(outbox)).id, T0);
    sender.answers.push(RETRYABLE);
    assert.equal((await dispatcher.deliverDue(noAbort())).failed, 1);
    clock.advance(MINUTE);
    assert.equal((await dispatcher.deliverDue(noAbort())).sent, 1);
    assert.deepEqual(sender.sent.map((m) => m.possibleDuplicate), [true, true]);
  });

  it("leaves an alert due when shutdown interrupts its send, and the flush after it sends it as a possible duplicate", async () => {
    const { dispatcher, outbox, sender } = setup();
    sender.answers.push("wait");
    await dispatcher.enqueue([downEvent()]);
    const stop = new AbortController();
    const pass = dispatcher.deliverDue(stop.signal);
    await new Promise((r) => setTimeout(r, 10));
    stop.abort();
    assert.deepEqual(await pass, { sent: 0, failed: 0, dead: 0, deferred: 0 });
    const item = await only(outbox);
    assert.equal(item.attempts, 0);
    assert.equal(item.nextAttemptAt, T0);
    assert.equal(item.sendingAt, T0, "the service may have had it: the attempt stays open");
    assert.deepEqual(await dispatcher.flush(5_000), { sent: 1, failed: 0, dead: 0, deferred: 0, remaining: 0 });
    assert.deepEqual(sender.sent.map((m) => m.possibleDuplicate), [false, true]);
  });
});
