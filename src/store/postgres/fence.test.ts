import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, it } from "node:test";
import type { Fence } from "../../fleet/ports.ts";
import { alertEvent, T0 } from "../contracts/samples.ts";
import { rejectsWith } from "../contracts/harness.ts";
import { openPostgresStore, type PostgresStore } from "./open.ts";
import { postgresSuites } from "./server.test-support.ts";

/**
 * Fencing on a real server: two watchers ("a" and "b") share one database, each through its own
 * store (its own pool) with its own fence. A stale leader, whose lease lapsed or was taken over,
 * can neither queue an alert nor start sending one, and changes nothing.
 */
postgresSuites("PostgreSQL fenced outbox", (server) => {
  const item = (key: string) => ({ dedupeKey: key, channel: "mail", event: alertEvent(key.split(":")[0] ?? "i") });

  /** Two watchers on one fresh database; each store's fence is whatever its `fence` variable holds. */
  const twoWatchers = async (fn: (w: { a: PostgresStore; b: PostgresStore; fenceA: (f: Fence | null) => void; fenceB: (f: Fence | null) => void }) => Promise<void>) => {
    const url = await (await server()).newDatabase();
    let fa: Fence | null = null;
    let fb: Fence | null = null;
    const a = await openPostgresStore(url, { fence: () => fa });
    const b = await openPostgresStore(url, { fence: () => fb });
    try {
      await fn({ a, b, fenceA: (f) => (fa = f), fenceB: (f) => (fb = f) });
    } finally {
      await Promise.all([a.end(), b.end()]);
    }
  };
  const fenceOf = (lease: { name: string; holder: string; token: number } | null): Fence => {
    assert.ok(lease !== null, "the lease was granted");
    return { name: lease.name, holder: lease.holder, token: lease.token };
  };

  describe("PostgreSQL outbox fencing", () => {
    it("lets the holder of the lease enqueue and start sending", () =>
      twoWatchers(async ({ a, fenceA }) => {
        fenceA(fenceOf(await a.leases.acquireLease("leader", "a", 60_000)));
        assert.equal(await a.outbox.enqueue([item("i1:down")], T0), 1);
        const [due] = await a.outbox.due(T0, 1);
        await a.outbox.markSending(due?.id ?? -1, T0 + 1);
        assert.equal((await a.outbox.due(T0, 1))[0]?.sendingAt, T0 + 1);
      }));

    it("refuses a stale leader whose lease was taken over: it can neither enqueue nor mark sending, and nothing changes", () =>
      twoWatchers(async ({ a, b, fenceA, fenceB }) => {
        fenceA(fenceOf(await a.leases.acquireLease("leader", "a", 60_000)));
        await a.outbox.enqueue([item("i1:down")], T0);
        const id = (await a.outbox.due(T0, 1))[0]?.id ?? -1;
        await a.leases.releaseLease("leader", "a"); // as if a's lease lapsed while it was stopped
        fenceB(fenceOf(await b.leases.acquireLease("leader", "b", 60_000)));

        await rejectsWith(a.outbox.enqueue([item("i2:down")], T0 + 1), "fenced");
        await rejectsWith(a.outbox.markSending(id, T0 + 2), "fenced");
        assert.equal(await a.outbox.depth(), 1, "i2 was not queued");
        assert.equal((await a.outbox.due(T0, 1))[0]?.sendingAt, null, "no attempt was recorded");

        assert.equal(await b.outbox.enqueue([item("i2:down")], T0 + 3), 1, "the new leader can");
        await b.outbox.markSending(id, T0 + 4);
        await rejectsWith(a.outbox.markInterrupted(T0 + 5), "fenced");
        assert.equal((await b.outbox.due(T0, 1))[0]?.sendingAt, T0 + 4, "the new leader's send in flight is not marked cut off by the stale one");
        assert.equal((await b.outbox.due(T0 + 4, 10)).find((i) => i.id === id)?.sendingAt, T0 + 4);
      }));

    it("refuses a leader whose lease lapsed by the database's clock, even when nobody took it over", () =>
      twoWatchers(async ({ a, fenceA }) => {
        fenceA(fenceOf(await a.leases.acquireLease("leader", "a", 1)));
        await sleep(20);
        await rejectsWith(a.outbox.enqueue([item("i1:down")], T0), "fenced");
        assert.equal(await a.outbox.depth(), 0);
      }));

    it("refuses an old token of the same holder name after the lease changed hands and came back", () =>
      twoWatchers(async ({ a, b, fenceA }) => {
        const old = fenceOf(await a.leases.acquireLease("leader", "a", 60_000));
        await a.leases.releaseLease("leader", "a");
        await b.leases.acquireLease("leader", "b", 60_000);
        await b.leases.releaseLease("leader", "b");
        await a.leases.acquireLease("leader", "a", 60_000);
        fenceA(old);
        await rejectsWith(a.outbox.enqueue([item("i1:down")], T0), "fenced");
      }));

    it("refuses a fence for a lease never taken, and says why", () =>
      twoWatchers(async ({ a, fenceA }) => {
        fenceA({ name: "leader", holder: "a", token: 1 });
        await assert.rejects(a.outbox.enqueue([item("i1:down")], T0), /outbox\.enqueue refused: "a" presented token 1 of the lease "leader", but the lease was never taken/);
      }));

    it("does not fence a store without a fence, nor the transitions that close an attempt", () =>
      twoWatchers(async ({ a, b, fenceA, fenceB }) => {
        fenceA(fenceOf(await a.leases.acquireLease("leader", "a", 60_000)));
        await a.outbox.enqueue([item("i1:down"), item("i2:down")], T0);
        const [x, y] = await a.outbox.due(T0, 2);
        await a.outbox.markSending(x?.id ?? -1, T0);
        await a.leases.releaseLease("leader", "a");
        fenceB(fenceOf(await b.leases.acquireLease("leader", "b", 60_000)));
        // The send a started under its lease happened; its outcome is recorded.
        await a.outbox.markSent(x?.id ?? -1, T0 + 1);
        await a.outbox.markFailed(y?.id ?? -1, "HTTP 502", T0 + 2);
        fenceA(null);
        assert.equal(await a.outbox.enqueue([item("i3:down")], T0 + 3), 1);
      }));
  });
});
