import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { once } from "node:events";
import pg from "pg";
import { requirePostgres } from "../src/store/postgres/server.test-support.ts";
import { fleetWorld, type FleetWorld, type Watcher } from "./helpers/fleet-world.ts";
import { until } from "./helpers/watch-world.ts";

/**
 * Three real watchers on one real PostgreSQL: exactly one leads and alerts; a leader killed with
 * kill -9 is replaced within 2 probe intervals and the alert it owed is sent once, by the new
 * leader; a stopped leader (SIGSTOP) that wakes after its lease lapsed sends nothing; the
 * database going away for 30 s crashes nobody, duplicates nothing, and the results probed
 * meanwhile are written when it is back.
 */

const INTERVAL_S = 4;
const WATCH = `intervalSeconds: ${INTERVAL_S}, confirmIntervalSeconds: 1, failuresToDown: 2, successesToUp: 1, probeTimeoutSeconds: 1`;

const kinds = (f: FleetWorld, kind: string) => f.world.alerts().filter((a) => a.kind === kind);

async function threeWatchers(f: FleetWorld): Promise<{ watchers: Watcher[]; leader: Watcher }> {
  const watchers = [await f.start("fra-1"), await f.start("sgp-1"), await f.start("nyc-1")];
  let leader: Watcher | null = null;
  await until("all three watchers probing and one of them leading", async () => {
    const hs = await Promise.all(watchers.map((w) => w.health()));
    const leaders = hs.filter((h) => h?.fleet?.leader === true).length;
    leader = await f.leader(watchers);
    return hs.every((h) => h !== null && h.nodes === 1 && h.probes >= 2) && leaders === 1 && leader !== null;
  }, 40_000).catch(async (e: unknown) => assert.fail(`${(e as Error).message}: ${JSON.stringify(await Promise.all(watchers.map((w) => w.health())))}\n${dump(watchers)}`));
  return { watchers, leader: leader! };
}

async function leadersAmong(f: FleetWorld, watchers: readonly Watcher[]): Promise<string[]> {
  const hs = await Promise.all(watchers.map(async (w) => ({ w, h: await w.health() })));
  return hs.filter((x) => x.h?.fleet?.leader === true).map((x) => x.w.name);
}

const dump = (watchers: readonly Watcher[]) => watchers.map((w) => `--- ${w.name}\n${w.stderr().slice(-3000)}`).join("\n");

describe("several watchers on one PostgreSQL", () => {
  it("one leads: a node down is alerted once and its recovery once, whoever probes it", async (t) => {
    if (!requirePostgres(t)) return;
    const f = await fleetWorld(101, { watch: WATCH });
    let watchers: Watcher[] = [];
    try {
      ({ watchers } = await threeWatchers(f));
      const leader = (await f.leader(watchers))!;
      await until("the leader to see all three vantages' results", async () => {
        const text = await (await fetch(`http://127.0.0.1:${leader.port}/metrics`)).text();
        const seen = [...text.matchAll(/^nodeward_vantage_node_up\{[^}]*vantage="([^"]+)"\} 1$/gm)].map((m) => m[1]).sort();
        return seen.join(",") === "fra-1,nyc-1,sgp-1";
      }, 20_000);
      const node = f.world.instances[0]!.id;
      await f.world.down(node);
      await until("the down alert", () => kinds(f, "down").length > 0, 30_000);
      await new Promise((r) => setTimeout(r, 2 * INTERVAL_S * 1000));
      assert.equal(kinds(f, "down").length, 1, dump(watchers));
      await f.world.up(node);
      await until("the recovered alert", () => kinds(f, "recovered").length > 0, 30_000);
      await new Promise((r) => setTimeout(r, INTERVAL_S * 1000));
      assert.equal(kinds(f, "recovered").length, 1);
      assert.equal(kinds(f, "down").length, 1);
      assert.deepEqual(await leadersAmong(f, watchers), [(await f.leader(watchers))!.name], "still exactly one leader");
    } finally {
      await f.close();
    }
  });

  it("a leader killed with kill -9 is replaced within 2 intervals, and the down alert it owed is sent once", async (t) => {
    if (!requirePostgres(t)) return;
    const f = await fleetWorld(102, { watch: WATCH });
    try {
      const { watchers, leader } = await threeWatchers(f);
      const node = f.world.instances[0]!.id;
      await f.world.down(node);
      const killedAt = Date.now();
      leader.child.kill("SIGKILL");
      await once(leader.child, "exit");
      const sentBeforeKill = kinds(f, "down").length;
      const rest = watchers.filter((w) => w !== leader);
      let tookOverAt = 0;
      await until("another watcher to lead", async () => {
        const now = await leadersAmong(f, rest);
        if (now.length === 1) tookOverAt = Date.now();
        return now.length === 1;
      }, 30_000);
      const takeoverMs = tookOverAt - killedAt;
      assert.ok(takeoverMs < 2 * INTERVAL_S * 1000, `took over after ${takeoverMs} ms, more than 2 intervals\n${dump(rest)}`);
      await until("the down alert", () => kinds(f, "down").length > 0, 30_000);
      await new Promise((r) => setTimeout(r, 2 * INTERVAL_S * 1000));
      assert.equal(kinds(f, "down").length, 1, `exactly one down alert (before the kill: ${sentBeforeKill})\n${dump(rest)}`);
      const lost = f.world.alerts().filter((a) => a.kind === "vantage-lost");
      await until("the killed watcher reported lost", () => f.world.alerts().some((a) => a.kind === "vantage-lost"), 4 * INTERVAL_S * 1000);
      assert.ok(lost.length <= 1);
      await new Promise((r) => setTimeout(r, INTERVAL_S * 1000));
      assert.equal(f.world.alerts().filter((a) => a.kind === "vantage-lost").length, 1, "the lost watcher is alerted once");
    } finally {
      await f.close();
    }
  });

  it("a leader stopped past its lease (SIGSTOP, then SIGCONT) sends nothing once it wakes", async (t) => {
    if (!requirePostgres(t)) return;
    const f = await fleetWorld(103, { watch: WATCH });
    try {
      const { watchers, leader } = await threeWatchers(f);
      leader.child.kill("SIGSTOP");
      const rest = watchers.filter((w) => w !== leader);
      await until("another watcher to lead", async () => (await leadersAmong(f, rest)).length === 1, 30_000);
      const node = f.world.instances[0]!.id;
      await f.world.down(node);
      await until("the down alert", () => kinds(f, "down").length > 0, 30_000);
      const before = f.world.receiver.requests.length;
      leader.child.kill("SIGCONT");
      await until("the old leader to see it no longer leads", () => /no longer leads/.test(leader.stderr()), 15_000);
      await f.world.up(node);
      await until("the recovered alert", () => kinds(f, "recovered").length > 0, 30_000);
      await new Promise((r) => setTimeout(r, 2 * INTERVAL_S * 1000));
      assert.equal(kinds(f, "down").length, 1, dump(watchers));
      assert.equal(kinds(f, "recovered").length, 1, dump(watchers));
      assert.ok(f.world.receiver.requests.length >= before);
      assert.equal((await leadersAmong(f, watchers)).length, 1, "one leader after the old one woke");
    } finally {
      await f.close();
    }
  });

  it("the database away for 30 s: nobody crashes, nothing is sent twice, and what was probed meanwhile is written after", async (t) => {
    if (!requirePostgres(t)) return;
    const f = await fleetWorld(104, { watch: WATCH });
    try {
      const { watchers } = await threeWatchers(f);
      await f.pg.down();
      const outFrom = Date.now();
      // A watcher that starts while the database is away waits for it, alive, instead of crash-looping.
      const late = await f.start("late-1");
      await new Promise((r) => setTimeout(r, 30_000));
      const outTo = Date.now();
      assert.equal(late.child.exitCode, null, late.stderr().slice(-2000));
      assert.match(late.stderr(), /the shared store is unreachable: trying again in 5 s/);
      for (const w of watchers) assert.equal(w.child.exitCode, null, `${w.name} is still running\n${w.stderr().slice(-2000)}`);
      for (const w of watchers) assert.match(w.stderr(), /unavailable|cannot write|unreachable|could not (renew|acquire)/i, `${w.name} said the database is out`);
      await f.pg.up();
      // Any of the four may lead: the one that started while the database was away too.
      await until("one leader again", async () => (await leadersAmong(f, [...watchers, late])).length === 1, 30_000).catch(async (e: unknown) =>
        assert.fail(`${(e as Error).message}: ${JSON.stringify(await Promise.all(watchers.map((w) => w.health())))}\n${dump([...watchers, late])}`),
      );
      let seen = "";
      const client = new pg.Client({ connectionString: f.url });
      await client.connect();
      try {
        await until("every vantage's results from the outage written", async () => {
          const { rows } = await client.query<{ name: string; n: string }>(
            "SELECT v.name, count(*) AS n FROM probes p JOIN vantage_keys v ON v.key = p.vantage_key WHERE p.at BETWEEN $1 AND $2 GROUP BY v.name",
            [outFrom + 2_000, outTo - 2_000],
          );
          seen = JSON.stringify(rows);
          return rows.length === 3 && rows.every((r) => Number(r.n) >= 3);
        }, 30_000).catch((e: unknown) => assert.fail(`${(e as Error).message}: ${seen}\n${dump(watchers)}`));
      } finally {
        await client.end();
      }
      assert.deepEqual(kinds(f, "down"), [], "the node never went down: no alert about it");
      await until("late-1 to join the fleet", async () => (await late.health())?.fleet?.vantage === "late-1", 30_000);
      // Each watcher that saw no leader said so itself, once, and that it cleared.
      const fault = (kind: string) => f.world.alerts().filter((a) => a.kind === kind && a.fault === "no-leader");
      assert.equal(fault("watcher-fault").length, 3, JSON.stringify(f.world.alerts()));
      await until("the no-leader faults cleared", () => fault("watcher-fault-cleared").length === 3, 20_000);
      const keys = f.world.receiver.requests.map((r) => r.body);
      assert.equal(new Set(keys).size, keys.length, "no alert delivered twice");
    } finally {
      await f.close();
    }
  });
});
