import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { systemClock } from "../core/clock.ts";
import { memoryOutboxStore } from "../store/memory/outbox-store.ts";
import { createDispatcher } from "./dispatcher.ts";
import type { OutboxStore } from "./outbox-store.ts";
import { downEvent, manualClock, MINUTE, recoveredEvent, T0 } from "./testing/fixtures.ts";
import { routed, scriptedSender } from "./testing/scripted-sender.ts";

async function until(what: string, ok: () => boolean, ms = 3_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) assert.fail(`timed out waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe("dispatcher loop", () => {
  it("delivers an alert moments after it is queued, not at the next poll", async () => {
    const sender = scriptedSender("tg");
    const d = createDispatcher({ outbox: memoryOutboxStore(), clock: systemClock, channels: [routed(sender)], pollMs: 60_000 });
    const stop = new AbortController();
    const running = d.run(stop.signal);
    await new Promise((r) => setTimeout(r, 20));
    await d.enqueue([downEvent({ at: Date.now() })]);
    await until("the alert is sent", () => sender.sent.length === 1, 1_000);
    stop.abort();
    await running;
  });

  it("wakes for the retry it scheduled", async () => {
    const sender = scriptedSender("tg");
    sender.answers.push({ ok: false, retryable: true, error: "HTTP 503" });
    const d = createDispatcher({ outbox: memoryOutboxStore(), clock: systemClock, channels: [routed(sender)], pollMs: 60_000, backoff: { initialMs: 2_000, random: () => 0 } });
    const stop = new AbortController();
    const running = d.run(stop.signal);
    await d.enqueue([downEvent({ at: Date.now() })]);
    await until("the retry is sent", () => sender.sent.length === 2);
    stop.abort();
    await running;
  });

  it("keeps going when the outbox fails for a while, and says so", async () => {
    const inner = memoryOutboxStore();
    let failures = 2;
    const flaky: OutboxStore = {
      ...inner,
      due: (now, limit) => (failures-- > 0 ? Promise.reject(new Error("database is locked")) : inner.due(now, limit)),
    };
    const sender = scriptedSender("tg");
    const lines: string[] = [];
    const d = createDispatcher({ outbox: flaky, clock: systemClock, channels: [routed(sender)], pollMs: 20, logger: (l) => lines.push(l) });
    await d.enqueue([downEvent({ at: Date.now() })]);
    const stop = new AbortController();
    const running = d.run(stop.signal);
    await until("the alert is sent", () => sender.sent.length === 1);
    stop.abort();
    await running;
    assert.match(lines[0] ?? "", /^alert delivery paused: the outbox failed \(database is locked\)/);
  });

  it("stops promptly when its signal aborts while it sleeps", async () => {
    const d = createDispatcher({ outbox: memoryOutboxStore(), clock: systemClock, channels: [], pollMs: 60_000 });
    const stop = new AbortController();
    const running = d.run(stop.signal);
    await new Promise((r) => setTimeout(r, 20));
    const t = Date.now();
    stop.abort();
    await running;
    assert.ok(Date.now() - t < 500);
  });

  it("flushes what is due at shutdown, batch after batch, and reports what is left", async () => {
    const ok = scriptedSender("ok");
    const down = scriptedSender("down");
    down.answers.push({ ok: false, retryable: true, error: "HTTP 502" });
    const clock = manualClock();
    const d = createDispatcher({ outbox: memoryOutboxStore(), clock, channels: [routed(ok), routed(down, ["down"])], batchSize: 2 });
    await d.enqueue([downEvent(), recoveredEvent(), downEvent({ incidentId: "inc-2", at: T0 + MINUTE })]);
    assert.deepEqual(await d.flush(1_000), { sent: 3, failed: 1, dead: 0, deferred: 1, remaining: 2 });
    assert.deepEqual(ok.sent.map((m) => m.dedupeKey), ["inc-1:down", "inc-1:recovered", "inc-2:down"]);
  });
});
