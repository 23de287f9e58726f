import { z } from "zod";
import type { Clock } from "../core/clock.ts";
import type { Redactor } from "../core/redact.ts";
import type { AlertKind } from "./event.ts";
import type { AlertMessage } from "./render-model.ts";

/**
 * The port every alert channel implements. A channel type is a module exporting one
 * `AlertChannel` value; channels/index.ts is the only place that lists them.
 */

export type SendResult =
  | { ok: true }
  | {
      ok: false;
      /** false: sending it again cannot help (bad token, deleted webhook, rejected address). */
      retryable: boolean;
      /** Passed through the redactor: never holds a webhook URL, token or password. */
      error: string;
      /** The service asked us to wait this long (HTTP 429 retry_after / Retry-After). */
      retryAfterMs?: number;
    };

export interface ChannelSender {
  /** The configured channel's name (persisted in the outbox). */
  readonly name: string;
  /** The channel type's id ("telegram"). */
  readonly type: string;
  /** Never throws for a delivery failure: every outcome is a SendResult. Honours `signal`. */
  send(msg: AlertMessage, signal: AbortSignal): Promise<SendResult>;
}

export interface ChannelDeps {
  fetch: typeof fetch;
  clock: Clock;
  redactor: Redactor;
  env: Readonly<Record<string, string | undefined>>;
}

export interface AlertChannel<C extends ChannelConfigBase> {
  /** Persisted in configs and outboxes: never rename. */
  readonly type: string;
  /** A strict object with `type: z.literal(this.type)`, `name` and `events` (channelBaseShape). */
  readonly configSchema: z.ZodType<C>;
  /** Markdown: one paragraph, then the key table (channelDocs builds it from the schema). */
  readonly docs: string;
  /** Resolves secrets and checks the settings; throws AppError for anything that would make sending fail. */
  create(config: C, deps: ChannelDeps): Promise<{ channel: ChannelSender; warnings: string[] }>;
}

export const ALERT_KINDS = [
  "down",
  "escalation",
  "recovered",
  "remediation",
  "firewall-blocks",
  "degraded",
  "watcher-offline",
  "watcher-online",
  "watcher-fault",
  "watcher-fault-cleared",
  "vantage-lost",
  "vantage-back",
  "network-expired",
  "network-new-start-required",
  "unseen-by-network",
  "network-ok",
  "test",
  "backup-code-used",
] as const satisfies readonly AlertKind[];

// Fails to compile when event.ts grows a kind that is not listed above.
const _everyKind: Exclude<AlertKind, (typeof ALERT_KINDS)[number]> extends never ? true : never = true;

export const channelNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, {
    error: (iss) => `${JSON.stringify(iss.input)} is not a channel name: letters, digits, ".", "_" and "-", up to 64`,
  })
  .describe("The channel's name: unique, used by `nodeward alerts test NAME` and stored with every queued alert (renaming drops its queue).");

/** The keys every channel config has besides its own. */
export const channelBaseShape = {
  name: channelNameSchema,
  events: z
    .array(z.enum(ALERT_KINDS))
    .min(1, { error: "an empty list sends nothing; remove the key to send every kind" })
    .optional()
    .describe(`Send only these kinds of alert (default: all): ${ALERT_KINDS.join(", ")}.`),
};

export interface ChannelConfigBase {
  type: string;
  name: string;
  events?: AlertKind[] | undefined;
}

/** A started channel and the kinds it takes (null: all). */
export interface RoutedChannel {
  sender: ChannelSender;
  events: readonly AlertKind[] | null;
}
