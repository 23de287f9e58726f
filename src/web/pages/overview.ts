import type { FleetPage } from "../fleet-view.ts";
import { html, type Html } from "../html.ts";
import { page } from "../layout.ts";
import { ago, ms, num, percent } from "./format.ts";
import { networkCell } from "./network.ts";

export function stateBadge(health: string, degraded: string | null): Html {
  return html`<span class="state state-${health}">${health}</span>${degraded === null ? "" : html` <span class="muted" title="${degraded}">degraded</span>`}`;
}

function expiry(minutes: number | null): Html | string {
  if (minutes === null) return "";
  return minutes > 0 ? html`<span class="urgent">${minutes} min</span>` : html`<span class="urgent">EXPIRED ${-minutes} min ago</span>`;
}

function pager(f: FleetPage): Html | string {
  if (f.pages <= 1) return "";
  const link = (n: number, label: string) => html`<a href="/?page=${n}">${label}</a>`;
  return html`<p class="pager">${f.page > 1 ? link(f.page - 1, "← previous") : ""} page ${f.page} of ${f.pages} ${f.page < f.pages ? link(f.page + 1, "next →") : ""}</p>`;
}

export function overviewPage(f: FleetPage, now: number, user: { name: string; csrf: string }, watcherOffline: boolean): Html {
  const { rows, counts } = f;
  const down = counts.down;
  const others = ([["suspect", counts.suspect], ["recovering", counts.recovering], ["degraded", counts.degraded], ["unknown", counts.unknown]] as const).filter(([, n]) => n > 0);
  return page({
    title: "Fleet",
    user,
    body: html`${watcherOffline ? html`<p class="notice error">The watcher itself is offline: node failures are held back until it can see again.</p>` : ""}
<p>${f.total} nodes · ${counts.up} up · ${down === 0 ? "none down" : html`<span class="urgent">${down} down</span>`}${others.map(([what, n]) => html` · ${n} ${what}`)}${f.pages > 1 ? html` · nodes that need attention first` : ""}</p>
${f.networkProblem === null ? "" : html`<p class="notice warn">${f.networkProblem}</p>`}
${pager(f)}
<table id="fleet"><thead><tr><th>Node</th><th>State</th><th>Uptime 24 h</th><th>7 d</th><th>30 d</th><th>Last good handshake</th><th>Latency</th><th>Height</th><th>Lag</th><th>Before EXPIRED</th>${f.network ? html`<th title="The node's state in the SmartCash network, as the peers asked have it, and the minutes before the network marks it EXPIRED">Network</th>` : ""}<th>Firewall</th></tr></thead>
<tbody>${rows.map((r) => html`<tr data-node="${r.name}"><td><a href="/nodes/${encodeURIComponent(r.id)}">${r.name}</a><br><span class="muted">${r.address}</span></td>
<td>${stateBadge(r.health, r.degraded)}</td><td>${percent(r.uptime.d1)}</td><td>${percent(r.uptime.d7)}</td><td>${percent(r.uptime.d30)}</td>
<td>${ago(r.lastGoodAt, now)}</td><td>${ms(r.latencyMs)}</td><td>${num(r.height)}</td><td>${r.lag === null ? "—" : r.lag}</td>
<td>${expiry(r.minutesToExpired)}</td>${f.network ? html`<td>${networkCell(r.network, now)}</td>` : ""}<td>${r.firewall}</td></tr>`)}</tbody></table>
${pager(f)}
${rows.length === 0 ? html`<p class="muted">No nodes yet: the watcher has not read the inventory, or the node selector matches nothing.</p>` : ""}`,
  });
}
