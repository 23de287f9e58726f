import { displayEvent } from "./display-event.ts";
import { dedupeKey, type AlertEvent } from "./event.ts";
import type { AlertMessage, Content, RenderOptions, RenderedAlert } from "./render-model.ts";
import { nodeContent } from "./render-node.ts";
import { lateNote, utcTime } from "./render-time.ts";
import { watcherContent } from "./render-watcher.ts";
import { watcherFaultContent } from "./render-watcher-fault.ts";
import { vantageContent } from "./render-vantage.ts";
import { backupCodeContent } from "./render-auth.ts";
import { networkContent } from "./render-network.ts";

export type { AlertField, AlertMessage, RenderOptions, RenderedAlert, Severity } from "./render-model.ts";

/**
 * Pure: the message for one event at time `now` (send time, so a retried alert shows the minutes
 * left when it arrives, and says it is late). Outside text is shown as displayEvent makes it.
 */
export function renderAlert(e: AlertEvent, now: number, options: RenderOptions = {}): RenderedAlert {
  const c = contentOf(displayEvent(e), now, options);
  const late = e.kind === "test" ? null : lateNote(e.at, now);
  const action = `What to do: ${c.action}`;
  const tail = late === null ? [action] : [action, late];
  const factLines = c.fields.map((f) => `${f.label}: ${f.value}`);
  return {
    title: c.title,
    text: [c.headline, "", ...factLines, "", ...tail].join("\n"),
    summary: [c.headline, "", ...tail].join("\n"),
    severity: c.severity,
    fields: c.fields,
  };
}

/** What a person reads on an alert that may have arrived already. */
export const POSSIBLE_DUPLICATE_NOTE = "(Possible duplicate: nodeward stopped while sending this alert and cannot tell whether it arrived, so it is sent again.)";

export function alertMessage(e: AlertEvent, now: number, options: RenderOptions = {}, delivery: { possibleDuplicate?: boolean } = {}): AlertMessage {
  const r = renderAlert(e, now, options);
  const base = { event: e, dedupeKey: dedupeKey(e) };
  if (delivery.possibleDuplicate !== true) return { ...r, ...base, possibleDuplicate: false };
  return {
    ...r,
    title: `${r.title} (possible duplicate)`,
    text: `${r.text}\n${POSSIBLE_DUPLICATE_NOTE}`,
    summary: `${r.summary}\n${POSSIBLE_DUPLICATE_NOTE}`,
    ...base,
    possibleDuplicate: true,
  };
}

function contentOf(e: AlertEvent, now: number, options: RenderOptions): Content {
  switch (e.kind) {
    case "watcher-offline":
    case "watcher-online":
      return watcherContent(e, now, options);
    case "watcher-fault":
    case "watcher-fault-cleared":
      return watcherFaultContent(e);
    case "backup-code-used":
      return backupCodeContent(e);
    case "vantage-lost":
    case "vantage-back":
      return vantageContent(e);
    case "network-expired":
    case "network-new-start-required":
    case "unseen-by-network":
    case "network-ok":
      return networkContent(e, now, options);
    case "test":
      return {
        title: `Test alert from nodeward (${e.channel})`,
        headline: `This is a test of the alert channel "${e.channel}", sent at ${utcTime(e.at, now)}. If you can read it, nodeward's alerts reach you here.`,
        severity: "info",
        fields: [{ label: "Channel", value: e.channel }],
        action: "nothing; real alerts name the node, how long it has been down, the minutes left before EXPIRED and what to do.",
      };
    default:
      return nodeContent(e, now, options);
  }
}
