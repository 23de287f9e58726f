import type { HandshakeResult, P2pParams } from "../p2p/index.ts";
import { handshake } from "../p2p/index.ts";
import { sapiStatus, type SapiResult } from "../sapi/index.ts";
import type { ProbeRecord } from "./model.ts";

/** One watched node as the prober sees it. */
export interface ProbeTarget {
  nodeId: string;
  name: string;
  address: string;
  p2pPort: number;
  /** undefined: the coin has no SAPI, or it is not checked. */
  sapiPort?: number;
  sapiPath?: string;
}

/**
 * The three layers in one probe: TCP connect and the coin's handshake (the handshake's connect
 * phase is the TCP layer), and the SAPI status at the same time unless `sapi: false`. ok only
 * when every checked layer is up; the cause names the first layer that failed.
 */
export async function probeNode(t: ProbeTarget, params: P2pParams, opts: { timeoutMs: number; signal?: AbortSignal; now: () => number; sapi?: boolean }): Promise<ProbeRecord> {
  const at = opts.now();
  const hs = handshake({ host: t.address, port: t.p2pPort }, params, { timeoutMs: opts.timeoutMs, signal: opts.signal });
  if (t.sapiPort === undefined || opts.sapi === false) return probeRecord(t, at, await hs, undefined);
  const sapi = sapiStatus({ host: t.address, port: t.sapiPort }, { timeoutMs: opts.timeoutMs, signal: opts.signal, path: t.sapiPath });
  const [h, s] = await Promise.all([hs, sapi]);
  return probeRecord(t, at, h, s);
}

/** Pure: the verdict from the layers' results. */
export function probeRecord(t: ProbeTarget, at: number, hs: HandshakeResult, sapi: SapiResult | undefined): ProbeRecord {
  const cause = hs.status === "down"
    ? hs.phase === "connect" ? `tcp ${t.p2pPort} ${hs.reason}` : `p2p ${hs.reason}${hs.rejectReason ? ` (${hs.rejectReason})` : ""}`
    : sapi !== undefined && sapi.status === "down" ? `sapi ${t.sapiPort ?? ""} ${sapi.reason}`.replace("  ", " ") : null;
  return {
    nodeId: t.nodeId,
    at,
    ok: cause === null,
    cause,
    latencyMs: hs.status === "up" ? Math.round(hs.latencyMs * 10) / 10 : null,
    height: sapi?.status === "up" ? sapi.blocks : hs.status === "up" ? hs.startHeight : null,
    protocolVersion: hs.status === "up" ? hs.protocolVersion : null,
  };
}
