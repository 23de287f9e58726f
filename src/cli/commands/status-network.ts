import type { CoinProfile } from "../../coins/index.ts";
import type { Config } from "../../config/schema.ts";
import { oneLine } from "../../core/safe-text.ts";
import type { Style } from "../../core/style.ts";
import type { NetviewRecord } from "../../netview/ports.ts";
import { CONDITION_WORDS, peersAnswered, readNetview, type NetviewReading } from "../../netview/reading.ts";

/**
 * The network's view of each node in `nodeward status` (docs/netview.md): read from the rows the
 * watcher keeps, one line per node that has one (and one per problem the peers' answers show).
 * Nodes without a collateral in `smartnodes` say nothing; the hint says once how to add them.
 */

const INDENT = `           ${"".padEnd(24)} `;

/** Each node's reading, by node id; an unreadable table is a warning, never the end of `status`. */
export async function networkReadings(
  read: () => Promise<NetviewRecord[]>,
  now: number,
  config: Config,
  coin: CoinProfile | undefined,
  warn: (text: string) => void,
): Promise<Map<string, NetviewReading>> {
  if (coin?.smartnodeList === undefined) return new Map();
  let rows: NetviewRecord[];
  try {
    rows = await read();
  } catch (e) {
    warn(`the network's view of the nodes cannot be read: ${oneLine((e as Error).message)}`);
    return new Map();
  }
  const rules = { intervalSeconds: config.netview.intervalSeconds, expiredMinutes: coin.expiry?.expiredMinutes ?? 65 };
  return new Map(rows.map((r) => [r.nodeId, readNetview(r, now, rules)]));
}

/** The node's network lines for the terminal. */
export function networkLines(r: NetviewReading, now: number, s: Style): string[] {
  const parts = [stateText(r, s)];
  if (r.lastPingAt !== null) parts.push(`last ping ${ago(r.lastPingAt, now)}`);
  if (r.minutesToExpired !== null) parts.push(r.minutesToExpired > 0 ? `${r.minutesToExpired} min to EXPIRED as the network counts it` : s.red("past EXPIRED as the network counts it"));
  parts.push(`${conditionText(r, s)} since ${utc(r.conditionSince)}`);
  parts.push(`asked ${ago(r.askedAt, now)}${r.stale ? s.yellow(" (stale: is `nodeward watch` running?)") : ""}`);
  if (r.detail === null) parts.push(s.yellow("the peers' answers are unreadable"));
  else if (r.detail.disagreement) parts.push(s.yellow("the peers disagree"));
  const lines = [`${INDENT}network: ${parts.join(" · ")}`];
  for (const p of r.detail?.problems ?? []) lines.push(`${INDENT}${s.red("✗")} ${oneLine(p)}`);
  return lines;
}

/** One hint, when it helps: no collateral configured, or nothing asked yet. Null when every node is fine as shown. */
export function networkHint(config: Config, coin: CoinProfile | undefined, readings: ReadonlyMap<string, NetviewReading>, nodes: number): string | null {
  if (coin?.smartnodeList === undefined || nodes === 0) return null;
  if (config.smartnodes.length === 0) return "No collateral configured: the network's view of each node needs smartnodes: (`nodeward import smartnode.conf FILE`).";
  if (!config.netview.enabled) return "netview.enabled is false: the watcher does not ask the network about the nodes.";
  if (readings.size === 0) return "The network has not been asked about any node yet: is `nodeward watch` running?";
  return null;
}

/** A fresh reading that calls for a hand on the node (status exits 2, as for a node that is down). */
export function networkNeedsHand(r: NetviewReading): boolean {
  return !r.stale && (r.condition === "expired" || r.condition === "new-start" || r.condition === "unseen");
}

function stateText(r: NetviewReading, s: Style): string {
  const listing = peersAnswered(r.detail);
  const of = listing === null ? "" : s.dim(` (${listing.listing} of ${listing.asked} peer${listing.asked === 1 ? "" : "s"} list it)`);
  if (r.state === "ENABLED") return s.green(r.state) + of;
  if (r.state === "PRE_ENABLED") return s.yellow(r.state) + of;
  if (r.state === "UNKNOWN") return `${s.yellow(r.state)}${s.dim(" (no peer answered)")}`;
  if (r.state === "UNLISTED") return `${s.red(r.state)}${s.dim(" (no peer that answered lists it)")}`;
  return s.red(r.state) + of;
}

function conditionText(r: NetviewReading, s: Style): string {
  const words = CONDITION_WORDS[r.condition];
  if (r.condition === "ok") return s.green(words);
  if (r.condition === "unknown") return s.dim(words);
  return s.red(words);
}

function ago(at: number, now: number): string {
  const min = Math.round((now - at) / 60_000);
  if (min < 0) return `${-min} min in the future`;
  if (min < 120) return `${min} min ago`;
  if (min < 48 * 60) return `${Math.round(min / 60)} h ago`;
  return `${Math.round(min / 1440)} d ago`;
}

function utc(at: number): string {
  return `${new Date(at).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
