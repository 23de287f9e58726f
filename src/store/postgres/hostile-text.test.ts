import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { rejectsWith } from "../contracts/harness.ts";
import { alertEvent, event, nodeState, probe, T0 } from "../contracts/samples.ts";
import { openPostgresStore, type PostgresStore } from "./open.ts";
import { postgresSuites } from "./server.test-support.ts";

/**
 * Text from outside (node names from a provider's API, causes, details, vantage and holder names)
 * goes to PostgreSQL as parameters and array elements only: quotes, backslashes, braces and
 * commas (array syntax), CR/LF, other scripts and 10 KB strings come back unchanged. A NUL
 * character, which PostgreSQL text cannot hold, is refused as "invalid-argument".
 */
const HOSTILE = [
  `it's "quoted" \\ back\\slash {brace,comma} NULL`,
  "line one\r\nline two\n\rthree",
  "узел-1 節点 ✓ مرحبا 🚀",
  "'); DROP TABLE probes; --",
  "x".repeat(10_000),
];

postgresSuites("PostgreSQL hostile text", (server) => {
  const withStore = async (fn: (s: PostgresStore) => Promise<void>) => {
    const s = await openPostgresStore(await (await server()).newDatabase());
    try {
      await fn(s);
    } finally {
      await s.end();
    }
  };

  describe("PostgreSQL store with hostile text", () => {
    it("gives back probes and their newest results with hostile node ids, causes and vantage names", () =>
      withStore(async (s) => {
        const batch = HOSTILE.map((text, i) => probe(text, T0 + i, { ok: false, cause: text }));
        await s.probes.appendProbes(batch, HOSTILE[2]);
        for (const p of batch) assert.deepEqual(await s.probes.recentProbes(p.nodeId, 10), [p]);
        const latest = (await s.latest.latestSince(0, 100)).rows;
        assert.deepEqual(latest.map((r) => [r.nodeId, r.cause, r.vantage]).sort(), batch.map((p) => [p.nodeId, p.cause, HOSTILE[2]]).sort());
      }));

    it("gives back node states, incidents, outbox items and the fleet snapshot with hostile text", () =>
      withStore(async (s) => {
        const states = HOSTILE.map((text) => nodeState(text, { degraded: text, incident: { id: `inc ${text}`, startedAt: T0, cause: text, escalated: [20] } }));
        await s.nodeStates.save(states);
        assert.deepEqual(new Set(await s.nodeStates.loadAll()), new Set(states));
        for (const text of HOSTILE) {
          await s.incidents.open({ id: text, nodeId: text, startedAt: T0, lastGoodAt: null, cause: text }, event(T0, "down", text));
          assert.deepEqual((await s.incidents.get(text))?.timeline, [event(T0, "down", text)]);
        }
        const items = HOSTILE.map((text) => ({ dedupeKey: text, channel: text, event: { ...alertEvent(text), cause: `${text}\u0000after a NUL` } }));
        await s.outbox.enqueue(items, T0);
        for (const item of items) {
          const [back] = await s.outbox.list({ dedupeKeyPrefix: item.dedupeKey, limit: 1 });
          assert.deepEqual([back?.dedupeKey, back?.channel, back?.event], [item.dedupeKey, item.channel, item.event]);
        }
        const fleet = { at: T0, nodes: HOSTILE.map((text, i) => ({ nodeId: text, name: text, address: `192.0.2.${i + 1}`, p2pPort: 9678 })) };
        await s.fleetSnapshot.saveFleet(fleet);
        assert.deepEqual(await s.fleetSnapshot.lastFleet(), fleet);
      }));

    it("gives back vantages, leases and auth events with hostile text", () =>
      withStore(async (s) => {
        for (const text of HOSTILE) {
          await s.vantages.beat({ name: text, region: text, holder: text, startedAt: T0, seenAt: T0, healthy: false, detail: text });
          assert.deepEqual(await s.leases.acquireLease(text, text, 60_000).then((l) => [l?.name, l?.holder]), [text, text]);
          await s.auth.appendEvent({ at: T0, user: text, kind: "password-failed", ip: text, detail: text });
        }
        assert.deepEqual((await s.vantages.vantages()).map((v) => [v.name, v.region, v.detail]).sort(), HOSTILE.map((t) => [t, t, t]).sort());
        for (const text of HOSTILE) assert.deepEqual(await s.auth.events({ user: text, limit: 5 }), [{ at: T0, user: text, kind: "password-failed", ip: text, detail: text }]);
      }));

    it("refuses text with a NUL character, which PostgreSQL cannot keep, and stores nothing of the batch", () =>
      withStore(async (s) => {
        await rejectsWith(s.probes.appendProbes([probe("a", T0), probe("b", T0, { ok: false, cause: "bad\u0000cause" })]), "invalid-argument");
        assert.deepEqual(await s.probes.recentProbes("a", 10), []);
        await rejectsWith(s.nodeStates.save([nodeState("n\u0000ul")]), "invalid-argument");
        assert.deepEqual(await s.nodeStates.loadAll(), []);
      }));
  });
});
