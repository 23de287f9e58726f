import type { ChannelSender, RoutedChannel, SendResult } from "../channel.ts";
import type { AlertKind } from "../event.ts";
import type { AlertMessage } from "../render-model.ts";

/**
 * Test support only: a channel whose answers the test scripts. Records every message it was
 * given; "wait" never answers until the send's signal aborts; "throw" breaks the contract.
 */

export type ScriptedAnswer = SendResult | "wait" | "throw";

export interface ScriptedSender extends ChannelSender {
  sent: AlertMessage[];
  /** Answers for the next sends, in order; after them, ok. */
  answers: ScriptedAnswer[];
}

export function scriptedSender(name: string): ScriptedSender {
  const sent: AlertMessage[] = [];
  const answers: ScriptedAnswer[] = [];
  return {
    name,
    type: "scripted",
    sent,
    answers,
    async send(msg, signal) {
      sent.push(msg);
      const answer = answers.shift() ?? { ok: true };
      if (answer === "throw") throw new Error("boom with a secret inside");
      if (answer === "wait") {
        return new Promise<SendResult>((resolve) => {
          signal.addEventListener("abort", () => resolve({ ok: false, retryable: true, error: "no answer within the send timeout" }), { once: true });
        });
      }
      return answer;
    },
  };
}

export function routed(sender: ChannelSender, events: AlertKind[] | null = null): RoutedChannel {
  return { sender, events };
}
