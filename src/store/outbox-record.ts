import type { AlertEvent } from "../alerts/event.ts";
import { alertEventSchema } from "./alert-event-schema.ts";
import { StoreError } from "./errors.ts";

/**
 * What an outbox accepts, and how its items move, the same in every implementation. An item is
 * pending until it is marked sent or dead; marking an item that is no longer pending is refused
 * (the one sender loop never does it, so it is a bug worth hearing about).
 */
export interface NewOutboxItem {
  dedupeKey: string;
  channel: string;
  event: AlertEvent;
}

/** Validates with alertEventSchema (unknown keys dropped), so nothing unreadable is ever stored. */
export function checkNewOutboxItem(item: NewOutboxItem): NewOutboxItem {
  if (item.dedupeKey === "" || item.channel === "") {
    throw new StoreError("invalid-argument", `an outbox item needs a dedupe key and a channel, got ${JSON.stringify([item.dedupeKey, item.channel])}`);
  }
  const parsed = alertEventSchema.safeParse(item.event);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(event)"}: ${i.message}`).join("; ");
    throw new StoreError("invalid-argument", `cannot store the alert ${JSON.stringify(item.dedupeKey)} for ${item.channel}: ${issues}`);
  }
  return { dedupeKey: item.dedupeKey, channel: item.channel, event: parsed.data };
}

export type OutboxTransition = "sending" | "sent" | "failed" | "dead";

/** What an interrupted attempt leaves as the item's last error. */
export function interruptedError(startedAt: number): string {
  return `the attempt started at ${new Date(startedAt).toISOString()} was cut off (nodeward stopped during the send): it may have arrived`;
}

/** Checks that an item can move: it exists and is still pending. */
export function checkTransition(
  id: number,
  to: OutboxTransition,
  row: { sentAt: number | null; deadAt: number | null } | undefined,
): void {
  if (row === undefined) throw new StoreError("not-found", `outbox item ${id} is not in the store (marking it ${to})`);
  if (row.sentAt !== null) throw new StoreError("conflict", `outbox item ${id} was already sent at ${new Date(row.sentAt).toISOString()}; cannot mark it ${to}`);
  if (row.deadAt !== null) throw new StoreError("conflict", `outbox item ${id} was already given up at ${new Date(row.deadAt).toISOString()}; cannot mark it ${to}`);
}
