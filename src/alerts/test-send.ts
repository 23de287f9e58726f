import { systemClock, type Clock } from "../core/clock.ts";
import { AppError } from "../core/errors.ts";
import type { RoutedChannel, SendResult } from "./channel.ts";
import { deadline } from "./deadline.ts";
import { alertMessage } from "./render.ts";

/**
 * `nodeward alerts test [CHANNEL]`: sends a `test` alert straight to each channel (or the named
 * one), not through the outbox, ignoring the channels' event filters, and reports every outcome,
 * so a token, a chat id or an SMTP login that is wrong shows up now rather than at 3 a.m.
 */

export interface TestSendResult {
  channel: string;
  type: string;
  result: SendResult;
  /** How long the send took. */
  ms: number;
}

export interface TestSendOptions {
  clock?: Clock;
  /** Deadline of each send; default 20 s. */
  timeoutMs?: number;
}

export async function sendTestAlert(channels: readonly RoutedChannel[], name?: string, options: TestSendOptions = {}): Promise<TestSendResult[]> {
  const clock = options.clock ?? systemClock;
  if (channels.length === 0) {
    throw new AppError("USAGE", "no alert channel is configured", { hint: "add one under alerts.channels in nodeward.yaml" });
  }
  const chosen = name === undefined ? channels : channels.filter((c) => c.sender.name === name);
  if (chosen.length === 0) {
    throw new AppError("USAGE", `no alert channel named ${JSON.stringify(name)}; configured: ${channels.map((c) => c.sender.name).join(", ")}`);
  }
  return Promise.all(
    chosen.map(async ({ sender }) => {
      const started = clock.now();
      const msg = alertMessage({ kind: "test", at: started, channel: sender.name }, started);
      const timeout = deadline(options.timeoutMs ?? 20_000);
      let result: SendResult;
      try {
        result = await sender.send(msg, timeout.signal);
      } catch (e) {
        result = { ok: false, retryable: true, error: `the ${sender.type} channel failed unexpectedly (${e instanceof Error ? e.name : typeof e})` };
      } finally {
        timeout.clear();
      }
      return { channel: sender.name, type: sender.type, result, ms: clock.now() - started };
    }),
  );
}
