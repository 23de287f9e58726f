/**
 * The two message-checksum hashes of the Bitcoin family. SmartCash uses one Keccak-256 (the
 * original Keccak padding, as Ethereum does — not FIPS SHA3-256); Bitcoin and most forks use
 * double SHA-256. NOTES §0 and §1.5. Keccak is our own (keccak.ts), twice as fast as @noble/hashes'
 * on the short messages every probe and network query reads.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import type { P2pChecksum } from "../coins/index.ts";
import { keccak256, keccak256Word } from "./keccak.ts";

/** The full 32-byte hash the checksum is cut from (also the block-header hash of the same chain). */
export function wireHash(kind: P2pChecksum, data: Uint8Array): Uint8Array {
  return kind === "keccak256" ? keccak256(data) : sha256(sha256(data));
}

/** The checksum of an empty payload (verack, getaddr, …), per kind: computed once, as every probe sends and receives one. */
const emptyChecksum = new Map<P2pChecksum, Uint8Array>();

/** First 4 bytes of `wireHash`: the checksum field of a message header. The result must not be modified. */
export function checksumOf(kind: P2pChecksum, payload: Uint8Array): Uint8Array {
  if (payload.length === 0) {
    let c = emptyChecksum.get(kind);
    if (c === undefined) emptyChecksum.set(kind, (c = wireHash(kind, payload).subarray(0, 4)));
    return c;
  }
  return wireHash(kind, payload).subarray(0, 4);
}

/**
 * The checksum as the little-endian uint32 of its 4 bytes, as a frame reader compares it with the
 * header's: no bytes allocated for SmartCash's Keccak, whose every message read is checked.
 */
export function checksumWord(kind: P2pChecksum, payload: Uint8Array): number {
  if (kind === "keccak256") return keccak256Word(payload);
  const c = checksumOf(kind, payload);
  return (c[0]! | (c[1]! << 8) | (c[2]! << 16) | (c[3]! << 24)) >>> 0;
}

export function sameChecksum(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === 4 && b.length === 4 && a[0] === b[0] && a[1] === b[1] && a[2] === b[2] && a[3] === b[3];
}

export function otherChecksum(kind: P2pChecksum): P2pChecksum {
  return kind === "keccak256" ? "sha256d" : "keccak256";
}
