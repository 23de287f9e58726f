/**
 * Golden vectors for the netview codec, written by hand field by field from SmartCash/Core-Smart
 * @0f6029c1 (the line numbers below are of that commit; read them with
 * `git -C /work/.mirror/SmartCash+Core-Smart/repo show HEAD:<path>`). The encoder never builds a
 * golden: each is checked both ways, decode(golden) = value and encode(value) = golden.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { findCoin } from "../coins/index.ts";
import type { DecodeError, Decoded } from "../p2p/wire.ts";
import {
  announceHash,
  announceHashOf,
  decodeAnnounce,
  decodeDseg,
  decodeInv,
  decodePing,
  encodeAnnounce,
  encodeDseg,
  encodeInv,
  encodePing,
  pingHash,
  pingHashOf,
  type InvEntry,
  type SmartnodeAnnounce,
  type SmartnodePing,
} from "./codec.ts";

/** Hex with blanks allowed; refuses anything else so a typo cannot silently shorten a vector. */
function hex(text: string): Uint8Array {
  const bare = text.replace(/\s+/g, "");
  assert.match(bare, /^(?:[0-9a-f]{2})*$/, `not hex: ${bare}`);
  return Uint8Array.from(Buffer.from(bare, "hex"));
}
const hexOf = (b: Uint8Array) => Buffer.from(b).toString("hex");
const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
const join = (fields: Record<string, string>) => Object.values(fields).join("");

function ok<T>(d: Decoded<T>): T {
  assert.equal(d.kind, "ok", d.kind === "error" ? JSON.stringify(d.error) : "");
  return (d as { value: T }).value;
}

function err<T>(d: Decoded<T>): DecodeError {
  assert.equal(d.kind, "error", "decoded where an error was expected");
  return (d as { error: DecodeError }).error;
}

// --- the values -------------------------------------------------------------------------------

/** Display form (as explorers print it). No 8- or 16-byte period, so a half-reversal cannot pass. */
const TXID = "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20";
/** The same uint256 as it lies on the wire: uint256::GetHex prints data[31] first (uint256.cpp:25). */
const TXID_WIRE = "201f1e1d1c1b1a191817161514131211100f0e0d0c0b0a090807060504030201";
const BLOCK = "0000000000001111222233334444555566667777888899990000aaaabbbbcccc";
const BLOCK_WIRE = "ccccbbbbaaaa0000999988887777666655554444333322221111000000000000";
/** 65-byte compact signatures (recovery id byte, then 64 bytes). */
const PING_SIG = "1f" + "ab".repeat(64);
const MNB_SIG = "20" + "cd".repeat(64);
const COLLATERAL_KEY = "02" + "c1".repeat(32);
const SMARTNODE_KEY = "03" + "5e".repeat(32);
const ZERO32 = "00".repeat(32);

/** CSmartnodePing under SER_NETWORK (smartnode.h:51–75), with the sentinel fields. */
const PING_FIELDS = {
  // smartnode.h:52–59 SER_NETWORK: READWRITE(txin) with txin = CTxIn(outpoint); CTxIn is prevout, scriptSig, nSequence (transaction.h:116–118)
  prevoutHash: TXID_WIRE, // transaction.h:38 COutPoint READWRITE(hash): uint256 raw (uint256.h:102), the txid reversed
  prevoutN: "01000000", // transaction.h:39 READWRITE(n): uint32 LE (serialize.h:231), output 1
  scriptSig: "00", // transaction.h:117 CScript: CompactSize 0, empty (CTxIn(outpoint) default, transaction.h:109)
  sequence: "ffffffff", // transaction.h:118 nSequence = SEQUENCE_FINAL 0xffffffff (transaction.h:79)
  blockHash: BLOCK_WIRE, // smartnode.h:64 READWRITE(blockHash): uint256 raw, display hex reversed
  sigTime: "00f1536500000000", // smartnode.h:65 READWRITE(sigTime): int64 LE (serialize.h:232) 1700000000
  vchSig: "41" + PING_SIG, // smartnode.h:66 READWRITE(vchSig): CompactSize 65 then the bytes (serialize.h:794–796)
  fSentinelIsCurrent: "01", // smartnode.h:73 bool, one byte (serialize.h:250)
  nSentinelVersion: "00020100", // smartnode.h:74 uint32 LE 0x010200 ("1.2.0", MSB 0: smartnode.h:41)
};
const PING: SmartnodePing = {
  outpoint: { txid: TXID, index: 1 },
  blockHash: BLOCK,
  sigTime: 1_700_000_000,
  signature: hex(PING_SIG),
  sentinel: { current: true, version: 0x010200 },
};

/** An older sender stops after vchSig; smartnode.h:67–72 reads the sentinel only when `s.size() != 0`. */
const { fSentinelIsCurrent: _c, nSentinelVersion: _v, ...PING_NO_SENTINEL_FIELDS } = PING_FIELDS;
const { sentinel: _s, ...PING_NO_SENTINEL } = PING;

/** CSmartnodeBroadcast (smartnode.h:331–341) announcing [::ffff:203.0.113.5]:9678. */
const MNB_V4_FIELDS = {
  vinPrevoutHash: TXID_WIRE, // smartnode.h:333 READWRITE(vin): CTxIn prevout.hash (transaction.h:116, :38), txid reversed
  vinPrevoutN: "01000000", // transaction.h:39 n, uint32 LE
  vinScriptSig: "00", // transaction.h:117 empty script (SimpleCheck rejects any other, smartnode.cpp:460)
  vinSequence: "ffffffff", // transaction.h:118 SEQUENCE_FINAL
  addrIp: "00000000000000000000ffff" + "cb007105", // smartnode.h:334 READWRITE(addr): CService ip[16] (netaddress.h:168), IPv4 mapped ::ffff:203.0.113.5
  addrPort: "25ce", // netaddress.h:169–170 htons(port): big-endian 9678
  pubKeyCollateralAddress: "21" + COLLATERAL_KEY, // smartnode.h:335 CPubKey: CompactSize 33 then the key (pubkey.h:124–128)
  pubKeySmartnode: "21" + SMARTNODE_KEY, // smartnode.h:336 CPubKey, compressed 0x03 key
  vchSig: "41" + MNB_SIG, // smartnode.h:337 vector: CompactSize 65 then the signature
  sigTime: "f0c9536500000000", // smartnode.h:338 int64 LE 1699990000 (10,000 s before the ping)
  nProtocolVersion: "b35f0100", // smartnode.h:339 int32 LE (serialize.h:230) 90035
  lastPing: join(PING_FIELDS), // smartnode.h:340 READWRITE(lastPing): the CSmartnodePing above, same SER_NETWORK stream
};
const MNB_V4: SmartnodeAnnounce = {
  outpoint: { txid: TXID, index: 1 },
  scriptSig: new Uint8Array(0),
  sequence: 0xffffffff,
  addr: { ip: "203.0.113.5", port: 9678 },
  collateralPubKey: hex(COLLATERAL_KEY),
  smartnodePubKey: hex(SMARTNODE_KEY),
  signature: hex(MNB_SIG),
  sigTime: 1_699_990_000,
  protocolVersion: 90035,
  lastPing: PING,
};

/** The same announce at [2001:db8::1]:19678, protocol 90028, its ping without the sentinel fields. */
const MNB_V6_FIELDS = {
  ...MNB_V4_FIELDS,
  addrIp: "20010db8000000000000000000000001", // netaddress.h:168 ip[16] "in network byte order" (netaddress.h:33): 2001:db8::1
  addrPort: "4cde", // netaddress.h:169 htons: big-endian 19678
  nProtocolVersion: "ac5f0100", // smartnode.h:339 int32 LE 90028
  lastPing: join(PING_NO_SENTINEL_FIELDS), // smartnode.h:67–72: the stream ends after vchSig, the sentinel keeps its defaults
};
const MNB_V6: SmartnodeAnnounce = { ...MNB_V4, addr: { ip: "2001:db8::1", port: 19678 }, protocolVersion: 90028, lastPing: PING_NO_SENTINEL };

/** CSmartnodePing() as CSmartnodeBroadcast::Create leaves it before the first ping: the "empty ping". */
const EMPTY_PING_FIELDS = {
  prevoutHash: ZERO32, // smartnode.h:36 outpoint{}: COutPoint() calls SetNull (transaction.h:31, :42), zero hash
  prevoutN: "ffffffff", // transaction.h:42 n = (uint32_t)-1
  scriptSig: "00", // smartnode.h:58 CTxIn(outpoint): empty script (transaction.h:109)
  sequence: "ffffffff", // transaction.h:109 SEQUENCE_FINAL
  blockHash: ZERO32, // smartnode.h:37 blockHash{}
  sigTime: "0000000000000000", // smartnode.h:38 sigTime{}
  vchSig: "00", // smartnode.h:39 vchSig{}: CompactSize 0
  fSentinelIsCurrent: "00", // smartnode.h:40 false
  nSentinelVersion: "01000100", // smartnode.h:42 DEFAULT_SENTINEL_VERSION 0x010001 (smartnode.h:31), uint32 LE
};
const MNB_EMPTY_PING_FIELDS = { ...MNB_V4_FIELDS, lastPing: join(EMPTY_PING_FIELDS) };
// smartnode.h:95–98 operator== compares outpoint and blockHash only; IsPingedWithin (smartnode.h:227) treats it as no ping.
const MNB_EMPTY_PING: SmartnodeAnnounce = { ...MNB_V4, lastPing: null };

/** `inv` after a dseg (smartnodeman.cpp:978–979) and the `getdata` that answers it: vector<CInv>. */
const INV_FIELDS = {
  count: "02", // net_processing.cpp:1280–1281 vRecv >> vector<CInv>: CompactSize 2 (serialize.h:794 WriteCompactSize)
  type0: "0e000040", // protocol.h:363 READWRITE(type) int32 LE: MSG_SMARTNODE_ANNOUNCE = 0x4000000e (protocol.h:404, see the enum test)
  hash0: "0123456789abcdef".repeat(4), // protocol.h:364 READWRITE(hash): uint256 raw, no reversal in InvEntry.hash
  type1: "0f000040", // MSG_SMARTNODE_PING = 0x4000000f (protocol.h:405)
  hash1: "fedcba9876543210".repeat(4),
};
const INV: InvEntry[] = [
  { type: 0x4000000e, hash: "0123456789abcdef".repeat(4) },
  { type: 0x4000000f, hash: "fedcba9876543210".repeat(4) },
];

// --- the tests --------------------------------------------------------------------------------

describe("dseg golden vectors", () => {
  // smartnodeman.cpp:878 `vRecv >> outpoint` (peers above 90025); AskForMN writes the same (smartnodeman.cpp:118).
  const DSEG = { hash: TXID_WIRE /* transaction.h:38 uint256 raw, txid reversed */, n: "01000000" /* transaction.h:39 uint32 LE */ };

  it("encodes and decodes one COutPoint: 32-byte reversed txid, uint32 LE index", () => {
    assert.equal(hexOf(encodeDseg({ txid: TXID, index: 1 })), join(DSEG));
    assert.deepEqual(ok(decodeDseg(hex(join(DSEG)))), { txid: TXID, index: 1 });
  });

  it("decodes the CTxIn form a protocol-90025 peer sends (smartnodeman.cpp:873–876)", () => {
    const txIn = join(DSEG) + "00" /* transaction.h:117 empty scriptSig */ + "ffffffff"; /* transaction.h:118 nSequence */
    assert.deepEqual(ok(decodeDseg(hex(txIn), true)), { txid: TXID, index: 1 });
  });

  it("refuses the null outpoint: it asks for the whole list (smartnodeman.cpp:883–884), which mainnet punishes (Misbehaving 34, :946)", () => {
    assert.throws(() => encodeDseg({ txid: ZERO32, index: 0xffffffff }), /null outpoint/);
    // Values that the wire would turn into the null outpoint are refused too.
    assert.throws(() => encodeDseg({ txid: ZERO32, index: -1 }), /0–4294967295/);
    assert.throws(() => encodeDseg({ txid: "zz".repeat(32), index: 0xffffffff }), /64 hex digits/);
    assert.throws(() => encodeDseg({ txid: "", index: 0xffffffff }), /64 hex digits/);
  });

  it("gives typed errors for a short payload", () => {
    assert.deepEqual(err(decodeDseg(hex(join(DSEG)).subarray(0, 35))).code, "truncated");
    assert.equal(err(decodeDseg(hex(join(DSEG)).subarray(0, 35))).field, "dseg.outpoint.n");
    assert.equal(err(decodeDseg(new Uint8Array(0))).field, "dseg.outpoint.hash");
    assert.equal(err(decodeDseg(hex(join(DSEG)), true)).field, "dseg.vin.scriptSig");
  });
});

describe("inv and getdata golden vectors", () => {
  it("uses Core-Smart's inventory numbers: the enum runs on after MSG_FILTERED_WITNESS_BLOCK, CInv::GetCommand subtracts MSG_WITNESS_FLAG - 1", () => {
    const MSG_WITNESS_FLAG = 1 << 30; // protocol.h:379
    const MSG_FILTERED_WITNESS_BLOCK = 3 | MSG_WITNESS_FLAG; // protocol.h:391
    // protocol.h:394–405: MSG_TXLOCK_REQUEST … MSG_SMARTNODE_QUORUM, then ANNOUNCE, PING.
    const MSG_SMARTNODE_ANNOUNCE = MSG_FILTERED_WITNESS_BLOCK + 11;
    const MSG_SMARTNODE_PING = MSG_FILTERED_WITNESS_BLOCK + 12;
    assert.equal(MSG_SMARTNODE_ANNOUNCE, 0x4000000e);
    assert.equal(MSG_SMARTNODE_PING, 0x4000000f);
    // protocol.cpp:75–100 ppszTypeName (names from protocol.cpp:24–72), indexed with type - (MSG_WITNESS_FLAG - 1)
    // for types from MSG_TXLOCK_REQUEST up (protocol.cpp:292).
    const ppszTypeName = ["ERROR", "tx", "block", "filtered block", "cmpctblock", "ix", "txlvote", "spork", "mnw", "mnwb", "mvote", "mprop", "fbs", "fbvote", "mn quorum", "mnb", "mnp", "dstx", "proposal", "proposalvote", "mnv"];
    assert.equal(ppszTypeName[MSG_SMARTNODE_ANNOUNCE - (MSG_WITNESS_FLAG - 1)], "mnb");
    assert.equal(ppszTypeName[MSG_SMARTNODE_PING - (MSG_WITNESS_FLAG - 1)], "mnp");
    // Dash's 14 and 15 are below MSG_TXLOCK_REQUEST, so they index directly: "mn quorum" and "mnb", one off.
    assert.deepEqual([ppszTypeName[14], ppszTypeName[15]], ["mn quorum", "mnb"]);
    const list = findCoin("smartcash")!.smartnodeList!;
    assert.equal(list.announceInv, MSG_SMARTNODE_ANNOUNCE);
    assert.equal(list.pingInv, MSG_SMARTNODE_PING);
  });

  it("encodes and decodes an inv of one mnb and one mnp entry", () => {
    assert.equal(hexOf(encodeInv(INV)), join(INV_FIELDS));
    assert.deepEqual(ok(decodeInv(hex(join(INV_FIELDS)))), INV);
  });

  it("reads getdata with the same layout (net_processing.cpp:1378–1379) and names its fields getdata", () => {
    assert.deepEqual(ok(decodeInv(hex(join(INV_FIELDS)), "getdata")), INV);
    assert.equal(err(decodeInv(hex(join(INV_FIELDS)).subarray(0, 50), "getdata")).field, "getdata.entries");
  });

  it("decodes an empty inv and keeps a negative type as the int32 it is", () => {
    assert.deepEqual(ok(decodeInv(hex("00"))), []);
    assert.deepEqual(ok(decodeInv(hex("01" + "ffffffff" + ZERO32))), [{ type: -1, hash: ZERO32 }]);
  });

  it("refuses to encode a hash that is not 64 hex digits (Buffer.from would drop the rest and shift every entry)", () => {
    assert.throws(() => encodeInv([{ type: 0x4000000e, hash: "0123xyz" }]), /64 hex digits/);
    assert.throws(() => encodeInv([{ type: 0x4000000e, hash: "00".repeat(31) }]), /64 hex digits/);
  });

  it("rejects more than MAX_INV_SZ = 50,000 entries (net.h:56, net_processing.cpp:1282) as too-large", () => {
    const e = err(decodeInv(hex("fd51c3"))); // CompactSize 50,001
    assert.deepEqual([e.code, e.field], ["too-large", "inv.count"]);
    assert.equal(err(decodeInv(hex("ff" + "ffffffffffffffff"))).code, "too-large");
  });

  it("rejects non-canonical CompactSize forms as ReadCompactSize does (serialize.h:310, :316, :322)", () => {
    for (const count of ["fd0200", "fdfc00", "fe02000000", "feffff0000", "ff0200000000000000", "ffffffffff00000000"]) {
      const e = err(decodeInv(hex(count + join(INV_FIELDS).slice(2))));
      assert.deepEqual([e.code, e.field], ["non-canonical", "inv.count"], count);
    }
    // The smallest canonical 3-byte form is 253.
    assert.equal(err(decodeInv(hex("fdfd00"))).code, "truncated");
  });

  it("gives truncated for a count the payload cannot hold and for a cut entry", () => {
    assert.deepEqual(err(decodeInv(new Uint8Array(0))).code, "truncated");
    const cut = err(decodeInv(hex(join(INV_FIELDS)).subarray(0, 40)));
    assert.deepEqual([cut.code, cut.field], ["truncated", "inv.entries"]);
  });
});

describe("mnp golden vectors", () => {
  it("encodes and decodes a ping with the sentinel fields", () => {
    assert.equal(hexOf(encodePing(PING)), join(PING_FIELDS));
    assert.deepEqual(ok(decodePing(hex(join(PING_FIELDS)))), PING);
  });

  it("encodes and decodes a ping that stops after vchSig (smartnode.h:67–72)", () => {
    assert.equal(hexOf(encodePing(PING_NO_SENTINEL)), join(PING_NO_SENTINEL_FIELDS));
    const decoded = ok(decodePing(hex(join(PING_NO_SENTINEL_FIELDS))));
    assert.deepEqual(decoded, PING_NO_SENTINEL);
    assert.equal("sentinel" in decoded, false);
  });

  it("drops the ping's vin script and sequence as Core-Smart does (smartnode.h:55–56 keeps txin.prevout only)", () => {
    const fields = { ...PING_FIELDS, scriptSig: "02" + "abcd", sequence: "00000000" };
    assert.deepEqual(ok(decodePing(hex(join(fields)))), PING);
  });

  it("gives truncated when some but not all of the sentinel bytes are there (only s.size() == 0 skips them)", () => {
    const full = hex(join(PING_FIELDS));
    for (let cut = 1; cut <= 4; cut++) {
      const e = err(decodePing(full.subarray(0, full.length - cut)));
      assert.deepEqual([e.code, e.field], ["truncated", "mnp.nSentinelVersion"], `cut ${cut}`);
    }
  });

  it("gives typed errors for a cut signature, a huge or non-canonical signature length and a negative time", () => {
    const cutSig = err(decodePing(hex(join(PING_NO_SENTINEL_FIELDS)).subarray(0, 100)));
    assert.deepEqual([cutSig.code, cutSig.field], ["truncated", "mnp.vchSig"]);
    const huge = err(decodePing(hex(join({ ...PING_FIELDS, vchSig: "fe00000002" })))); // 32 MiB claimed
    assert.deepEqual([huge.code, huge.field], ["too-large", "mnp.vchSig"]);
    const longForm = err(decodePing(hex(join({ ...PING_FIELDS, vchSig: "fd4100" + PING_SIG }))));
    assert.deepEqual([longForm.code, longForm.field], ["non-canonical", "mnp.vchSig"]);
    const negative = err(decodePing(hex(join({ ...PING_FIELDS, sigTime: "ffffffffffffffff" }))));
    assert.deepEqual([negative.code, negative.field], ["invalid", "mnp.sigTime"]);
  });
});

describe("mnb golden vectors", () => {
  it("encodes and decodes an IPv4 announce with its embedded ping", () => {
    assert.equal(hexOf(encodeAnnounce(MNB_V4)), join(MNB_V4_FIELDS));
    assert.deepEqual(ok(decodeAnnounce(hex(join(MNB_V4_FIELDS)))), MNB_V4);
  });

  it("encodes and decodes an IPv6 announce, port big-endian, whose ping has no sentinel fields", () => {
    assert.equal(hexOf(encodeAnnounce(MNB_V6)), join(MNB_V6_FIELDS));
    assert.deepEqual(ok(decodeAnnounce(hex(join(MNB_V6_FIELDS)))), MNB_V6);
  });

  it("decodes the empty ping as lastPing null, and writes null as CSmartnodePing()", () => {
    assert.deepEqual(ok(decodeAnnounce(hex(join(MNB_EMPTY_PING_FIELDS)))), MNB_EMPTY_PING);
    assert.equal(hexOf(encodeAnnounce(MNB_EMPTY_PING)), join(MNB_EMPTY_PING_FIELDS));
  });

  it("treats a ping as empty by outpoint and blockHash alone, whatever its time and signature (smartnode.h:95–98)", () => {
    const fields = { ...MNB_V4_FIELDS, lastPing: join({ ...EMPTY_PING_FIELDS, sigTime: PING_FIELDS.sigTime, vchSig: PING_FIELDS.vchSig }) };
    assert.equal(ok(decodeAnnounce(hex(join(fields)))).lastPing, null);
    // A zero block hash under a real outpoint is not the empty ping.
    const named = { ...MNB_V4_FIELDS, lastPing: join({ ...PING_FIELDS, blockHash: ZERO32 }) };
    assert.deepEqual(ok(decodeAnnounce(hex(join(named)))).lastPing, { ...PING, blockHash: ZERO32 });
    // Nor is a null outpoint with a block hash.
    const nullOutpoint = { ...MNB_V4_FIELDS, lastPing: join({ ...PING_FIELDS, prevoutHash: ZERO32, prevoutN: "ffffffff" }) };
    assert.deepEqual(ok(decodeAnnounce(hex(join(nullOutpoint)))).lastPing, { ...PING, outpoint: { txid: ZERO32, index: 0xffffffff } });
  });

  it("keeps a non-empty vin script and its sequence (SimpleCheck rejects them; problemsOf reports it)", () => {
    const fields = { ...MNB_V4_FIELDS, vinScriptSig: "03" + "51ab52", vinSequence: "feffffff" };
    const decoded = ok(decodeAnnounce(hex(join(fields))));
    assert.deepEqual([hexOf(decoded.scriptSig), decoded.sequence], ["51ab52", 0xfffffffe]);
    assert.equal(hexOf(encodeAnnounce(decoded)), join(fields));
  });

  it("gives typed errors for cuts at each field, oversized keys and a bad time", () => {
    const full = hex(join(MNB_V4_FIELDS));
    const at = (name: keyof typeof MNB_V4_FIELDS) => {
      let offset = 0;
      for (const [k, v] of Object.entries(MNB_V4_FIELDS)) {
        if (k === name) return offset / 2;
        offset += v.length;
      }
      throw new Error(name);
    };
    const cases: [keyof typeof MNB_V4_FIELDS, number, string][] = [
      ["addrIp", 3, "mnb.addr.ip"],
      ["addrPort", 1, "mnb.addr.port"],
      ["pubKeyCollateralAddress", 10, "mnb.pubKeyCollateralAddress"],
      ["vchSig", 0, "mnb.vchSig"],
      ["nProtocolVersion", 2, "mnb.nProtocolVersion"],
      ["lastPing", 0, "mnb.lastPing.vin.prevout.hash"],
      ["lastPing", 50, "mnb.lastPing.blockHash"], // vin is 41 bytes, then 32 of block hash
    ];
    for (const [field, extra, name] of cases) {
      const e = err(decodeAnnounce(full.subarray(0, at(field) + extra)));
      assert.deepEqual([e.code, e.field], ["truncated", name], `${field}+${extra}`);
    }
    // pubkey.h:134 keeps at most 65 bytes; a longer key is never a valid one (peers drop the announce).
    const bigKey = err(decodeAnnounce(hex(join({ ...MNB_V4_FIELDS, pubKeySmartnode: "42" + "04".repeat(66) }))));
    assert.deepEqual([bigKey.code, bigKey.field], ["too-large", "mnb.pubKeySmartnode"]);
    const nonCanonical = err(decodeAnnounce(hex(join({ ...MNB_V4_FIELDS, pubKeyCollateralAddress: "fd2100" + COLLATERAL_KEY }))));
    assert.deepEqual([nonCanonical.code, nonCanonical.field], ["non-canonical", "mnb.pubKeyCollateralAddress"]);
    const future = err(decodeAnnounce(hex(join({ ...MNB_V4_FIELDS, sigTime: "0000000000002000" })))); // 2^61, past Number.MAX_SAFE_INTEGER
    assert.deepEqual([future.code, future.field], ["invalid", "mnb.sigTime"]);
  });
});

describe("announceHash and pingHash (the hashes inv names)", () => {
  // hash.h:161–188 CHashWriter: SHA256_Init, SHA256_Update, SHA256_Final into the uint256: ONE SHA-256, whose
  // bytes are the uint256 as inv carries it (no reversal in InvEntry.hash).

  it("hashes vin, pubKeyCollateralAddress and sigTime for the announce (smartnode.h:343–350)", () => {
    const preimage = {
      vin: TXID_WIRE + "01000000" + "00" + "ffffffff", // smartnode.h:346 ss << vin: the whole CTxIn as received
      pubKeyCollateralAddress: "21" + COLLATERAL_KEY, // smartnode.h:347 CPubKey with its CompactSize (pubkey.h:127)
      sigTime: "f0c9536500000000", // smartnode.h:348 int64 LE
    };
    const expected = sha256(hex(join(preimage)));
    assert.equal(announceHash(MNB_V4), expected);
    assert.notEqual(announceHash(MNB_V4), sha256(createHash("sha256").update(hex(join(preimage))).digest()), "not double SHA-256");
    // The address, smartnode key, signature, protocol and ping are not in it.
    assert.equal(announceHash({ ...MNB_V4, addr: { ip: "198.51.100.1", port: 1 }, smartnodePubKey: hex(COLLATERAL_KEY), signature: new Uint8Array(0), protocolVersion: 1, lastPing: null }), expected);
  });

  it("includes the announce's vin script and sequence, as received", () => {
    const preimage = { vin: TXID_WIRE + "01000000" + "02" + "abcd" + "00000000", key: "21" + COLLATERAL_KEY, sigTime: "f0c9536500000000" };
    assert.equal(announceHash({ ...MNB_V4, scriptSig: hex("abcd"), sequence: 0 }), sha256(hex(join(preimage))));
  });

  it("hashes CTxIn(outpoint) and sigTime for the ping (smartnode.h:77–84)", () => {
    const preimage = {
      vin: TXID_WIRE + "01000000" + "00" + "ffffffff", // smartnode.h:80–81 CTxIn vin(outpoint): empty script, SEQUENCE_FINAL (transaction.h:109)
      sigTime: "00f1536500000000", // smartnode.h:82 int64 LE
    };
    const expected = sha256(hex(join(preimage)));
    assert.equal(pingHash(PING), expected);
    // Block hash, signature and sentinel are not in it.
    assert.equal(pingHash({ ...PING_NO_SENTINEL, blockHash: ZERO32, signature: new Uint8Array(0) }), expected);
  });
});

describe("announceHashOf and pingHashOf (the same hashes from the message's own bytes)", () => {
  it("agree with announceHash and pingHash on every announce and ping above", () => {
    for (const [fields, value] of [[MNB_V4_FIELDS, MNB_V4], [MNB_V6_FIELDS, MNB_V6], [MNB_EMPTY_PING_FIELDS, { ...MNB_V4, lastPing: null }]] as const) {
      assert.equal(announceHashOf(hex(join(fields))), announceHash(value));
    }
    assert.equal(pingHashOf(hex(join(PING_FIELDS))), pingHash(PING));
    assert.equal(pingHashOf(hex(join(PING_NO_SENTINEL_FIELDS))), pingHash(PING_NO_SENTINEL));
  });

  it("keep the announce's vin script and sequence as sent, and hash the ping's vin as CTxIn(outpoint) whatever it carried", () => {
    const mnb = { ...MNB_V4_FIELDS, vinScriptSig: "02" + "abcd", vinSequence: "00000000" };
    assert.equal(announceHashOf(hex(join(mnb))), announceHash({ ...MNB_V4, scriptSig: hex("abcd"), sequence: 0 }));
    // smartnode.h:80 GetHash builds `CTxIn vin(outpoint)`: empty script, SEQUENCE_FINAL.
    const mnp = { ...PING_FIELDS, scriptSig: "02" + "abcd", sequence: "00000000" };
    assert.equal(pingHashOf(hex(join(mnp))), pingHash(PING));
  });

  it("hash an announce with a long key vector and script through a larger buffer", () => {
    const script = "ab".repeat(300);
    const mnb = { ...MNB_V4_FIELDS, vinScriptSig: "fd2c01" + script, pubKeyCollateralAddress: "41" + "04" + "c1".repeat(64) };
    assert.equal(announceHashOf(hex(join(mnb))), announceHash({ ...MNB_V4, scriptSig: hex(script), collateralPubKey: hex("04" + "c1".repeat(64)) }));
  });

  it("give null for a payload cut short", () => {
    assert.equal(announceHashOf(hex(join(MNB_V4_FIELDS)).subarray(0, 120)), null);
    assert.equal(pingHashOf(hex(join(PING_FIELDS)).subarray(0, 60)), null);
  });
});
