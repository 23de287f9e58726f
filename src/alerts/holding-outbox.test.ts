import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { openMemoryStore } from "../store/index.ts";
import { outboxStoreContract } from "../store/contracts/outbox-store.contract.ts";
import { alertEvent, T0 } from "../store/contracts/samples.ts";
import { isStorageFault } from "../store/sqlite/faults.ts";
import type { OutboxStore } from "./outbox-store.ts";
import { HoldingOutbox } from "./holding-outbox.ts";

/**
 * The storage here is the in-memory outbox behind a switch that makes every write fail as SQLite
 * does on a full disk (SQLITE_FULL); reads still work, as they do on a full disk. The real thing,
 * a SQLite file on a full tmpfs under the running daemon, is test/watch-disk-full.test.ts.
 */
function setup() {
  const inner = openMemoryStore().outbox;
  const disk = { full: false };
  const writes = ["enqueue", "markSending", "markInterrupted", "markSent", "markFailed", "markDead"] as const;
  const guarded = { ...inner } as OutboxStore;
  for (const m of writes) {
    const original = inner[m].bind(inner) as (...a: unknown[]) => Promise<unknown>;
    (guarded as unknown as Record<string, unknown>)[m] = async (...a: unknown[]) => {
      if (disk.full) throw Object.assign(new Error("database or disk is full"), { code: "SQLITE_FULL" });
      return original(...a);
    };
  }
  const faults: unknown[] = [];
  const outbox = new HoldingOutbox(guarded, { isStorageFault, onFault: (e) => faults.push(e), onDropped: () => undefined });
  return { inner, outbox, disk, faults };
}

const item = (key: string) => ({ dedupeKey: key, channel: "hook", event: alertEvent(key, T0) });

// The wrapper is an outbox like any other while its storage works.
outboxStoreContract("holding, over memory", async () => ({ store: setup().outbox, close() {} }));

describe("the outbox while its storage fails", () => {
  it("holds an alert it cannot store and hands it out for delivery at once", async () => {
    const t = setup();
    t.disk.full = true;
    assert.equal(await t.outbox.enqueue([item("i1:down")], T0), 1);
    assert.equal(await t.outbox.enqueue([item("i1:down")], T0), 0, "deduplicated while held too");
    const [due] = await t.outbox.due(T0, 10);
    assert.ok(due !== undefined && due.id < 0 && due.dedupeKey === "i1:down");
    await t.outbox.markSending(due.id, T0);
    await t.outbox.markSent(due.id, T0 + 1);
    assert.deepEqual(await t.outbox.due(T0 + 2, 10), [], "sent once, never again");
    assert.equal(t.outbox.holding, false);
  });

  it("holds the sent mark of a stored alert, so the alert is not sent twice, and writes it when it can", async () => {
    const t = setup();
    await t.outbox.enqueue([item("i2:down")], T0);
    const [stored] = await t.outbox.due(T0, 10);
    t.disk.full = true;
    await t.outbox.markSending(stored!.id, T0);
    await t.outbox.markSent(stored!.id, T0 + 1);
    assert.deepEqual(await t.outbox.due(T0 + 2, 10), [], "the held mark hides it");
    assert.equal(await t.outbox.depth(), 0);
    t.disk.full = false;
    await t.outbox.due(T0 + 3, 10);
    assert.equal(t.outbox.holding, false);
    assert.equal(await t.inner.depth(), 0, "the sent mark reached the storage");
  });

  it("writes alerts still waiting into the storage once it takes writes again", async () => {
    const t = setup();
    t.disk.full = true;
    await t.outbox.enqueue([item("i3:down")], T0);
    const [held] = await t.outbox.due(T0, 10);
    await t.outbox.markFailed(held!.id, "Webhook: unreachable (ECONNREFUSED)", T0 + 60_000);
    t.disk.full = false;
    assert.deepEqual(await t.outbox.due(T0 + 1, 10).then((d) => d.map((i) => i.dedupeKey)), ["i3:down"], "now from the storage");
    assert.equal(t.outbox.holding, false);
    assert.equal(await t.inner.depth(), 1);
  });
});
