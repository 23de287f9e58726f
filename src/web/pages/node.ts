import type { IncidentView, NodeDetail } from "../fleet-view.ts";
import { html, type Html } from "../html.ts";
import { page } from "../layout.ts";
import type { SeriesPoint } from "../../watch/ports.ts";
import { ago, ms, num, percent, utc } from "./format.ts";
import { networkSection } from "./network.ts";
import { stateBadge } from "./overview.ts";

/** One chart's data for charts.js, as JSON in a data attribute (escaped like any other value). */
function chart(title: string, label: string, unit: string, points: readonly SeriesPoint[], y: (p: SeriesPoint) => number | null): Html {
  const data = { title, label, unit, x: points.map((p) => Math.round(p.at / 1000)), y: points.map(y) };
  return html`<div class="chart" data-series="${JSON.stringify(data)}">${title}: the chart needs JavaScript.</div>`;
}

export function timeline(v: IncidentView): Html {
  return html`<ol class="timeline">${v.entries.map((e) => html`<li>${utc(e.at)} — <strong>${e.what}</strong>${e.detail === "" ? "" : html`: ${e.detail}`}</li>`)}</ol>`;
}

export function nodePage(d: NodeDetail, now: number, user: { name: string; csrf: string }): Html {
  const r = d.row;
  const upPct = (p: SeriesPoint) => (p.total === 0 ? null : Math.round((p.up / p.total) * 10_000) / 100);
  return page({
    title: r.name,
    user,
    scripts: ["/static/uplot.iife.min.js", "/static/charts.js"],
    body: html`<p>${stateBadge(r.health, r.degraded)} ${r.address} · last good handshake ${ago(r.lastGoodAt, now)} · latency ${ms(r.latencyMs)} · height ${num(r.height)}${r.lag === null ? "" : ` (lag ${r.lag})`}
 · uptime ${percent(r.uptime.d1)} (24 h), ${percent(r.uptime.d7)} (7 d), ${percent(r.uptime.d30)} (30 d) · firewall: ${r.firewall}</p>
${r.vantages.length === 0 ? "" : html`<h2>Seen from each watcher</h2>
<table><thead><tr><th>Watcher</th><th>Result</th><th>At</th></tr></thead><tbody>
${r.vantages.map((v) => html`<tr><td>${v.vantage}</td><td>${v.ok ? "ok" : v.cause ?? "failed"}</td><td>${utc(v.at)}${v.fresh ? "" : " (too old to count)"}</td></tr>`)}</tbody></table>`}
${r.minutesToExpired === null ? "" : html`<p class="notice error">Down: ${r.minutesToExpired > 0 ? `${r.minutesToExpired} minutes left before EXPIRED.` : "past EXPIRED: the node needs a new start."}</p>`}
${d.networkProblem === null ? networkSection(r.network, now) : html`<p class="notice warn">${d.networkProblem}</p>`}
${chart("Latency, last 24 h (10-minute means)", "latency", "ms", d.latency24h, (p) => (p.avgLatencyMs === null ? null : Math.round(p.avgLatencyMs)))}
${chart("Uptime, last 24 h (10-minute buckets)", "uptime", "%", d.uptime24h, upPct)}
${chart("Uptime, last 30 days (6-hour buckets)", "uptime", "%", d.uptime30d, upPct)}
<h2>Recent probes</h2>
<table><thead><tr><th>At</th><th>Result</th><th>Latency</th><th>Height</th></tr></thead><tbody>
${d.recent.map((p) => html`<tr><td>${utc(p.at)}</td><td>${p.ok ? "ok" : p.cause}</td><td>${ms(p.latencyMs)}</td><td>${num(p.height)}</td></tr>`)}</tbody></table>
<h2>Incidents</h2>
${d.incidents.length === 0 ? html`<p class="muted">None recorded.</p>` : d.incidents.map((v) => html`<h3>${utc(v.incident.startedAt)}: ${v.incident.cause}${v.incident.endedAt === null ? " (open)" : ""}</h3>${timeline(v)}`)}`,
  });
}
