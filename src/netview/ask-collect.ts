/**
 * What ask-session.ts keeps of the peer's `inv`, `mnb` and `mnp` messages, with the checks that
 * can be made without the chain. Each returns whether it brought something new (a new inv entry,
 * an answer to a getdata), which keeps the round open for another quiet period.
 *
 * An inv cannot be tied to an outpoint before its message arrives (its hash covers the signing
 * time), and peers relay other SmartNodes' pings to us unasked: so every entry of the list's two
 * types is fetched, and a message for an outpoint we did not ask about is dropped, not held against
 * the peer. A message for an outpoint we asked about whose own hash no getdata of ours named is
 * the peer answering with something else than it announced: that outpoint's answer is malformed.
 */
import type { SmartnodeListParams } from "../coins/index.ts";
import { announceHashOf, decodeAnnounce, decodeInv, decodePing, pingHashOf, type SmartnodeAnnounce, type SmartnodePing } from "./codec.ts";
import { outpointKey, type Outpoint } from "./outpoint.ts";

/** What one connection has gathered; bounded by the outpoints asked and `maxEntries`. */
export interface Collected {
  /** outpointKey → outpoint, the outpoints this connection asks about. */
  asked: ReadonlyMap<string, Outpoint>;
  /** Every accepted inv entry of the list's types: hash (wire hex) → inv type. */
  entries: Map<string, number>;
  maxEntries: number;
  /** Hashes a getdata of ours named, and those whose message came. */
  requested: Set<string>;
  received: Set<string>;
  /** Per asked outpoint: the newest announce and the freshest ping that passed the checks. */
  announces: Map<string, SmartnodeAnnounce>;
  pings: Map<string, SmartnodePing>;
  /** Per asked outpoint: why its answer is malformed. */
  wrong: Map<string, string>;
  /** The first sign that this peer's stream cannot be trusted (bad frames, undecodable entries). */
  taint: string | undefined;
}


export function takeInv(s: Collected, payload: Uint8Array, list: Pick<SmartnodeListParams, "announceInv" | "pingInv">): boolean {
  const inv = decodeInv(payload);
  if (inv.kind === "error") {
    s.taint ??= `an inv that does not decode: ${inv.error.field} (${inv.error.detail})`;
    return false;
  }
  let fresh = false;
  for (const e of inv.value) {
    if ((e.type !== list.announceInv && e.type !== list.pingInv) || s.entries.has(e.hash)) continue;
    if (s.entries.size >= s.maxEntries) {
      // Our own entries may be among those dropped: what this peer did not list cannot be trusted.
      s.taint ??= `more than ${s.maxEntries} SmartNode inv entries on one connection; the rest were dropped`;
      return fresh;
    }
    s.entries.set(e.hash, e.type);
    fresh = true;
  }
  return fresh;
}

export function takeAnnounce(s: Collected, payload: Uint8Array): boolean {
  const d = decodeAnnounce(payload);
  if (d.kind === "error") {
    s.taint ??= `an mnb that does not decode: ${d.error.field} (${d.error.detail})`;
    return false;
  }
  const a = d.value;
  // Decoded, so its own bytes hash: announceHash(a) without writing it again.
  const hash = announceHashOf(payload)!;
  const fresh = s.requested.has(hash) && !s.received.has(hash);
  if (fresh) s.received.add(hash);
  const key = outpointKey(a.outpoint);
  if (!s.asked.has(key)) return fresh;
  if (!s.requested.has(hash)) {
    s.wrong.set(key, `sent an announce (mnb, hash ${hash}) that none of the inv entries we fetched named`);
  } else if (a.lastPing !== null && outpointKey(a.lastPing.outpoint) !== key) {
    s.wrong.set(key, `sent an announce whose embedded ping names another outpoint (${outpointKey(a.lastPing.outpoint)})`);
  } else {
    const held = s.announces.get(key);
    if (held === undefined || a.sigTime > held.sigTime) s.announces.set(key, a);
  }
  return fresh;
}

export function takePing(s: Collected, payload: Uint8Array): boolean {
  const d = decodePing(payload);
  if (d.kind === "error") {
    s.taint ??= `an mnp that does not decode: ${d.error.field} (${d.error.detail})`;
    return false;
  }
  const p = d.value;
  const hash = pingHashOf(payload)!;
  const fresh = s.requested.has(hash) && !s.received.has(hash);
  if (fresh) s.received.add(hash);
  const key = outpointKey(p.outpoint);
  if (!s.asked.has(key)) return fresh;
  if (!s.requested.has(hash)) {
    s.wrong.set(key, `sent a ping (mnp, hash ${hash}) that none of the inv entries we fetched named`);
  } else {
    const held = s.pings.get(key);
    if (held === undefined || p.sigTime > held.sigTime) s.pings.set(key, p);
  }
  return fresh;
}
