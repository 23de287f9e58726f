/**
 * A simulated network's SmartNode list (Core-Smart's mapSmartnodes), shared by every simulated node
 * of a process so that all of them answer `dseg` alike, as synced peers of one network do. Each
 * entry is built from a script that says what the network should think of the node now: a fresh
 * ping, a ping N minutes old, or none. Absent entries are outpoints the network does not know.
 *
 * Messages are rebuilt at each lookup from the injected clock, so a script's ages stay true while
 * the process runs. Keys and signatures are deterministic bytes of the right sizes (33-byte
 * compressed keys, 65-byte compact signatures) but NOT valid signatures: nothing here holds a key,
 * and nodeward never verifies these signatures (that needs the collateral's key from the chain).
 */
import { createHash } from "node:crypto";
import type { CoinProfile, SmartnodeListParams } from "../../coins/index.ts";
import { AppError } from "../../core/errors.ts";
import { announceHash, pingHash, type SmartnodeAnnounce, type SmartnodePing } from "../../netview/codec.ts";
import { checkOutpoint, outpointKey, type Outpoint } from "../../netview/outpoint.ts";
import { ipToBytes } from "../../p2p/netaddr.ts";

export type PingScript = "fresh" | { staleMinutes: number } | "none";

export interface ListingScript {
  outpoint: Outpoint;
  /**
   * The service the announce names. Peers never hand out an entry whose address is RFC 1918 or
   * local (SyncSingle), and neither does the simulator: use public or RFC 2544 / 5737 addresses.
   */
  addr: { ip: string; port: number };
  /** "fresh": pinged at the last 20-minute mark (always less than 20 minutes old); "none": no ping. */
  ping: PingScript;
  /** Default: the coin's protocol version. */
  protocolVersion?: number;
  /** When the announce was signed; default 30 days ago (ENABLED, not PRE_ENABLED). */
  startedMinutesAgo?: number;
}

export interface ListedSmartnode {
  announce: SmartnodeAnnounce;
  /** What `mnp` carries: the announce's last ping, or the empty ping when it has none (PushDsegInvs sends that too). */
  ping: SmartnodePing;
  announceHash: string;
  pingHash: string;
}

/** What a simulated node's responder reads. */
export interface SmartnodeLookup {
  /** The inventory types this network's `inv` and `getdata` name (profile.smartnodeList). */
  readonly inv: Pick<SmartnodeListParams, "announceInv" | "pingInv">;
  /** The entry as `dseg` finds it now; its hashes are remembered for a later `getdata`. */
  entry(outpoint: Outpoint): ListedSmartnode | undefined;
  /** What a `getdata` finds: messages some node of this network announced (mapSeenSmartnodeBroadcast / Ping). */
  announceByHash(hash: string): SmartnodeAnnounce | undefined;
  pingByHash(hash: string): SmartnodePing | undefined;
}

export interface NetworkList extends SmartnodeLookup {
  /** Adds or replaces the entry for script.outpoint. Throws a USAGE error for a script no node could announce. */
  set(script: ListingScript): void;
  /** The network forgets the outpoint (it answers `dseg` for it with silence). */
  remove(outpoint: Outpoint): boolean;
  script(outpoint: Outpoint): ListingScript | undefined;
  readonly size: number;
}

/** SMARTNODE_MIN_MNP_SECONDS: a SmartNode pings every 20 minutes. */
const PING_INTERVAL_SECONDS = 20 * 60;
const DEFAULT_STARTED_MINUTES = 30 * 24 * 60;
/** DEFAULT_SENTINEL_VERSION (smartnode.h); SmartCash runs no sentinel. */
const SENTINEL = { current: false, version: 0x010001 } as const;
const NULL_OUTPOINT: Outpoint = { txid: "0".repeat(64), index: 0xffffffff };
/** CSmartnodePing(): what PushDsegInvs relays for an entry that has no ping. */
export const EMPTY_PING: SmartnodePing = { outpoint: NULL_OUTPOINT, blockHash: "0".repeat(64), sigTime: 0, signature: new Uint8Array(0), sentinel: SENTINEL };
/** How many announced messages `getdata` can still find (Core prunes its maps; a bound is enough here). */
const SEEN_LIMIT = 20_000;

export function createNetworkList(opts: { coin: CoinProfile; now?: () => number }): NetworkList {
  const params = opts.coin.smartnodeList;
  const coinProtocol = opts.coin.p2p?.protocolVersion;
  if (params === undefined || coinProtocol === undefined) throw new AppError("USAGE", `coin ${opts.coin.id} has no SmartNode list that peers answer dseg from`);
  const now = opts.now ?? Date.now;
  const scripts = new Map<string, ListingScript>();
  const seen = new Map<string, { announce?: SmartnodeAnnounce; ping?: SmartnodePing }>();
  const remember = (hash: string, value: { announce?: SmartnodeAnnounce; ping?: SmartnodePing }) => {
    seen.delete(hash);
    seen.set(hash, value);
    if (seen.size > SEEN_LIMIT) seen.delete(seen.keys().next().value!);
  };
  return {
    inv: { announceInv: params.announceInv, pingInv: params.pingInv },
    set: (script) => {
      const checked = checkScript(script);
      scripts.set(outpointKey(checked.outpoint), checked);
    },
    remove: (o) => scripts.delete(outpointKey(o)),
    script: (o) => scripts.get(outpointKey(o)),
    get size() {
      return scripts.size;
    },
    entry: (o) => {
      const script = scripts.get(outpointKey(o));
      if (script === undefined) return undefined;
      const listed = buildEntry(script, Math.floor(now() / 1000), coinProtocol);
      remember(listed.announceHash, { announce: listed.announce });
      remember(listed.pingHash, { ping: listed.ping });
      return listed;
    },
    announceByHash: (h) => seen.get(h)?.announce,
    pingByHash: (h) => seen.get(h)?.ping,
  };
}

/** The announce and ping the script describes at `nowSeconds`. */
export function buildEntry(script: ListingScript, nowSeconds: number, coinProtocol: number): ListedSmartnode {
  const startedAt = nowSeconds - (script.startedMinutesAgo ?? DEFAULT_STARTED_MINUTES) * 60;
  const p = script.ping;
  // A node's announce carries its first ping: a fresh ping is never older than the announce, a stale one never younger.
  const pingAt = p === "none" ? undefined : p === "fresh" ? Math.max(nowSeconds - (nowSeconds % PING_INTERVAL_SECONDS), startedAt) : Math.floor(nowSeconds - p.staleMinutes * 60);
  const sigTime = pingAt === undefined ? startedAt : Math.min(startedAt, pingAt);
  const key = outpointKey(script.outpoint);
  const lastPing: SmartnodePing | null =
    pingAt === undefined
      ? null
      : { outpoint: script.outpoint, blockHash: blockHashAt(pingAt), sigTime: pingAt, signature: fakeSignature(`ping ${key} ${pingAt}`), sentinel: SENTINEL };
  const announce: SmartnodeAnnounce = {
    outpoint: script.outpoint,
    scriptSig: new Uint8Array(0),
    sequence: 0xffffffff,
    addr: { ip: script.addr.ip, port: script.addr.port },
    collateralPubKey: fakePubKey(`collateral ${key}`),
    smartnodePubKey: fakePubKey(`smartnode ${key}`),
    signature: fakeSignature(`announce ${key} ${sigTime}`),
    sigTime,
    protocolVersion: script.protocolVersion ?? coinProtocol,
    lastPing,
  };
  const ping = lastPing ?? EMPTY_PING;
  return { announce, ping, announceHash: announceHash(announce), pingHash: pingHash(ping) };
}

function checkScript(s: ListingScript): ListingScript {
  const o = checkOutpoint(s.outpoint.txid, s.outpoint.index);
  if (!o.ok) throw new AppError("USAGE", `a simulated SmartNode needs a collateral outpoint: ${o.message}`);
  try {
    ipToBytes(s.addr.ip);
  } catch {
    throw new AppError("USAGE", `the announced address must be an IPv4 or IPv6 address, got ${JSON.stringify(clip(String(s.addr.ip)))}`);
  }
  if (!Number.isInteger(s.addr.port) || s.addr.port < 1 || s.addr.port > 65535) throw new AppError("USAGE", `port must be 1–65535, got ${s.addr.port}`);
  const minutes = (name: string, v: number | undefined) => {
    if (v !== undefined && !(Number.isFinite(v) && v >= 0 && v <= 10_000_000)) throw new AppError("USAGE", `${name} must be a number of minutes from 0 to 10,000,000, got ${v}`);
  };
  if (typeof s.ping === "object") minutes("staleMinutes", s.ping.staleMinutes);
  else if (s.ping !== "fresh" && s.ping !== "none") throw new AppError("USAGE", `ping must be "fresh", "none" or {staleMinutes}, got ${clip(JSON.stringify(s.ping) ?? String(s.ping))}`);
  minutes("startedMinutesAgo", s.startedMinutesAgo);
  if (s.protocolVersion !== undefined && !(Number.isInteger(s.protocolVersion) && s.protocolVersion >= 0 && s.protocolVersion <= 0x7fffffff)) {
    throw new AppError("USAGE", `protocolVersion must be an int32, got ${s.protocolVersion}`);
  }
  return { ...s, outpoint: o.outpoint, addr: { ...s.addr }, ping: typeof s.ping === "object" ? { ...s.ping } : s.ping };
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

function sha256(text: string): Buffer {
  return createHash("sha256").update(`nodeward-sim ${text}`).digest();
}

/** A compressed-key shape (0x02/0x03 + 32 bytes); not a point anyone holds the key of. */
function fakePubKey(seed: string): Uint8Array {
  const h = sha256(seed);
  return Uint8Array.of(0x02 | (h[0]! & 1), ...h);
}

/** A compact-signature shape (header 31 = compressed, recid 0, then r and s): not verifiable. */
function fakeSignature(seed: string): Uint8Array {
  return Uint8Array.of(31, ...sha256(`${seed} r`), ...sha256(`${seed} s`));
}

/** Display hex with leading zeros, as a block hash looks; stands for the block the ping names. */
function blockHashAt(seconds: number): string {
  return `000000${sha256(`block ${seconds}`).toString("hex").slice(6)}`;
}
