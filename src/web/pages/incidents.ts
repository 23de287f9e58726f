import type { IncidentView } from "../fleet-view.ts";
import { html, type Html } from "../html.ts";
import { page } from "../layout.ts";
import { utc } from "./format.ts";
import { timeline } from "./node.ts";

function lasted(v: IncidentView, now: number): string {
  const end = v.incident.endedAt ?? now;
  const minutes = Math.round((end - v.incident.startedAt) / 60_000);
  return v.incident.endedAt === null ? `open for ${minutes} min` : `${minutes} min`;
}

export function incidentsPage(views: readonly IncidentView[], now: number, user: { name: string; csrf: string }): Html {
  return page({
    title: "Incidents",
    user,
    body: views.length === 0
      ? html`<p class="muted">No incidents recorded.</p>`
      : html`${views.map((v) => html`<section class="incident"><h2><a href="/nodes/${encodeURIComponent(v.incident.nodeId)}">${v.nodeName}</a> — ${v.incident.cause}</h2>
<p class="muted">${utc(v.incident.startedAt)} · ${lasted(v, now)} · last good probe before it: ${utc(v.incident.lastGoodAt)}</p>${timeline(v)}</section>`)}`,
  });
}
