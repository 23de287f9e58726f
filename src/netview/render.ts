/**
 * A verdict for a person (`nodeward netview`) and as JSON (bytes as hex: keys and signatures are
 * data, not something to dump as a numbered object). Pure. Peer answers pass through `oneLine`.
 */
import { oneLine } from "../core/safe-text.ts";
import type { Style } from "../core/style.ts";
import type { NetworkVerdict, PeerView, VerdictState } from "./model.ts";

export interface RenderContext {
  /** The smartnodes alias or node name, when the target has one. */
  name?: string;
  nowMs: number;
  expiredMinutes: number;
}

export function renderVerdict(v: NetworkVerdict, ctx: RenderContext, s: Style): string {
  const listing = v.peers.filter((p) => p.answer.kind === "listed").length;
  const lines = [
    `${ctx.name === undefined ? "" : `${s.bold(oneLine(ctx.name))}  `}${v.outpoint}`,
    `  state        ${stateText(v.state, s)}  ${s.dim(`(${v.peers.length} peer${v.peers.length === 1 ? "" : "s"} asked, ${listing} list${listing === 1 ? "s" : ""} it)`)}`,
  ];
  if (v.state === "UNLISTED") lines.push(`               ${s.dim("no peer that answered has this outpoint: not started, collateral moved, or the peers are not synced")}`);
  if (v.state === "UNKNOWN") lines.push(`               ${s.dim("no peer could be asked or answered in time")}`);
  if (v.lastPingAt !== null) lines.push(`  last ping    ${ago(v.lastPingAt, ctx.nowMs)} ${s.dim(`(${utc(v.lastPingAt)})`)}`);
  if (v.minutesToExpired !== null) {
    const why = s.dim(`as the network counts it (${ctx.expiredMinutes} min after the last ping)`);
    lines.push(v.minutesToExpired > 0 ? `  EXPIRED in   ${v.minutesToExpired} min, ${why}` : `  EXPIRED      ${s.red("already")}, ${why}`);
  }
  if (v.announced !== undefined) {
    lines.push(`  announced    ${v.announced.addr}, protocol ${v.announced.protocolVersion}, started ${ago(v.announced.at, ctx.nowMs)} ${s.dim(`(${utc(v.announced.at)})`)}`);
  }
  lines.push("  peers");
  for (const p of v.peers) lines.push(`    ${p.peer.padEnd(24)} ${peerText(p, ctx.nowMs, s)}`);
  if (v.disagreement) lines.push(`  ${s.yellow("!")} the peers do not agree; the verdict is the median peer's (by last ping)`);
  if (v.problems.length > 0) {
    lines.push("  problems");
    for (const problem of v.problems) lines.push(`    ${s.red("✗")} ${oneLine(problem)}`);
  }
  return `${lines.join("\n")}\n`;
}

function stateText(state: VerdictState, s: Style): string {
  if (state === "ENABLED") return s.green(state);
  if (state === "PRE_ENABLED" || state === "UNKNOWN") return s.yellow(state);
  return s.red(state);
}

function peerText(p: PeerView, now: number, s: Style): string {
  const a = p.answer;
  if (a.kind === "listed") return `${stateText(p.state ?? "UNKNOWN", s)}, last ping ${p.lastPingAt == null ? "none" : ago(p.lastPingAt, now)}`;
  if (a.kind === "unlisted") return s.dim("unlisted (sent nothing for this outpoint)");
  return `${s.yellow(a.kind)}: ${oneLine(a.detail)}`;
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

/** The verdict as plain JSON values: every byte array as lower-case hex. */
export function verdictToJson(v: NetworkVerdict): unknown {
  return plain(v);
}

function plain(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("hex");
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, x]) => [k, plain(x)]));
  return value;
}
