import type { Clock } from "../core/clock.ts";
import { DEFAULT_BACKOFF, type BackoffPolicy } from "./backoff.ts";
import type { ChannelSender, RoutedChannel } from "./channel.ts";
import { deadline } from "./deadline.ts";
import { deliverItems, recoverInterrupted, type DeliveryContext, type DeliveryReport } from "./deliver.ts";
import { dedupeKey, type AlertEvent } from "./event.ts";
import type { OutboxStore } from "./outbox-store.ts";
import type { RenderOptions } from "./render-model.ts";
import { childAbort } from "../core/abort.ts";

export type { DeliveryReport } from "./deliver.ts";

/**
 * The alert sender: events go into the durable outbox first (one row per event and channel,
 * deduplicated by key, so a restart never sends twice what was sent), then a loop delivers what
 * is due, retrying with backoff until sent or too old. Each attempt is recorded before it starts;
 * one cut off by a kill is sent again at the next start, marked as a possible duplicate. A failing
 * channel never stops the others, and never the daemon: its failures are values in the outbox and
 * lines in the log.
 */

export interface DispatcherOptions {
  outbox: OutboxStore;
  channels: readonly RoutedChannel[];
  clock: Clock;
  /** One line per delivery outcome; already free of secrets (channel errors are redacted). */
  logger?: (line: string) => void;
  backoff?: Partial<BackoffPolicy>;
  /** alerts.retry.maxAgeMinutes in ms; default 24 h. */
  maxAgeMs?: number;
  /** Deadline of one send; default 20 s. */
  sendTimeoutMs?: number;
  /** Items per pass; default 50. */
  batchSize?: number;
  /** The loop looks at the outbox at least this often; default 15 s. */
  pollMs?: number;
  render?: RenderOptions;
}

export interface Dispatcher {
  /** Queues each event for every channel that takes its kind (a test event only for its channel); returns how many rows were new. */
  enqueue(events: readonly AlertEvent[]): Promise<number>;
  /** One pass over what is due now. Throws only when the outbox itself fails. */
  deliverDue(signal: AbortSignal): Promise<DeliveryReport>;
  /** Delivers until `signal` aborts: wakes on enqueue, at the next retry, or every pollMs. Never throws. */
  run(signal: AbortSignal): Promise<void>;
  /** For shutdown, after run() has stopped: delivers what is due until nothing is or `timeoutMs` passes. */
  flush(timeoutMs: number): Promise<DeliveryReport & { remaining: number }>;
}

export function createDispatcher(options: DispatcherOptions): Dispatcher {
  const log = options.logger ?? (() => undefined);
  const batchSize = options.batchSize ?? 50;
  const pollMs = options.pollMs ?? 15_000;
  const retries: number[] = [];
  const ctx: DeliveryContext = {
    outbox: options.outbox,
    senders: new Map<string, ChannelSender>(options.channels.map((c) => [c.sender.name, c.sender])),
    clock: options.clock,
    backoff: { ...DEFAULT_BACKOFF, ...options.backoff },
    maxAgeMs: options.maxAgeMs ?? 24 * 60 * 60_000,
    sendTimeoutMs: options.sendTimeoutMs ?? 20_000,
    render: options.render ?? {},
    log,
    blockedUntil: new Map(),
    scheduled: (at) => retries.push(at),
  };
  let wake = new AbortController();
  let lastBatchFull = false;
  let chain: Promise<unknown> = Promise.resolve();

  const takes = (c: RoutedChannel, e: AlertEvent) =>
    e.kind === "test" ? c.sender.name === e.channel : c.events === null || c.events.includes(e.kind);

  /** Passes never overlap: run() and flush() share one outbox. */
  const deliverDue = (signal: AbortSignal): Promise<DeliveryReport> => {
    const pass = chain.then(async () => {
      await recoverInterrupted(ctx);
      const items = await ctx.outbox.due(ctx.clock.now(), batchSize);
      lastBatchFull = items.length === batchSize;
      return deliverItems(ctx, items, signal);
    });
    chain = pass.catch(() => undefined);
    return pass;
  };

  /** Until the next retry this process scheduled, at most pollMs. */
  const nextWait = (): number => {
    const now = ctx.clock.now();
    const future = retries.filter((t) => t > now);
    retries.splice(0, retries.length, ...future);
    return Math.max(0, Math.min(pollMs, ...future.map((t) => t - now)));
  };

  return {
    async enqueue(events) {
      const items = events.flatMap((e) => {
        const to = options.channels.filter((c) => takes(c, e));
        if (to.length === 0) log(`alert ${dedupeKey(e)} not queued: no alert channel takes "${e.kind}" alerts`);
        return to.map((c) => ({ dedupeKey: dedupeKey(e), channel: c.sender.name, event: e }));
      });
      if (items.length === 0) return 0;
      const added = await ctx.outbox.enqueue(items, ctx.clock.now());
      if (added > 0) wake.abort();
      return added;
    },

    deliverDue,

    async run(signal) {
      while (!signal.aborted) {
        // Armed before the pass: an enqueue during the pass skips the sleep after it.
        wake = new AbortController();
        let wait: number;
        try {
          await deliverDue(signal);
          wait = lastBatchFull ? 0 : nextWait();
        } catch (e) {
          log(`alert delivery paused: the outbox failed (${e instanceof Error ? e.message : String(e)}); trying again in ${Math.round(pollMs / 1000)} s`);
          wait = pollMs;
        }
        if (wait === 0 || signal.aborted || wake.signal.aborted) continue;
        const sleeping = childAbort(signal);
        const onWake = () => sleeping.abort();
        wake.signal.addEventListener("abort", onWake, { once: true });
        try {
          await ctx.clock.sleep(wait, sleeping.signal);
        } catch {
          // Woken by enqueue or stopped: either way, look again.
        } finally {
          wake.signal.removeEventListener("abort", onWake);
          sleeping.dispose();
        }
      }
    },

    async flush(timeoutMs) {
      const timeout = deadline(timeoutMs);
      const total: DeliveryReport = { sent: 0, failed: 0, dead: 0, deferred: 0 };
      try {
        do {
          const r = await deliverDue(timeout.signal);
          total.sent += r.sent;
          total.failed += r.failed;
          total.dead += r.dead;
          total.deferred += r.deferred;
        } while (lastBatchFull && !timeout.signal.aborted);
      } finally {
        timeout.clear();
      }
      return { ...total, remaining: await ctx.outbox.depth() };
    },
  };
}
