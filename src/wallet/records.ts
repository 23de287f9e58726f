/**
 * Wallet records, told apart by their key: a CompactSize length, then the record type as text,
 * then the type's payload (Bitcoin-family `walletdb.cpp`, pywallet/bitcoin2john `parse_wallet`).
 * Pure: keys in, counts and a verdict out.
 */

/** Record types that say something about key encryption. */
export const KEY_TYPES = {
  /** The master key, encrypted with the passphrase: present ⇔ the wallet is encrypted. */
  mkey: "master key (wallet is encrypted)",
  ckey: "encrypted private key",
  key: "PLAINTEXT private key",
  wkey: "PLAINTEXT private key (old format)",
  hdchain: "HD chain (holds the seed in Dash-lineage wallets; only metadata in Bitcoin Core)",
  chdchain: "encrypted HD seed chain",
  walletdescriptorkey: "PLAINTEXT descriptor private key",
  walletdescriptorckey: "encrypted descriptor private key",
} as const;
export type KeyType = keyof typeof KEY_TYPES;

// hdchain is not counted: Bitcoin Core keeps it (seed id only) in encrypted wallets too.
const PLAIN: readonly KeyType[] = ["key", "wkey", "walletdescriptorkey"];
const CRYPTED: readonly KeyType[] = ["ckey", "walletdescriptorckey", "chdchain"];

/** The record type of a key, or null when it does not start with a length-prefixed type name. */
export function recordType(key: Uint8Array): string | null {
  const first = key[0];
  if (first === undefined || first === 0 || first >= 0xfd) return null; // type names are short; 0xfd+ would be a multi-byte size
  if (1 + first > key.length) return null;
  const name = key.subarray(1, 1 + first);
  for (const b of name) if (b < 0x21 || b > 0x7e) return null;
  return String.fromCharCode(...name);
}

export type EncryptionState =
  /** mkey present, and only encrypted key records. */
  | "encrypted"
  /** No mkey, plaintext private keys present. */
  | "unencrypted"
  /** mkey present but plaintext key records too: a half-encrypted or tampered wallet. */
  | "mixed"
  /** Encrypted key records but no mkey: the master key is missing, the keys cannot be unlocked. */
  | "missing-master-key"
  /** No private key records at all (watch-only or empty). */
  | "no-keys";

export interface RecordCounts {
  total: number;
  /** Count per record type name, for every type seen. */
  types: Record<string, number>;
}

export function countTypes(keys: Iterable<Uint8Array>): RecordCounts {
  const c = newCounts();
  for (const k of keys) addKey(c, k);
  return c;
}

export function newCounts(): RecordCounts {
  return { total: 0, types: {} };
}

export function addKey(c: RecordCounts, key: Uint8Array): void {
  c.total++;
  const t = recordType(key) ?? "(unrecognised)";
  c.types[t] = (c.types[t] ?? 0) + 1;
}

/** Encrypted ⇔ an mkey record exists (bitcoin2john's rule), cross-checked against the key records. */
export function encryptionState(c: RecordCounts): EncryptionState {
  const n = (t: KeyType) => c.types[t] ?? 0;
  const plain = PLAIN.reduce((s, t) => s + n(t), 0);
  const crypted = CRYPTED.reduce((s, t) => s + n(t), 0);
  if (n("mkey") > 0) return plain > 0 ? "mixed" : "encrypted";
  if (plain > 0) return "unencrypted";
  if (crypted > 0) return "missing-master-key";
  return "no-keys";
}

/** Just the counts of the types in KEY_TYPES (for reports). */
export function keyCounts(c: RecordCounts): Partial<Record<KeyType, number>> {
  const out: Partial<Record<KeyType, number>> = {};
  for (const t of Object.keys(KEY_TYPES) as KeyType[]) if (c.types[t]) out[t] = c.types[t];
  return out;
}
