import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ByteReader, ByteWriter } from "../p2p/wire.ts";
import { checkOutpoint, hashToDisplay, isNullOutpoint, outpointKey, parseOutpoint, readOutpoint, txidToWire, writeOutpoint } from "./outpoint.ts";

/** Not symmetric in any 16- or 8-byte half, so a half-reversal cannot pass. */
const TXID = "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20";
const ZERO = "0".repeat(64);

function rejects(text: string): string {
  const r = parseOutpoint(text);
  assert.equal(r.ok, false, `accepted ${JSON.stringify(text.slice(0, 80))}`);
  return (r as { message: string }).message;
}

describe("parseOutpoint", () => {
  it("accepts txid-index, txid:index and smartnode.conf's 'txid index' columns", () => {
    for (const text of [`${TXID}-1`, `${TXID}:1`, `${TXID} 1`, `${TXID}\t1`, `${TXID} - 1`, `  ${TXID}-1  `, `${TXID}-1\r\n`, `${TXID.toUpperCase()}-1`]) {
      assert.deepEqual(parseOutpoint(text), { ok: true, outpoint: { txid: TXID, index: 1 } }, JSON.stringify(text));
    }
  });

  it("accepts index 0 and the largest index below the null marker, 4294967294", () => {
    assert.deepEqual(parseOutpoint(`${TXID}-0`), { ok: true, outpoint: { txid: TXID, index: 0 } });
    assert.deepEqual(parseOutpoint(`${TXID}-4294967294`), { ok: true, outpoint: { txid: TXID, index: 4294967294 } });
  });

  it("rejects 4294967295 (COutPoint::SetNull's n) and anything larger", () => {
    assert.match(rejects(`${TXID}-4294967295`), /0–4294967294/);
    assert.match(rejects(`${TXID}-99999999999`), /0–4294967294/);
    assert.match(rejects(`${ZERO}-4294967295`), /0–4294967294/);
  });

  it("rejects txids of the wrong length and text that is not an outpoint", () => {
    assert.match(rejects(`${TXID.slice(2)}-1`), /64 hex digits, got 62/);
    assert.match(rejects(`${TXID}00-1`), /64 hex digits, got 66/);
    for (const text of ["", " ", "-1", `${TXID}`, `${TXID}-`, `${TXID}--1`, `${TXID}-1.5`, `${TXID}-+1`, `0x${TXID}-1`, `${TXID}-1 2`]) rejects(text);
  });

  it("rejects a CR or LF between the txid and the index, and quotes the input with its escapes", () => {
    for (const sep of ["\n", "\r\n", "\r", "-\n", "\n-"]) {
      const message = rejects(`${TXID}${sep}1`);
      assert.ok(!/[\r\n]/.test(message), `raw CR/LF in ${JSON.stringify(message)}`);
    }
    const message = rejects(`${TXID}-1\nSet-Cookie: x`);
    assert.ok(message.includes("\\n"), message);
    assert.ok(!message.includes("\n"), message);
  });

  it("rejects 10 KB strings at once and clips them in the message", () => {
    for (const text of [`a${" ".repeat(10_240)}x`, `${"a".repeat(10_240)}-1`, `${TXID}-${"1".repeat(10_240)}`, `${TXID}${"\t".repeat(5_000)}-${" ".repeat(5_000)}x`, "\u0000".repeat(10_240)]) {
      const message = rejects(text);
      assert.ok(message.length < 1_000, `message of ${message.length} characters`);
    }
    // (77 NULs escape to 462 characters.) The earlier pattern took 16 s on 100 KB of blanks; the length guard makes this trivial.
    rejects(`a${" ".repeat(100_000)}x`);
  });

  it("rejects non-Latin digits and letters (\\d is ASCII only) and keeps them readable in the message", () => {
    assert.match(rejects(`${TXID}-١٢`), /١٢/); // Arabic-Indic digits
    assert.match(rejects(`${TXID.slice(0, 63)}г-1`), /г/); // Cyrillic
    rejects(`${TXID}-１`); // full-width digit
    rejects(`ｆ${TXID.slice(1)}-1`);
    rejects(`${TXID}-\u202e1`); // right-to-left override
    rejects(`${TXID}-😀`);
  });
});

describe("checkOutpoint", () => {
  it("lower-cases the txid and takes a number or a digit string", () => {
    assert.deepEqual(checkOutpoint(TXID.toUpperCase(), 3), { ok: true, outpoint: { txid: TXID, index: 3 } });
    assert.deepEqual(checkOutpoint(TXID, "3"), { ok: true, outpoint: { txid: TXID, index: 3 } });
  });

  it("rejects negative, fractional, huge and non-digit indexes, with the bad index quoted and escaped", () => {
    for (const index of [-1, 1.5, 2 ** 32, Number.NaN, "-1", "1e3", " 1", "12345678901", "1\r\nx"]) {
      const r = checkOutpoint(TXID, index);
      assert.equal(r.ok, false, String(index));
      assert.ok(!/[\r\n]/.test((r as { message: string }).message));
    }
  });
});

describe("outpoint wire form", () => {
  it("writes the txid reversed (uint256::GetHex prints data[31] first, uint256.cpp:25) and n little-endian", () => {
    const w = new ByteWriter();
    writeOutpoint(w, { txid: TXID, index: 0x01020304 });
    assert.equal(Buffer.from(w.finish()).toString("hex"), "201f1e1d1c1b1a191817161514131211100f0e0d0c0b0a090807060504030201" + "04030201");
    const r = new ByteReader(w.finish());
    assert.deepEqual(readOutpoint(r, "o"), { txid: TXID, index: 0x01020304 });
    assert.equal(hashToDisplay(txidToWire(TXID)), TXID);
  });

  it("refuses to write a txid that is not 64 hex digits or an index outside uint32, instead of writing zeros or wrapping", () => {
    for (const txid of ["zz".repeat(32), TXID.slice(1), `${TXID}00`, ""]) assert.throws(() => writeOutpoint(new ByteWriter(), { txid, index: 0 }), /64 hex digits/);
    for (const index of [-1, 2 ** 32, 0.5, Number.NaN]) assert.throws(() => writeOutpoint(new ByteWriter(), { txid: ZERO, index }), /0–4294967295/);
  });

  it("knows the null outpoint (COutPoint::IsNull, transaction.h:43) and keys outpoints as txid-index", () => {
    assert.equal(isNullOutpoint({ txid: ZERO, index: 0xffffffff }), true);
    assert.equal(isNullOutpoint({ txid: ZERO, index: 0 }), false);
    assert.equal(isNullOutpoint({ txid: TXID, index: 0xffffffff }), false);
    assert.equal(outpointKey({ txid: TXID, index: 7 }), `${TXID}-7`);
  });
});
