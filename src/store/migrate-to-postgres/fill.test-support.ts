import type { AuthStore, UserRecord } from "../../auth/ports.ts";
import type { FleetStores } from "../../fleet/ports.ts";
import { alertEvent, event, HOSTILE_NAMES, HOUR, MINUTE, netviewRecord, nodeState, probe, T0 } from "../contracts/samples.ts";
import type { Stores } from "../stores.ts";

/**
 * A watch database with every kind of row, filled through the store's own ports (for the copy's
 * tests), and everything a store gives back about it, read through the ports (to compare the
 * SQLite original with the PostgreSQL copy).
 */

export type AllStores = Stores & FleetStores & { auth: AuthStore };

/** Plain node ids and hostile ones (quotes, CR/LF, other scripts, 10 KB). */
export const NODES: readonly string[] = ["vultr-1f0c", "vultr-2a9d", ...HOSTILE_NAMES];
export const USERS: readonly string[] = ["alice", "bob.o-brien_2"];
/** The hours of probes: compaction rolls the first ones up, the last stay raw. */
export const PROBE_HOURS = 4;
const ROLLED_UP_HOURS = 2;

export async function fillStore(s: AllStores, opts: { probesPerHour?: number } = {}): Promise<void> {
  const perHour = opts.probesPerHour ?? 12;
  const step = HOUR / perHour;
  for (const [n, nodeId] of NODES.entries()) {
    const batch = Array.from({ length: PROBE_HOURS * perHour }, (_, i) =>
      probe(nodeId, T0 + i * step + n, i % 7 === 3 ? { ok: false, cause: `${NODES[(n + 1) % NODES.length]} refused` } : { latencyMs: 20 + i }),
    );
    await s.probes.appendProbes(batch);
  }
  // Rollups for the first hours; the rest stays raw.
  await s.probes.compact(T0 + ROLLED_UP_HOURS * HOUR, 0);

  for (const [n, nodeId] of NODES.slice(0, 5).entries()) {
    const id = `inc "${n}" ${nodeId.slice(0, 40)}`;
    await s.incidents.open({ id, nodeId, startedAt: T0 + n * MINUTE, lastGoodAt: T0 - MINUTE, cause: HOSTILE_NAMES[n % HOSTILE_NAMES.length]! }, event(T0 + n * MINUTE, "down", nodeId));
    // Several events at the same moment: their order must survive.
    for (const kind of ["alert-sent", "alert-failed", "remediation"] as const) await s.incidents.append(id, event(T0 + (n + 1) * MINUTE, kind, `${kind}: ${HOSTILE_NAMES[(n + 2) % HOSTILE_NAMES.length]!}`));
    if (n % 2 === 0) await s.incidents.close(id, T0 + HOUR, event(T0 + HOUR, "recovered", "back\r\nup"));
  }
  await s.nodeStates.save(NODES.map((nodeId, n) => (n % 2 === 0 ? nodeState(nodeId, { degraded: HOSTILE_NAMES[n % HOSTILE_NAMES.length]! }) : nodeState(nodeId, { health: "up", incident: null, failingSince: null }))));

  await fillOutbox(s);
  await s.fleetSnapshot.saveFleet({ at: T0, nodes: NODES.map((nodeId, i) => ({ nodeId, name: `${nodeId} name`, address: `192.0.2.${i + 1}`, p2pPort: 9678, instanceId: `i-${i}`, sapiPort: 8080, sapiPath: "/api/v1/status" })) });
  await fillAuth(s.auth);
  await s.vantages.beat({ name: "local", region: "Frankfurt, O'Brien's rack", holder: "local/4f0c", startedAt: T0, seenAt: T0 + HOUR, healthy: false, detail: "self-check: \r\n東京 unreachable" });
  await s.leases.acquireLease("leader", "local/4f0c", 60_000);
  await s.netview.saveNetview(
    NODES.map((nodeId, n) =>
      n % 3 === 0
        ? netviewRecord(nodeId, { state: "UNKNOWN", lastPingAt: null, minutesToExpired: null, condition: "unknown", detail: HOSTILE_NAMES[n % HOSTILE_NAMES.length]! })
        : netviewRecord(nodeId, { outpoint: `${"ab".repeat(32)}-${n}`, state: n % 3 === 1 ? "ENABLED" : "EXPIRED", condition: n % 3 === 1 ? "ok" : "expired" }),
    ),
  );
}

/** One outbox item in every state: pending, failed and retrying, sent, dead, in doubt, and with an attempt open. */
async function fillOutbox(s: AllStores): Promise<void> {
  const items = ["pending", "failed", "sent", "dead", "in-doubt", "sending"].flatMap((state) =>
    HOSTILE_NAMES.slice(0, 3).map((text) => ({ dedupeKey: `${state} ${text}`, channel: `ops "${state}"`, event: { ...alertEvent(`${state}-${text}`), cause: `${text}\u0000after a NUL` } })),
  );
  await s.outbox.enqueue(items, T0);
  const listed = await s.outbox.list({ limit: 1000 });
  const id = (key: string) => listed.filter((i) => i.dedupeKey.startsWith(key)).map((i) => i.id);
  for (const i of id("failed ")) {
    await s.outbox.markSending(i, T0 + 1_000);
    await s.outbox.markFailed(i, "HTTP 502 from\r\nthe webhook", T0 + 60_000);
  }
  for (const i of id("sent ")) {
    await s.outbox.markSending(i, T0 + 2_000);
    await s.outbox.markSent(i, T0 + 2_500);
  }
  for (const i of id("dead ")) await s.outbox.markDead(i, T0 + 3_000, "too old");
  for (const i of id("in-doubt ")) await s.outbox.markSending(i, T0 + 4_000);
  await s.outbox.markInterrupted(T0 + 5_000);
  for (const i of id("sending ")) await s.outbox.markSending(i, T0 + 6_000);
}

async function fillAuth(auth: AuthStore): Promise<void> {
  for (const [n, name] of USERS.entries()) {
    const user: UserRecord = {
      name,
      passwordHash: `scrypt$32768$8$1$c2FsdA$${n}`,
      createdAt: T0,
      totpSecret: n === 0 ? "sealed:v1:abc" : null,
      totpEnrolledAt: n === 0 ? T0 + MINUTE : null,
      totpLastStep: null,
      pendingTotpSecret: n === 1 ? "sealed:v1:pending" : null,
      failedAttempts: n,
      lockedUntil: n === 1 ? T0 + HOUR : null,
    };
    await auth.createUser(user);
    if (n === 0) await auth.acceptTotpStep(name, 59_000_000);
    await auth.replaceBackupCodes(name, Array.from({ length: 10 }, (_, i) => `${"ab".repeat(31)}${n}${i}`), T0);
    const [first] = await auth.backupCodes(name);
    await auth.useBackupCode(name, first!.id, T0 + MINUTE);
    await auth.createSession({ idHash: String(n).repeat(64), user: name, stage: n === 0 ? "full" : "enroll", csrfToken: HOSTILE_NAMES[n]!, createdAt: T0, lastSeenAt: T0 + MINUTE });
    for (const [i, text] of HOSTILE_NAMES.entries()) {
      await auth.appendEvent({ at: T0 + (i % 3) * MINUTE, user: name, kind: i % 2 === 0 ? "password-failed" : "password-ok", ip: i === 0 ? null : text, detail: text });
    }
  }
  // Events of a user that no longer exists (or never did) are kept too.
  await auth.appendEvent({ at: T0, user: HOSTILE_NAMES[1]!, kind: "password-failed", ip: "192.0.2.9", detail: "unknown user" });
}

/** Everything the ports give back about the filled data; ids and feed numbers left out (each database hands out its own). */
export async function readBack(s: AllStores): Promise<unknown> {
  const since = T0 - HOUR;
  const until = T0 + (PROBE_HOURS + 1) * HOUR;
  const probes = [];
  for (const nodeId of NODES) {
    probes.push({
      recent: await s.probes.recentProbes(nodeId, 10_000),
      latestTimes: await s.probes.latestTimes(nodeId),
      uptime: await s.probes.uptime(nodeId, since, until),
      series: await s.probes.series(nodeId, since, until, HOUR),
    });
  }
  const users = [];
  for (const name of USERS) {
    users.push({
      user: await s.auth.getUser(name),
      codes: (await s.auth.backupCodes(name)).map((c) => ({ hash: c.hash, usedAt: c.usedAt })),
      events: await s.auth.events({ user: name, limit: 1_000 }),
    });
  }
  return {
    probes,
    incidents: await s.incidents.list({ limit: 1_000 }),
    open: await s.incidents.openIncidents(),
    states: (await s.nodeStates.loadAll()).sort((a, b) => (a.nodeId < b.nodeId ? -1 : 1)),
    outbox: (await s.outbox.list({ limit: 1_000 })).map(({ id: _id, ...rest }) => rest),
    depth: await s.outbox.depth(),
    fleet: await s.fleetSnapshot.lastFleet(),
    users,
    allUsers: await s.auth.listUsers(),
    sessions: await Promise.all(["0", "1"].map((d) => s.auth.getSession(d.repeat(64)))),
    events: await s.auth.events({ limit: 1_000 }),
    vantages: await s.vantages.vantages(),
    lease: await s.leases.currentLease("leader"),
    netview: await s.netview.latestNetview(),
  };
}
