import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import type { AlertEvent } from "../../alerts/event.ts";
import { createLogger } from "../../core/logger.ts";
import { Redactor } from "../../core/redact.ts";
import { netviewRecord, T0 } from "../../store/contracts/samples.ts";
import { openMemoryStore } from "../../store/index.ts";
import { Lifecycle } from "../../watch/lifecycle.ts";
import { WatcherHealth } from "../../watch/watcher-health.ts";
import { guardStorage } from "./storage.ts";

/**
 * The network view's rows under the daemon's storage guard. The store is the in-memory one behind
 * a switch that fails its network-view writes the way SQLite does on a full disk (SQLITE_FULL);
 * the whole daemon on a really full disk is test/watch-disk-full.test.ts.
 */
function setup() {
  const inner = openMemoryStore();
  const disk = { full: false };
  const full = () => Object.assign(new Error("database or disk is full"), { code: "SQLITE_FULL" });
  const netview = {
    ...inner.netview,
    saveNetview: async (rs: Parameters<typeof inner.netview.saveNetview>[0]) => (disk.full ? Promise.reject(full()) : inner.netview.saveNetview(rs)),
    pruneNetview: async (keep: readonly string[]) => (disk.full ? Promise.reject(full()) : inner.netview.pruneNetview(keep)),
  };
  const sent: AlertEvent[] = [];
  const log = createLogger({ level: "error", pretty: false, redactor: new Redactor(), out: new Writable({ write: (_c, _e, cb) => cb() }) });
  const health = new WatcherHealth({ clock: { now: () => T0 }, log, alerts: { enqueue: async (es) => (sent.push(...es), es.length) } });
  const storage = guardStorage({ ...inner, netview }, { health, lifecycle: new Lifecycle(new AbortController().signal), log });
  return { storage, disk, health, sent, inner };
}

describe("the storage guard and the network view", () => {
  it("raises the storage fault when the network view cannot be saved, and keeps it until a save succeeds, though probes are written meanwhile", async () => {
    const t = setup();
    t.disk.full = true;
    await assert.rejects(t.storage.stores.netview.saveNetview([netviewRecord("a")]), /disk is full/);
    await new Promise((r) => setImmediate(r));
    assert.ok(t.health.has("storage"));
    assert.deepEqual(t.sent.map((e) => e.kind), ["watcher-fault"]);

    t.disk.full = false;
    await t.storage.stores.probes.appendProbes([{ nodeId: "a", at: T0, ok: true, cause: null, latencyMs: 3, height: 1, protocolVersion: 90034 }]);
    await t.storage.stores.netview.pruneNetview(["a"]);
    await t.storage.retry();
    assert.ok(t.health.has("storage"), "a prune or a probe write does not prove the network view's rows are written");

    await t.storage.stores.netview.saveNetview([netviewRecord("a")]);
    await t.storage.retry();
    assert.equal(t.health.has("storage"), false);
    assert.deepEqual(t.sent.map((e) => e.kind), ["watcher-fault", "watcher-fault-cleared"]);
    assert.equal((await t.inner.netview.latestNetview()).length, 1);
  });

  it("passes a failure that is not the storage's through without raising a fault", async () => {
    const t = setup();
    await assert.rejects(t.storage.stores.netview.saveNetview([netviewRecord("a", { state: "NOPE" as never })]), /state "NOPE"/);
    assert.equal(t.health.has("storage"), false);
  });
});
