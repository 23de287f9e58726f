/**
 * Deterministic fuzzing of the netview codec: random bytes, and valid dseg / inv / mnp / mnb
 * payloads mutated (bit flips, truncation, inflated length fields, inserted and trailing bytes),
 * through every decoder. Nothing may throw; every result is ok or a typed DecodeError; what
 * decodes encodes back to bytes that decode to the same value; a payload claiming a huge count
 * or length is refused before anything is allocated for it. Kept to about a second.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import type { Decoded, DecodeErrorCode } from "../p2p/wire.ts";
import {
  decodeAnnounce,
  decodeDseg,
  decodeInv,
  decodePing,
  encodeAnnounce,
  encodeDseg,
  encodeInv,
  encodePing,
  MAX_INV_SZ,
  type SmartnodeAnnounce,
  type SmartnodePing,
} from "./codec.ts";

/** mulberry32: the same cases on every run (as src/p2p/fuzz.test.ts). */
function prng(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

type Rand = ReturnType<typeof prng>;

function randomBytes(rand: Rand, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = rand(256);
  return out;
}

const randomHex = (rand: Rand, bytes: number) => Buffer.from(randomBytes(rand, bytes)).toString("hex");

function randomPing(rand: Rand): SmartnodePing {
  const ping: SmartnodePing = {
    outpoint: { txid: randomHex(rand, 32), index: rand(4) },
    blockHash: randomHex(rand, 32),
    sigTime: 1_700_000_000 + rand(1_000_000),
    signature: randomBytes(rand, [0, 65, 65, 72][rand(4)]!),
  };
  if (rand(2) === 0) ping.sentinel = { current: rand(2) === 1, version: rand(0x1000000) };
  return ping;
}

function randomAnnounce(rand: Rand): SmartnodeAnnounce {
  return {
    outpoint: { txid: randomHex(rand, 32), index: rand(10) },
    scriptSig: randomBytes(rand, [0, 0, 0, 3][rand(4)]!),
    sequence: [0xffffffff, 0][rand(2)]!,
    addr: [{ ip: `203.0.113.${rand(256)}`, port: 9678 }, { ip: "2001:db8::1", port: rand(65536) }, { ip: "::", port: 0 }][rand(3)]!,
    collateralPubKey: randomBytes(rand, [33, 65, 0][rand(3)]!),
    smartnodePubKey: randomBytes(rand, [33, 65, 0][rand(3)]!),
    signature: randomBytes(rand, 65),
    sigTime: 1_690_000_000 + rand(10_000_000),
    protocolVersion: [90035, 90028, 90025][rand(3)]!,
    lastPing: rand(4) === 0 ? null : randomPing(rand),
  };
}

type Kind = "dseg" | "inv" | "mnp" | "mnb";

function validPayload(rand: Rand): { kind: Kind; bytes: Uint8Array } {
  const kind = (["dseg", "inv", "mnp", "mnb"] as const)[rand(4)]!;
  if (kind === "dseg") return { kind, bytes: encodeDseg({ txid: randomHex(rand, 32), index: rand(5) }) };
  if (kind === "inv") return { kind, bytes: encodeInv(Array.from({ length: rand(6) }, () => ({ type: [0x4000000e, 0x4000000f, 1, 2][rand(4)]!, hash: randomHex(rand, 32) }))) };
  if (kind === "mnp") return { kind, bytes: encodePing(randomPing(rand)) };
  return { kind, bytes: encodeAnnounce(randomAnnounce(rand)) };
}

/** CompactSize forms that claim far more than any payload here holds, and some that are not canonical. */
const INFLATED = [[0xfc], [0xfd, 0xff, 0xff], [0xfd, 0x51, 0xc3], [0xfe, 0xff, 0xff, 0xff, 0xff], [0xfe, 0x00, 0x00, 0x00, 0x02], [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], [0xfd, 0x01, 0x00], [0xfe, 0x01, 0x00, 0x00, 0x00]];

function mutate(rand: Rand, payload: Uint8Array): Uint8Array {
  const p = Uint8Array.from(payload);
  switch (rand(6)) {
    case 0: // bit flips
      if (p.length > 0) for (let i = 0, n = 1 + rand(6); i < n; i++) p[rand(p.length)]! ^= 1 << rand(8);
      return p;
    case 1: // truncation
      return p.subarray(0, rand(p.length + 1));
    case 2: {
      // a length field inflated: overwrite bytes at a random offset with a huge or non-canonical CompactSize
      const at = rand(p.length + 1);
      return Uint8Array.from([...p.subarray(0, at), ...INFLATED[rand(INFLATED.length)]!, ...p.subarray(at + 1)]);
    }
    case 3: {
      // bytes inserted in the middle
      const at = rand(p.length + 1);
      return Uint8Array.from([...p.subarray(0, at), ...randomBytes(rand, 1 + rand(8)), ...p.subarray(at)]);
    }
    case 4: // trailing junk (decoders ignore it, as vRecv does)
      return Uint8Array.from([...p, ...randomBytes(rand, 1 + rand(20))]);
    default: // random bytes overwritten in place
      for (let i = 0, n = 1 + rand(4); i < n; i++) p[rand(Math.max(1, p.length))] = rand(256);
      return p;
  }
}

const CODES: readonly DecodeErrorCode[] = ["truncated", "too-large", "non-canonical", "invalid"];
const stats = { cases: 0, ok: 0, errors: 0, byCode: {} as Record<string, number> };

function check<T>(d: Decoded<T>): T | undefined {
  stats.cases++;
  assert.ok(d.kind === "ok" || d.kind === "error", `result kind ${(d as { kind: unknown }).kind}`);
  if (d.kind === "ok") {
    stats.ok++;
    return d.value;
  }
  stats.errors++;
  stats.byCode[d.error.code] = (stats.byCode[d.error.code] ?? 0) + 1;
  assert.ok(CODES.includes(d.error.code), `code ${d.error.code}`);
  assert.ok(typeof d.error.field === "string" && d.error.field.length > 0, "error without a field");
  assert.ok(typeof d.error.detail === "string" && d.error.detail.length > 0, "error without a detail");
  return undefined;
}

/** Feeds `bytes` to every decoder; what decodes must encode to bytes that decode to the same value. */
function runAll(bytes: Uint8Array): void {
  const dseg = check(decodeDseg(bytes));
  if (dseg !== undefined && !(dseg.index === 0xffffffff && /^0{64}$/.test(dseg.txid))) assert.deepEqual(check(decodeDseg(encodeDseg(dseg))), dseg);
  check(decodeDseg(bytes, true));
  const inv = check(decodeInv(bytes));
  if (inv !== undefined) assert.deepEqual(check(decodeInv(encodeInv(inv))), inv);
  check(decodeInv(bytes, "getdata"));
  const ping = check(decodePing(bytes));
  if (ping !== undefined) assert.deepEqual(check(decodePing(encodePing(ping))), ping);
  const mnb = check(decodeAnnounce(bytes));
  if (mnb !== undefined) assert.deepEqual(check(decodeAnnounce(encodeAnnounce(mnb))), mnb);
}

describe("netview codec fuzz (seeded, deterministic)", () => {
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;
  gc();
  const heapBefore = process.memoryUsage().heapUsed;

  it("survives 6,000 random byte strings through every decoder", () => {
    const rand = prng(11);
    for (let i = 0; i < 6_000; i++) runAll(randomBytes(rand, rand(i % 10 === 0 ? 600 : 120)));
  });

  it("decodes every valid payload it built, and survives 8,000 mutations of them", () => {
    const rand = prng(12);
    for (let i = 0; i < 8_000; i++) {
      const { kind, bytes } = validPayload(rand);
      if (i % 8 === 0) {
        const decoded = { dseg: () => decodeDseg(bytes), inv: () => decodeInv(bytes), mnp: () => decodePing(bytes), mnb: () => decodeAnnounce(bytes) }[kind]();
        assert.equal(decoded.kind, "ok", `${kind} ${Buffer.from(bytes).toString("hex")}`);
      }
      let m = mutate(rand, bytes);
      if (rand(4) === 0) m = mutate(rand, m);
      runAll(m);
    }
  });

  it("refuses a 9-byte inv claiming 50,000 entries before reading one (the error names the entries, not inv[0])", () => {
    const payload = Uint8Array.of(0xfd, 0x50, 0xc3, 1, 2, 3, 4, 5, 6); // CompactSize 50,000 = MAX_INV_SZ, then 6 bytes
    assert.equal(0xc350, MAX_INV_SZ);
    for (let i = 0; i < 20_000; i++) {
      const d = decodeInv(payload);
      assert.equal(d.kind, "error");
      if (d.kind === "error") assert.deepEqual([d.error.code, d.error.field], ["truncated", "inv.entries"]);
    }
    // One entry more than MAX_INV_SZ is too large whatever follows.
    const over = decodeInv(Uint8Array.of(0xfd, 0x51, 0xc3));
    assert.deepEqual(over.kind === "error" && [over.error.code, over.error.field], ["too-large", "inv.count"]);
  });

  it("refuses vectors claiming more than the payload holds before slicing, up to 2^64 - 1", () => {
    const ping = encodePing({ outpoint: { txid: "11".repeat(32), index: 0 }, blockHash: "22".repeat(32), sigTime: 1_700_000_000, signature: new Uint8Array(0) });
    const sigAt = ping.length - 1; // the vchSig CompactSize, 0 here
    for (const [claim, code] of [[[0xfd, 0x08, 0x02], "truncated"], [[0xfd, 0x09, 0x02], "too-large"], [[0xfe, 0x00, 0x00, 0x00, 0x02], "too-large"], [[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], "too-large"]] as const) {
      const payload = Uint8Array.from([...ping.subarray(0, sigAt), ...claim, 1, 2, 3]);
      for (let i = 0; i < 5_000; i++) {
        const d = decodePing(payload);
        assert.deepEqual(d.kind === "error" && [d.error.code, d.error.field], [code, "mnp.vchSig"], Buffer.from(claim).toString("hex"));
      }
    }
  });

  it("saw every error code, plenty of decodes, and kept the heap flat", () => {
    assert.ok(stats.cases >= 80_000, `only ${stats.cases} cases`);
    assert.ok(stats.ok > 3_000, JSON.stringify(stats));
    for (const code of CODES) assert.ok((stats.byCode[code] ?? 0) > 0, `never saw ${code}: ${JSON.stringify(stats)}`);
    gc();
    const growth = process.memoryUsage().heapUsed - heapBefore;
    assert.ok(growth < 16 * 1024 * 1024, `heap grew by ${growth} bytes`);
  });
});
