import type { AlertEvent } from "./event.ts";
import type { Content } from "./render-model.ts";
import { duration, utcDateTime } from "./render-time.ts";

/** The messages about one watcher of a fleet: while it is lost, the others decide without it. */

type VantageEvent = Extract<AlertEvent, { kind: "vantage-lost" | "vantage-back" }>;

const named = (e: VantageEvent) => (e.region === "" ? e.vantage : `${e.vantage} (${e.region})`);

export function vantageContent(e: VantageEvent): Content {
  if (e.kind === "vantage-lost") {
    return {
      title: `WATCHER LOST: ${named(e)}`,
      headline: `The watcher ${named(e)} is not counted: ${e.detail}. The other watchers go on deciding without it; if it was the last of a region, that region's view is missing.`,
      severity: "warning",
      fields: [
        { label: "Watcher", value: named(e) },
        { label: "Last heard", value: utcDateTime(e.lastSeenAt) },
        { label: "Detail", value: e.detail },
      ],
      action: "check that machine: is `nodeward watch` running, can it reach PostgreSQL and the Internet? Its service log says why.",
    };
  }
  return {
    title: `WATCHER BACK: ${named(e)} after ${duration(e.lostForMs)}`,
    headline: `The watcher ${named(e)} reports again after ${duration(e.lostForMs)} and is counted again.`,
    severity: "ok",
    fields: [
      { label: "Watcher", value: named(e) },
      { label: "Back at", value: utcDateTime(e.at) },
    ],
    action: "nothing.",
  };
}
