import type { NetviewDetail } from "../../netview/detail.ts";
import { CONDITION_WORDS, peersAnswered } from "../../netview/reading.ts";
import type { NodeNetwork } from "../fleet-network.ts";
import { html, type Html } from "../html.ts";
import { ago, utc } from "./format.ts";

/**
 * The network's view of a node on the dashboard (docs/netview.md): a cell of the fleet table and a
 * section of the node page. Everything a peer sent (its address, the announced address, error
 * texts, problems) and the alias from the config goes through html``: escaped, on one line.
 */

/** The state, coloured by the condition the watcher alerts on. */
function stateTag(n: NodeNetwork): Html {
  return html`<span class="net net-${n.condition}" title="${CONDITION_WORDS[n.condition]}">${n.state}</span>`;
}

function untilExpired(n: NodeNetwork): string {
  if (n.minutesToExpired === null) return "";
  return n.minutesToExpired > 0 ? `${n.minutesToExpired} min` : "past EXPIRED";
}

/** The fleet table's "Network" cell: state and minutes before EXPIRED as the network counts them. */
export function networkCell(n: NodeNetwork | null, now: number): Html | string {
  if (n === null) return "—";
  const left = untilExpired(n);
  return html`${stateTag(n)}${left === "" ? "" : html` <span class="muted">${left}</span>`}${n.stale ? html` <span class="stale" title="asked ${ago(n.askedAt, now)}">stale</span>` : ""}`;
}

function peerRow(p: NetviewDetail["peers"][number], now: number): Html {
  const answer = p.answer === "listed" ? (p.state ?? "listed") : p.answer === "unlisted" ? "unlisted (sent nothing for this collateral)" : `${p.answer}${p.detail === undefined ? "" : `: ${p.detail}`}`;
  const ping = p.lastPingAt === undefined ? "—" : p.lastPingAt === null ? "none" : `${ago(p.lastPingAt, now)} (${utc(p.lastPingAt)})`;
  return html`<tr><td>${p.peer}</td><td>${answer}</td><td>${ping}</td></tr>`;
}

function detailPart(d: NetviewDetail | null, now: number): Html {
  if (d === null) return html`<p class="notice warn">The peers' answers in this row are unreadable (written by another version of nodeward, or damaged); the watcher's next query rewrites it.</p>`;
  return html`${d.announced === undefined ? "" : html`<p>Announced address <strong>${d.announced.addr}</strong>, protocol ${d.announced.protocolVersion}, started ${ago(d.announced.at, now)} (${utc(d.announced.at)}).</p>`}
${d.disagreement ? html`<p class="notice warn">The peers do not agree; the verdict is the median peer's, by last ping.</p>` : ""}
${d.problems.length === 0 ? "" : html`<div class="notice error"><strong>Problems in what the network carries:</strong><ul class="problems">${d.problems.map((p) => html`<li>${p}</li>`)}</ul></div>`}
<table class="peers"><thead><tr><th>Peer asked</th><th>Answer</th><th>Its last ping of the node</th></tr></thead><tbody>
${d.peers.map((p) => peerRow(p, now))}</tbody></table>`;
}

/** The node page's "The network's view" section; nothing when the network was not asked about the node. */
export function networkSection(n: NodeNetwork | null, now: number): Html | string {
  if (n === null) return "";
  const listing = peersAnswered(n.detail);
  const left = untilExpired(n);
  return html`<h2>The network's view</h2>
<p>${stateTag(n)}${listing === null ? "" : html` <span class="muted">(${listing.listing} of ${listing.asked} peers asked list it)</span>`}${n.alias === null ? "" : html` · alias <strong>${n.alias}</strong>`} · collateral <span class="mono">${n.outpoint}</span></p>
<p>Last ping ${n.lastPingAt === null ? "none" : html`${ago(n.lastPingAt, now)} (${utc(n.lastPingAt)})`}${left === "" ? "" : left === "past EXPIRED" ? html` · <span class="urgent">past EXPIRED</span> as the network counts it` : ` · ${left} before EXPIRED as the network counts it`}
 · ${CONDITION_WORDS[n.condition]} since ${utc(n.conditionSince)} · asked ${ago(n.askedAt, now)}</p>
${n.stale ? html`<p class="notice warn">This is what the network said ${ago(n.askedAt, now)}: the watcher has not asked since. Is <code>nodeward watch</code> running?</p>` : ""}
${detailPart(n.detail, now)}`;
}
