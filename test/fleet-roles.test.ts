import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import pg from "pg";
import { openPostgresStore } from "../src/store/postgres/open.ts";
import { requirePostgres, startPostgres } from "../src/store/postgres/server.test-support.ts";
import { isStoreError } from "../src/store/errors.ts";
import { runCli } from "./helpers/cli.ts";
import { alertEvent, event, netviewRecord, nodeState, probe, T0 } from "../src/store/contracts/samples.ts";

/**
 * packaging/fleet/roles.sql, as docs/fleet.md tells to run it (psql, as a superuser), on a real
 * server: the owner role creates the schema; the watchers' role can do everything a watcher does
 * through every port, and nothing more (no table created, none dropped).
 */

const run = promisify(execFile);
const ROLES = new URL("../packaging/fleet/roles.sql", import.meta.url).pathname;

describe("the fleet's PostgreSQL roles (packaging/fleet/roles.sql)", () => {
  it("lets the owner create the schema and the watchers' role read and write rows only", async (t) => {
    if (!requirePostgres(t)) return;
    const server = await startPostgres();
    try {
      await run("psql", [server.url, "-q", "-v", "ON_ERROR_STOP=1", "-v", "owner_password=owner pw", "-v", "watch_password=watch'pw", "-f", ROLES]);
      const at = (user: string) => `postgres://${user}@127.0.0.1:${server.port}/nodeward`;

      // The schema, created by the owner role as docs/fleet.md and compose.yaml do it.
      const init = await runCli(["store", "init", "--url", at("nodeward_owner"), "--password-env", "NW_OWNER_PW"], { env: { NW_OWNER_PW: "owner pw" } });
      assert.equal(init.code, 0, init.stderr);
      assert.match(init.stdout, /ready .*nodeward_owner@127\.0\.0\.1:\d+\/nodeward: the schema is up to date/);
      const refused = await runCli(["store", "init", "--url", at("nodeward_owner"), "--password-env", "NW_OWNER_PW"], { env: { NW_OWNER_PW: "not the owner's" } });
      assert.equal(refused.code, 1);
      assert.doesNotMatch(refused.stderr, /not the owner's|\n\s+at /);
      const inUrl = await runCli(["store", "init", "--url", `postgres://nodeward_owner:owner%20pw@127.0.0.1:${server.port}/nodeward`]);
      assert.notEqual(inUrl.code, 0);
      assert.match(inUrl.stderr, /carries a password/);
      assert.doesNotMatch(inUrl.stderr, /owner%20pw|owner pw/);

      const watch = await openPostgresStore(at("nodeward_watch"), { password: "watch'pw" });
      try {
        const lease = await watch.leases.acquireLease("leader", "fra-1/x", 60_000);
        assert.ok(lease !== null);
        const fenced = await openPostgresStore(at("nodeward_watch"), { password: "watch'pw", fence: () => ({ name: "leader", holder: "fra-1/x", token: lease.token }) });
        try {
          await fenced.probes.appendProbes([probe("a", T0), probe("a", T0 + 60_000, { ok: false, cause: "p2p timeout" })], "fra-1");
          assert.equal((await fenced.latest.latestSince(0, 10)).rows.length, 1);
          await fenced.vantages.beat({ name: "fra-1", region: "", holder: "fra-1/x", startedAt: T0, seenAt: T0, healthy: true, detail: null });
          await fenced.nodeStates.save([nodeState("a")]);
          await fenced.incidents.open({ id: "a@1", nodeId: "a", startedAt: T0, lastGoodAt: T0, cause: "p2p timeout" }, event(T0, "down"));
          assert.equal(await fenced.outbox.enqueue([{ dedupeKey: "a@1:down", channel: "hook", event: alertEvent("a@1") }], T0), 1);
          const [item] = await fenced.outbox.due(T0, 1);
          await fenced.outbox.markSending(item!.id, T0);
          await fenced.outbox.markSent(item!.id, T0 + 1);
          await fenced.fleetSnapshot.saveFleet({ at: T0, nodes: [] });
          await fenced.auth.createUser({ name: "alice", passwordHash: "x", createdAt: T0, totpSecret: null, totpEnrolledAt: null, totpLastStep: null, pendingTotpSecret: null, failedAttempts: 0, lockedUntil: null });
          await fenced.probes.compact(T0 + 3_600_000 * 2, 0);
          await fenced.auth.appendEvent({ at: T0, user: "alice", kind: "user-added", ip: null, detail: "" });
          await fenced.netview.saveNetview([netviewRecord("a"), netviewRecord("b")]);
          await fenced.netview.saveNetview([netviewRecord("a", { condition: "unseen" })]);
          assert.equal(await fenced.netview.pruneNetview(["a"]), 1);
          assert.deepEqual(await fenced.netview.latestNetview(), [netviewRecord("a", { condition: "unseen" })]);
        } finally {
          await fenced.end();
        }
      } catch (e) {
        assert.fail(`the watchers' role could not do its work: ${(e as Error).message}`);
      } finally {
        await watch.end();
      }

      const direct = new URL(at("nodeward_watch"));
      direct.password = "watch'pw";
      const client = new pg.Client({ connectionString: direct.href });
      await client.connect();
      try {
        await assert.rejects(client.query("CREATE TABLE mine (x int)"), /permission denied/);
        await assert.rejects(client.query("DROP TABLE probes"), /must be owner/);
      } finally {
        await client.end();
      }
      await assert.rejects(openPostgresStore(at("nodeward_watch"), { password: "wrong" }), (e: unknown) => isStoreError(e, "unavailable"));
    } finally {
      await server.stop();
    }
  });
});
