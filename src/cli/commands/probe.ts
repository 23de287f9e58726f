import { findCoin, COIN_IDS } from "../../coins/index.ts";
import { AppError } from "../../core/errors.ts";
import { oneLine } from "../../core/safe-text.ts";
import { handshake, p2pParamsFor, type HandshakeResult } from "../../p2p/index.ts";
import { sapiStatus, type SapiResult } from "../../sapi/index.ts";
import type { Io } from "../io.ts";
import { EXIT, type ExitCode } from "../exit.ts";
import { parseTarget } from "../target.ts";

export interface ProbeCommandOptions {
  coin: string;
  timeoutMs: number;
  sapi: boolean;
  sapiPort?: number;
  json: boolean;
}

/** `nodeward probe HOST[:PORT]`: a real P2P handshake, and the SAPI status when the coin has SAPI. Exit 2 when down. */
export async function runProbe(io: Io, targetText: string, o: ProbeCommandOptions): Promise<ExitCode> {
  const coin = findCoin(o.coin);
  const params = coin === undefined ? undefined : p2pParamsFor(coin);
  if (coin === undefined || params === undefined || coin.p2p === undefined) {
    throw new AppError("USAGE", `--coin ${o.coin} has no P2P profile; one of: ${COIN_IDS.filter((c) => findCoin(c)?.p2p).join(", ")}`);
  }
  if (!(o.timeoutMs > 0)) throw new AppError("USAGE", "--timeout must be a positive number of milliseconds");
  const t = parseTarget(targetText);
  const port = t.port ?? coin.p2p.defaultPort;
  const sapiPort = o.sapiPort ?? coin.sapi?.port;
  if (sapiPort !== undefined && !(Number.isInteger(sapiPort) && sapiPort >= 1 && sapiPort <= 65535)) throw new AppError("USAGE", `--sapi-port must be a port 1–65535, got ${String(o.sapiPort)}`);
  const [hs, sapi] = await Promise.all([
    handshake({ host: t.host, port }, params, { timeoutMs: o.timeoutMs }),
    o.sapi && coin.sapi && sapiPort !== undefined ? sapiStatus({ host: t.host, port: sapiPort }, { timeoutMs: o.timeoutMs, path: coin.sapi.statusPath }) : Promise.resolve(undefined),
  ]);
  const healthy = hs.status === "up" && (sapi === undefined || sapi.status === "up");
  if (o.json) {
    io.json({ host: t.host, coin: coin.id, handshake: { port, ...hs }, sapi: sapi === undefined ? null : { port: sapiPort, ...sapi }, healthy });
  } else {
    io.out(handshakeLine(io, t.host, port, hs));
    if (sapi !== undefined) io.out(sapiLine(io, sapiPort ?? 0, sapi));
  }
  return healthy ? EXIT.ok : EXIT.changes;
}

function handshakeLine(io: Io, host: string, port: number, r: HandshakeResult): string {
  const s = io.style;
  if (r.status === "up") return `${s.green("up")}    p2p  ${host} port ${port}: ${oneLine(r.userAgent)}, protocol ${r.protocolVersion}, height ${r.startHeight}, services ${r.services}, ${Math.round(r.latencyMs)} ms`;
  const why = r.reason === "rejected" ? `rejected (code 0x${(r.rejectCode ?? 0).toString(16)}: "${oneLine(r.rejectReason ?? "")}")` : r.reason;
  return `${s.red("down")}  p2p  ${host} port ${port}: ${why} in the ${r.phase} phase — ${oneLine(r.detail)}`;
}

function sapiLine(io: Io, port: number, r: SapiResult): string {
  const s = io.style;
  if (r.status === "up") {
    const c = typeof r.connections === "number" ? `${r.connections}` : `${r.connections.in} in / ${r.connections.out} out`;
    return `${s.green("up")}    sapi port ${port}: version ${oneLine(String(r.version))}, blocks ${r.blocks}, connections ${c}, ${Math.round(r.latencyMs)} ms`;
  }
  return `${s.red("down")}  sapi port ${port}: ${r.reason} — ${oneLine(r.detail)}`;
}
