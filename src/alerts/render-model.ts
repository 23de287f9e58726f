import type { AlertEvent } from "./event.ts";

/** The shapes of a rendered alert (render.ts builds them, channels send them). */

export type Severity = "critical" | "warning" | "info" | "ok";

export interface AlertField {
  label: string;
  value: string;
}

/**
 * One alert as text, for every channel. `text` is the whole plain message (headline, one
 * "label: value" line per field, what to do); `summary` is the same without the field lines, for
 * channels that show `fields` on their own (Discord embeds, Slack blocks).
 */
export interface RenderedAlert {
  title: string;
  text: string;
  summary: string;
  severity: Severity;
  fields: AlertField[];
}

/** What a channel sends: the rendered text plus the event itself (the generic webhook forwards it). */
export interface AlertMessage extends RenderedAlert {
  event: AlertEvent;
  /** Stable per (incident, event): receivers may use it to drop duplicates. */
  dedupeKey: string;
  /**
   * An earlier attempt was cut off (nodeward stopped during the send), so this alert may have
   * arrived already. The title and text say so; the webhook also flags it in its body and headers.
   */
  possibleDuplicate: boolean;
}

/** What the daemon knows that the events do not carry. All optional: the text says less without them. */
export interface RenderOptions {
  /** Minutes down after which remediation reboots a node; null when remediation is off. */
  rebootAfterMinutes?: number | null;
  /** The coin's marks, to tell after a recovery or a watcher outage whether EXPIRED may have passed. */
  expiry?: { expiredMinutes: number; newStartRequiredMinutes: number };
}

/** One event's message before assembly into text. */
export interface Content {
  title: string;
  headline: string;
  severity: Severity;
  fields: AlertField[];
  /** Completes "What to do: …". */
  action: string;
}
