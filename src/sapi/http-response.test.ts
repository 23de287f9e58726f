import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { MAX_HEAD_BYTES, parseHttpResponse, type HttpParse } from "./http-response.ts";

const b = (s: string) => Buffer.from(s, "latin1");
const brief = (r: HttpParse) => (r.kind === "done" ? `done ${r.status} ${JSON.stringify(r.body.toString("latin1"))}` : r.kind === "more" ? "more" : `${r.kind}: ${r.detail}`);
const parse = (s: string, ended = false, cap = 64) => brief(parseHttpResponse(b(s), ended, cap));

/** Every prefix of `s` before its end must ask for more (or be complete only at the very end). */
function everyPrefixWaits(s: string, cap = 64): void {
  for (let i = 0; i < s.length; i++) assert.equal(parse(s.slice(0, i), false, cap), "more", `prefix of ${i} bytes`);
}

describe("parseHttpResponse", () => {
  it("reads a Content-Length body, waiting for every byte of it", () => {
    const full = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 7\r\n\r\n{\"a\":1}";
    everyPrefixWaits(full);
    assert.equal(parse(full), 'done 200 "{\\"a\\":1}"');
    assert.equal(parse(`${full}trailing`), 'done 200 "{\\"a\\":1}"');
  });

  it("decodes chunked bodies, split anywhere, with extensions, and stops at the last chunk", () => {
    const full = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n2\r\nde\r\n0\r\n\r\n";
    everyPrefixWaits(full.slice(0, full.indexOf("0\r\n\r\n") + 1));
    assert.equal(parse(full), 'done 200 "abcde"');
    assert.equal(parse("HTTP/1.1 200 OK\r\ntransfer-encoding: gzip, Chunked\r\n\r\nA\r\n0123456789\r\n0\r\n"), 'done 200 "0123456789"');
  });

  it("reads to the end of the connection when there is no framing (HTTP/1.0)", () => {
    assert.equal(parse("HTTP/1.0 200 OK\r\n\r\nhello"), "more");
    assert.equal(parse("HTTP/1.0 200 OK\r\n\r\nhello", true), 'done 200 "hello"');
  });

  it("skips 1xx answers before the real one; 204 has no body", () => {
    assert.equal(parse("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"), 'done 200 "ok"');
    assert.equal(parse("HTTP/1.1 100 Continue\r\n\r\n"), "more");
    assert.equal(parse("HTTP/1.1 204 No Content\r\n\r\n"), 'done 204 ""');
  });

  it("returns error statuses with their body for the caller to judge", () => {
    assert.equal(parse("HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\nnot found"), 'done 404 "not found"');
  });

  it("says cut when the connection ends early", () => {
    assert.equal(parse("", true), "cut: connection closed before any answer");
    assert.equal(parse("HTTP/1.1 200 OK\r\nContent-", true), "cut: connection closed in the middle of the headers");
    assert.equal(parse("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{", true), "cut: connection closed in the middle of the body");
    assert.equal(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab", true), "cut: connection closed in the middle of the body");
  });

  it("refuses what is not HTTP as soon as the first bytes show it", () => {
    assert.match(parse("SSH-2.0-OpenSSH_9.6\r\n"), /^bad: the answer is not HTTP: it starts with "SSH-2/);
    assert.match(parse("S"), /^bad: the answer is not HTTP/);
    assert.equal(parse("HTT"), "more");
    assert.match(parse("HTTP/2 200\r\n\r\n"), /^bad: the answer is not HTTP: status line "HTTP\/2 200"/);
    assert.match(parse("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n"), /^bad: malformed header line/);
    assert.match(parse("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n"), /^bad: invalid Content-Length "-1"/);
    assert.match(parse("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nab"), /^bad: invalid Content-Length "3"/);
    assert.match(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"), /^bad: malformed chunk size "zz"/);
    assert.match(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n"), /^bad: chunk not followed by CRLF/);
  });

  it("caps the head and the body whatever the framing claims", () => {
    assert.match(parse(`HTTP/1.1 200 OK\r\nX: ${"a".repeat(MAX_HEAD_BYTES)}`), /^bad: the answer's headers are over/);
    assert.match(parse("HTTP/1.1 200 OK\r\nContent-Length: 65\r\n\r\n"), /^bad: body of 65 bytes is over the 64-byte cap/);
    assert.match(parse(`HTTP/1.1 200 OK\r\n\r\n${"x".repeat(65)}`), /^bad: body is over the 64-byte cap/);
    assert.match(parse(`HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n20\r\n${"x".repeat(32)}\r\n21\r\n`), /^bad: body is over the 64-byte cap/);
    const r = parseHttpResponse(b("HTTP/1.1 200 OK\r\nContent-Length: 65\r\n\r\n"), false, 64);
    assert.ok(r.kind === "bad" && r.status === 200);
  });
});
