import type { Clock } from "../core/clock.ts";
import { retryDelay, type BackoffPolicy } from "./backoff.ts";
import type { ChannelSender, SendResult } from "./channel.ts";
import { deadline } from "./deadline.ts";
import type { OutboxItem, OutboxStore } from "./outbox-store.ts";
import { alertMessage } from "./render.ts";
import type { RenderOptions } from "./render-model.ts";
import { duration } from "./render-time.ts";
import { displayLine } from "./clip.ts";

/**
 * One delivery pass over due outbox items. Channels are served in parallel, each channel's items
 * one by one, oldest first, so a recovery never arrives before its outage. When an item fails and
 * waits for a retry, later items of that channel wait with it. A failure that no retry can cure (a
 * rejected message, a channel that throws) gives the item up at once, so it never holds the
 * channel. Every item handed in ends marked sent, failed (with its next attempt), or dead; none is
 * left to block the head of the queue.
 */

export interface DeliveryReport {
  sent: number;
  failed: number;
  dead: number;
  /** Held back behind an earlier alert of the same channel that waits for its retry. */
  deferred: number;
}

export interface DeliveryContext {
  outbox: OutboxStore;
  senders: ReadonlyMap<string, ChannelSender>;
  clock: Clock;
  backoff: BackoffPolicy;
  maxAgeMs: number;
  sendTimeoutMs: number;
  render: RenderOptions;
  log: (line: string) => void;
  /** Per channel: no attempt before this time (a retry is pending). In memory; rebuilt as failures recur. */
  blockedUntil: Map<string, number>;
  /** Told each time a retry is scheduled, so the loop can wake for it. */
  scheduled: (at: number) => void;
}

export async function deliverItems(ctx: DeliveryContext, items: readonly OutboxItem[], signal: AbortSignal): Promise<DeliveryReport> {
  const report: DeliveryReport = { sent: 0, failed: 0, dead: 0, deferred: 0 };
  const byChannel = new Map<string, OutboxItem[]>();
  for (const item of [...items].sort((a, b) => a.createdAt - b.createdAt || a.id - b.id)) {
    const list = byChannel.get(item.channel) ?? [];
    list.push(item);
    byChannel.set(item.channel, list);
  }
  // allSettled: when the outbox fails for one channel, the others still finish before the pass ends (passes never overlap).
  const settled = await Promise.allSettled([...byChannel].map(([channel, list]) => deliverChannel(ctx, channel, list, signal, report)));
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failed !== undefined) throw failed.reason;
  return report;
}

async function deliverChannel(ctx: DeliveryContext, channel: string, items: OutboxItem[], signal: AbortSignal, report: DeliveryReport): Promise<void> {
  const sender = ctx.senders.get(channel);
  for (const item of items) {
    if (signal.aborted) return;
    const what = `alert ${displayLine(item.dedupeKey, 160)} to "${channel}"`;
    const now = ctx.clock.now();
    if (sender === undefined) {
      await giveUp(ctx, item, `no alert channel named "${channel}" is configured any more`, what, report);
      continue;
    }
    if (now - item.createdAt >= ctx.maxAgeMs) {
      await giveUp(ctx, item, `not delivered within ${duration(ctx.maxAgeMs)}; last error: ${item.lastError ?? "none"}`, what, report);
      continue;
    }
    const blocked = ctx.blockedUntil.get(channel);
    if (blocked !== undefined && blocked > now) {
      await ctx.outbox.markFailed(item.id, `held back behind an earlier alert to "${channel}" that waits for its retry`, blocked);
      report.deferred++;
      continue;
    }
    // Committed before the first byte leaves: a kill during the send leaves the attempt open for the next pass to find.
    await ctx.outbox.markSending(item.id, ctx.clock.now());
    const result = await sendOne(sender, item, ctx, signal);
    if (result.ok) {
      await ctx.outbox.markSent(item.id, ctx.clock.now());
      ctx.blockedUntil.delete(channel);
      ctx.log(`${what} sent${item.attempts > 0 ? ` after ${item.attempts + 1} attempts` : ""}${item.inDoubt ? ", marked as a possible duplicate" : ""}`);
      report.sent++;
      continue;
    }
    // Shutting down: the item stays due with its attempt open; the next pass (flush, or the next start) finds it
    // cut off and sends it again as a possible duplicate, since the service may have had it.
    if (signal.aborted) return;
    if (!result.retryable) {
      await giveUp(ctx, item, result.error, what, report);
      continue;
    }
    const failures = item.attempts + 1;
    const next = ctx.clock.now() + retryDelay(ctx.backoff, failures, result.retryAfterMs);
    if (next >= item.createdAt + ctx.maxAgeMs) {
      await giveUp(ctx, item, `gave up after ${failures} attempts in ${duration(ctx.clock.now() - item.createdAt)}: ${result.error}`, what, report);
      continue;
    }
    await ctx.outbox.markFailed(item.id, result.error, next);
    ctx.blockedUntil.set(channel, next);
    ctx.scheduled(next);
    ctx.log(`${what} failed (attempt ${failures}), retry in ${waitText(next - ctx.clock.now())}: ${result.error}`);
    report.failed++;
  }
}

/**
 * At the start of a pass no attempt of this process is open (passes never overlap), so one still
 * open was cut off: by a kill, a crash, or a shutdown during the send. Nobody knows whether it
 * arrived; it is sent again, marked as a possible duplicate (an alert lost is worse than one seen twice).
 */
export async function recoverInterrupted(ctx: DeliveryContext): Promise<number> {
  const cut = await ctx.outbox.markInterrupted(ctx.clock.now());
  for (const item of cut) {
    ctx.log(`alert ${displayLine(item.dedupeKey, 160)} to "${item.channel}": ${item.lastError ?? "an attempt was cut off"}; sending it again, marked as a possible duplicate`);
  }
  return cut.length;
}

async function sendOne(sender: ChannelSender, item: OutboxItem, ctx: DeliveryContext, signal: AbortSignal): Promise<SendResult> {
  const message = alertMessage(item.event, ctx.clock.now(), ctx.render, { possibleDuplicate: item.inDoubt });
  const timeout = deadline(ctx.sendTimeoutMs, signal);
  try {
    return await sender.send(message, timeout.signal);
  } catch (e) {
    // Channels return failures as values, network failures included; a throw is a bug or an input the channel cannot
    // send, and the same input throws again: final, so it cannot hold back the alerts behind it. Only when the
    // deadline fired is it the send timing out. Its message may hold anything (a secret, the hostile name), so only its name is kept.
    const name = e instanceof Error ? e.name : typeof e;
    if (timeout.signal.aborted) return { ok: false, retryable: true, error: `the ${sender.type} channel failed when the send timed out (${name})` };
    return { ok: false, retryable: false, error: `the ${sender.type} channel could not send this alert (${name}); this is a bug in nodeward, please report it` };
  } finally {
    timeout.clear();
  }
}

async function giveUp(ctx: DeliveryContext, item: OutboxItem, error: string, what: string, report: DeliveryReport): Promise<void> {
  await ctx.outbox.markDead(item.id, ctx.clock.now(), error);
  ctx.log(`${what} given up: ${error}`);
  report.dead++;
}

function waitText(ms: number): string {
  return ms < 120_000 ? `${Math.ceil(ms / 1000)} s` : duration(ms);
}
