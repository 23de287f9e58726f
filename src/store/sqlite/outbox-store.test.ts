import { describe, it } from "node:test";
import assert from "node:assert/strict";
import Database from "better-sqlite3";
import { alertEvent, T0 } from "../contracts/samples.ts";
import { tempDir } from "../temp-dir.test-support.ts";
import { openDatabase } from "./connection.ts";
import { migrate, schemaVersion } from "./migrate.ts";
import { MIGRATIONS } from "./migrations/index.ts";
import { openSqliteStore } from "./open.ts";

/** What only a database can hold: a stored event that no longer passes alertEventSchema. */
const temp = tempDir();
let n = 0;

async function withDamagedRow(damage: string, test: (store: ReturnType<typeof openSqliteStore>, raw: Database.Database) => Promise<void>) {
  const path = temp.file(`outbox-${++n}.db`);
  const store = openSqliteStore(path, { clock: { now: () => T0 + 5 } });
  await store.outbox.enqueue(["a", "b", "c"].map((k) => ({ dedupeKey: `${k}:down`, channel: "mail", event: alertEvent(k) })), T0);
  const raw = new Database(path);
  raw.prepare(`UPDATE outbox SET ${damage} WHERE dedupe_key = 'a:down'`).run();
  try {
    await test(store, raw);
  } finally {
    raw.close();
    store.close();
  }
}

const deadRow = (raw: Database.Database) =>
  raw.prepare("SELECT dead_at, sent_at, last_error FROM outbox WHERE dedupe_key = 'a:down'").get() as { dead_at: number | null; sent_at: number | null; last_error: string };

describe("SQLite outbox with a damaged row", () => {
  it("gives up an event that fails validation instead of sending it or stopping", async () => {
    await withDamagedRow(`event = '{"kind":"down","at":1}'`, async (store, raw) => {
      assert.deepEqual((await store.outbox.due(T0, 10)).map((i) => i.dedupeKey), ["b:down", "c:down"]);
      const row = deadRow(raw);
      assert.equal(row.dead_at, T0);
      assert.equal(row.sent_at, null);
      assert.match(row.last_error, /outbox item 1 is unreadable and was given up: stored alert event failed validation: node: .*incidentId/);
      assert.equal(await store.outbox.depth(), 2);
    });
  });

  it("still fills the limit with the readable items behind it", async () => {
    await withDamagedRow(`event = '[]'`, async (store) => {
      assert.deepEqual((await store.outbox.due(T0, 2)).map((i) => i.dedupeKey), ["b:down", "c:down"]);
    });
  });

  it("gives up a row whose kind column disagrees with its event", async () => {
    await withDamagedRow(`kind = 'recovered'`, async (store, raw) => {
      assert.equal((await store.outbox.due(T0, 10)).length, 2);
      assert.match(deadRow(raw).last_error, /stored kind recovered differs from the event's down/);
    });
  });

  it("leaves an unreadable row out of list and gives it up at the clock's time", async () => {
    await withDamagedRow(`event = '{"kind":"test"}'`, async (store, raw) => {
      assert.deepEqual((await store.outbox.list({ limit: 10 })).map((i) => i.dedupeKey), ["c:down", "b:down"]);
      assert.equal(deadRow(raw).dead_at, T0 + 5);
    });
  });
});

describe("SQLite outbox attempts across connections and versions", () => {
  it("keeps an attempt recorded by a connection that never closed, for the next one to find in doubt", async () => {
    const path = temp.file(`attempts-${++n}.db`);
    const first = openSqliteStore(path, { clock: { now: () => T0 } });
    await first.outbox.enqueue([{ dedupeKey: "a:down", channel: "hook", event: alertEvent("a") }], T0);
    const id = (await first.outbox.due(T0, 1))[0]!.id;
    await first.outbox.markSending(id, T0 + 1);
    // No close(): a process killed during the send never gets to it. A second connection sees what was committed.
    const second = openSqliteStore(path, { clock: { now: () => T0 } });
    try {
      const cut = await second.outbox.markInterrupted(T0 + 2);
      assert.deepEqual(cut.map((i) => [i.id, i.inDoubt, i.sendingAt]), [[id, true, null]]);
      assert.equal((await second.outbox.due(T0 + 2, 1))[0]?.inDoubt, true);
    } finally {
      second.close();
      first.close();
    }
  });

  it("upgrades a version 2 database: its queued alerts stay due, with no open attempt and not in doubt", async () => {
    const path = temp.file(`v2-${++n}.db`);
    const old = openDatabase(path);
    migrate(old, MIGRATIONS.slice(0, 2), path);
    old.prepare("INSERT INTO outbox (dedupe_key, channel, kind, event, created_at, next_attempt_at, attempts, last_error) VALUES (?, ?, ?, ?, ?, ?, 1, 'HTTP 502')")
      .run("a:down", "hook", "down", JSON.stringify(alertEvent("a")), T0, T0 + 1000);
    old.close();
    const store = openSqliteStore(path, { clock: { now: () => T0 } });
    try {
      const raw = new Database(path, { readonly: true });
      assert.equal(schemaVersion(raw), MIGRATIONS.length);
      raw.close();
      const [due] = await store.outbox.due(T0 + 1000, 10);
      assert.deepEqual(due && { key: due.dedupeKey, attempts: due.attempts, lastError: due.lastError, sendingAt: due.sendingAt, inDoubt: due.inDoubt }, {
        key: "a:down",
        attempts: 1,
        lastError: "HTTP 502",
        sendingAt: null,
        inDoubt: false,
      });
      await store.outbox.markSending(due!.id, T0 + 1000);
      await store.outbox.markSent(due!.id, T0 + 1001);
      assert.equal(await store.outbox.depth(), 0);
    } finally {
      store.close();
    }
  });
});
