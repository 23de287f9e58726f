/**
 * What a synced SmartCash node answers about its SmartNode list, as a pure function of the
 * message and a lookup (Core-Smart @0f6029c1):
 *
 * - `dseg` (smartnodeman.cpp ProcessMessage DSEG, SyncSingle, PushDsegInvs): nothing at all until
 *   the node is synced (checked before the payload is read); the null outpoint asks for the whole
 *   list (SyncAll), which the simulator counts and never answers; a known outpoint whose address
 *   is neither RFC 1918 nor local gets one `inv` with the announce's hash then the ping's; an
 *   unknown one gets silence. A peer at protocol 90025 sends a CTxIn instead of a COutPoint.
 * - `getdata` (net_processing.cpp ProcessGetData): one `mnb` or `mnp` per entry the node has seen,
 *   in the order asked, then one `notfound` with every other entry. Answered synced or not.
 *
 * A payload that does not decode gets reject(command, 0x01, "error parsing message"), as the
 * ios_base::failure handler in ProcessMessages sends.
 */
import ipaddr from "ipaddr.js";
import { decodeDseg, decodeInv, encodeAnnounce, encodeInv, encodePing, type InvEntry } from "../../netview/codec.ts";
import { isNullOutpoint } from "../../netview/outpoint.ts";
import { REJECT_MALFORMED, type P2pMessage } from "../../p2p/messages.ts";
import type { SmartnodeLookup } from "./network-list.ts";

export interface ListAnswerConfig {
  /** smartnodeSync.IsSynced(): an unsynced node ignores dseg. */
  synced: boolean;
  /** undefined: the node keeps no SmartNode list (a coin without one): dseg is silent, getdata finds nothing. */
  lookup: SmartnodeLookup | undefined;
}

export type ListOutcome = "dseg" | "list-request" | "getdata";

export interface ListAnswer {
  send: P2pMessage[];
  /** Counted in the node's stats, whether or not anything was sent. */
  outcome: ListOutcome;
}

/** The one protocol whose dseg carries a CTxIn (smartnodeman.cpp: `pfrom->nVersion == 90025`). */
const DSEG_TXIN_PROTOCOL = 90025;

const malformed = (command: string): P2pMessage => ({ type: "reject", reject: { message: command, code: REJECT_MALFORMED, reason: "error parsing message" } });
const other = (command: string, payload: Uint8Array): P2pMessage => ({ type: "other", command, payload });

export function answerDseg(payload: Uint8Array, peerVersion: number | undefined, config: ListAnswerConfig): ListAnswer {
  const decoded = decodeDseg(payload, peerVersion === DSEG_TXIN_PROTOCOL);
  if (decoded.kind === "error") return { send: config.synced ? [malformed("dseg")] : [], outcome: "dseg" };
  const outpoint = decoded.value;
  if (isNullOutpoint(outpoint)) return { send: [], outcome: "list-request" };
  if (!config.synced || config.lookup === undefined) return { send: [], outcome: "dseg" };
  const listed = config.lookup.entry(outpoint);
  if (listed === undefined || unsentAddress(listed.announce.addr.ip)) return { send: [], outcome: "dseg" };
  const { announceInv, pingInv } = config.lookup.inv;
  const inv = encodeInv([
    { type: announceInv, hash: listed.announceHash },
    { type: pingInv, hash: listed.pingHash },
  ]);
  return { send: [other("inv", inv)], outcome: "dseg" };
}

export function answerGetdata(payload: Uint8Array, config: ListAnswerConfig): ListAnswer {
  const decoded = decodeInv(payload, "getdata");
  if (decoded.kind === "error") {
    // Over MAX_INV_SZ entries the node only adds misbehaviour points; a short read is "end of data".
    return { send: decoded.error.code === "too-large" ? [] : [malformed("getdata")], outcome: "getdata" };
  }
  const send: P2pMessage[] = [];
  const notFound: InvEntry[] = [];
  const lookup = config.lookup;
  for (const e of decoded.value) {
    const announce = lookup !== undefined && e.type === lookup.inv.announceInv ? lookup.announceByHash(e.hash) : undefined;
    const ping = lookup !== undefined && announce === undefined && e.type === lookup.inv.pingInv ? lookup.pingByHash(e.hash) : undefined;
    if (announce !== undefined) send.push(other("mnb", encodeAnnounce(announce)));
    else if (ping !== undefined) send.push(other("mnp", encodePing(ping)));
    else notFound.push(e);
  }
  if (notFound.length > 0) send.push(other("notfound", encodeInv(notFound)));
  return { send, outcome: "getdata" };
}

/**
 * SyncSingle skips `addr.IsRFC1918() || (MainNet() && addr.IsLocal())`: 10/8, 172.16/12,
 * 192.168/16, and (netaddress.cpp IsLocal) 127/8, 0/8 and ::1.
 */
export function unsentAddress(ip: string): boolean {
  if (!ipaddr.isValid(ip)) return false;
  const parsed = ipaddr.process(ip);
  if (parsed.kind() === "ipv6") return parsed.toNormalizedString() === "0:0:0:0:0:0:0:1";
  const [a, b] = (parsed as ipaddr.IPv4).octets as [number, number, number, number];
  return a === 10 || a === 127 || a === 0 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
}
