import type { AlertEvent } from "./event.ts";
import type { Content, RenderOptions } from "./render-model.ts";
import { duration, utcDateTime, wholeMinutes } from "./render-time.ts";

/** The messages about the watcher itself: while it cannot see, nodes can go down unnoticed. */

type WatcherEvent = Extract<AlertEvent, { kind: "watcher-offline" | "watcher-online" }>;

export function watcherContent(e: WatcherEvent, _now: number, options: RenderOptions): Content {
  if (e.kind === "watcher-offline") {
    return {
      title: "WATCHER OFFLINE: nodeward cannot watch your nodes",
      headline: `nodeward cannot watch your nodes: ${e.detail}. While this lasts, a node can go down and expire without an alert.`,
      severity: "warning",
      fields: [
        { label: "Since", value: utcDateTime(e.at) },
        { label: "Detail", value: e.detail },
      ],
      action: "check the machine running `nodeward watch`: its network, its disk, and the service log.",
    };
  }
  const passedExpired = options.expiry !== undefined && wholeMinutes(e.offlineForMs) >= options.expiry.expiredMinutes;
  return {
    title: `WATCHER BACK ONLINE after ${duration(e.offlineForMs)}`,
    headline:
      `nodeward is watching again after ${duration(e.offlineForMs)} offline. ` +
      "Every node is probed now; any node still down gets its own alert.",
    severity: "info",
    fields: [
      { label: "Back at", value: utcDateTime(e.at) },
      { label: "Offline for", value: duration(e.offlineForMs) },
    ],
    action: passedExpired
      ? "the outage was longer than EXPIRED: check `smartnode status` of every node, a node that went down meanwhile may have expired unseen."
      : "nothing, unless node alerts follow.",
  };
}
