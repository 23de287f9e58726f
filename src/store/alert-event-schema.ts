import { z } from "zod";
import { NETWORK_ALERT_KINDS, WATCHER_FAULTS, type AlertEvent } from "../alerts/event.ts";
import { NETWORK_STATES } from "../netview/model.ts";

/**
 * The alert event as it is stored in the outbox's `event` column (JSON). Checked on write, so
 * nothing unrepresentable is stored, and on read, so a row damaged or written by another version
 * is caught (the outbox marks it dead) instead of reaching a channel. Unknown keys are dropped.
 * The type check at the bottom fails to compile when alerts/event.ts and this schema drift apart.
 */

const time = z.number().int().nonnegative();
const nullableTime = time.nullable();

const nodeRefSchema = z.object({ id: z.string(), name: z.string(), address: z.string() });

const rewardClockSchema = z.object({ lastGoodAt: nullableTime, expiresAt: nullableTime, newStartAt: nullableTime });

const network = {
  at: time,
  node: nodeRefSchema,
  alias: z.string(),
  outpoint: z.string(),
  state: z.enum([...NETWORK_STATES, "UNLISTED", "UNKNOWN"]),
  lastPingAt: nullableTime,
  minutesToExpired: z.number().int().nonnegative().nullable(),
  since: time,
  detail: z.string(),
};

const incident = { at: time, node: nodeRefSchema, incidentId: z.string().min(1) };

export const alertEventSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("down"), ...incident, since: time, cause: z.string(), clock: rewardClockSchema }),
  z.object({
    kind: z.literal("escalation"),
    ...incident,
    since: time,
    minutesDown: z.number().int().nonnegative(),
    cause: z.string(),
    clock: rewardClockSchema,
  }),
  z.object({ kind: z.literal("recovered"), ...incident, since: time, downForMs: z.number().nonnegative() }),
  z.object({
    kind: z.literal("remediation"),
    ...incident,
    action: z.enum(["reboot", "start"]),
    outcome: z.enum(["requested", "failed"]),
    detail: z.string(),
    clock: rewardClockSchema,
  }),
  z.object({ kind: z.literal("firewall-blocks"), ...incident, detail: z.string(), clock: rewardClockSchema }),
  z.object({ kind: z.literal("degraded"), at: time, node: nodeRefSchema, reason: z.string() }),
  z.object({ kind: z.literal("watcher-offline"), at: time, detail: z.string() }),
  z.object({ kind: z.literal("watcher-online"), at: time, offlineForMs: z.number().nonnegative() }),
  z.object({ kind: z.literal("watcher-fault"), at: time, fault: z.enum(WATCHER_FAULTS), detail: z.string() }),
  z.object({ kind: z.literal("watcher-fault-cleared"), at: time, fault: z.enum(WATCHER_FAULTS), since: time, detail: z.string() }),
  z.object({ kind: z.literal("vantage-lost"), at: time, vantage: z.string(), region: z.string(), lastSeenAt: time, detail: z.string() }),
  z.object({ kind: z.literal("vantage-back"), at: time, vantage: z.string(), region: z.string(), lastSeenAt: time, lostForMs: z.number().nonnegative() }),
  z.object({ kind: z.literal("network-expired"), ...network }),
  z.object({ kind: z.literal("network-new-start-required"), ...network }),
  z.object({ kind: z.literal("unseen-by-network"), ...network }),
  z.object({ kind: z.literal("network-ok"), ...network, cleared: z.enum(NETWORK_ALERT_KINDS) }),
  z.object({ kind: z.literal("test"), at: time, channel: z.string() }),
  z.object({ kind: z.literal("backup-code-used"), at: time, user: z.string(), remaining: z.number().int().nonnegative(), ip: z.string().nullable() }),
]);

/** Parses stored JSON text into an event, or says in one line why it is not one. */
export function parseStoredAlertEvent(text: string): { ok: true; event: AlertEvent } | { ok: false; error: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `stored alert event is not JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
  const parsed = alertEventSchema.safeParse(json);
  if (parsed.success) return { ok: true, event: parsed.data };
  const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(event)"}: ${i.message}`);
  return { ok: false, error: `stored alert event failed validation: ${issues.join("; ")}` };
}

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
export type _AlertEventSchemaMatchesEventTs = Assert<Same<z.infer<typeof alertEventSchema>, AlertEvent>>;
