import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { REDACTED, Redactor } from "./redact.ts";

/**
 * Invariant 5: a registered secret never survives `redact`, whatever its length and however it
 * was encoded on its way into a message: percent-encoded, form-encoded, JSON-escaped, base64,
 * HTML-escaped. Short secrets are redacted as whole tokens so they do not eat parts of words.
 */

const redactorWith = (...secrets: string[]) => {
  const r = new Redactor();
  for (const s of secrets) r.add(s);
  return r;
};
const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");

// Every character here changes under at least one encoding: @ / " é + & and a space.
const SECRET = 'p@ss/w0rd"é+& x';

describe("Redactor", () => {
  const forms: [string, string][] = [
    ["as it is", SECRET],
    ["percent-encoded (encodeURIComponent)", encodeURIComponent(SECRET)],
    ["percent-encoded with lower-case hex", encodeURIComponent(SECRET).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())],
    ["in a URL (encodeURI)", encodeURI(SECRET)],
    ["form-encoded (spaces as +)", new URLSearchParams({ p: SECRET }).toString().slice(2)],
    ["JSON-escaped (JSON.stringify without the quotes)", JSON.stringify(SECRET).slice(1, -1)],
    ["JSON-escaped with \\u escapes for non-ASCII", JSON.stringify(SECRET).slice(1, -1).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)],
    ["base64", b64(SECRET)],
    ["base64 without padding", b64(SECRET).replace(/=+$/, "")],
    ["base64url", Buffer.from(SECRET, "utf8").toString("base64url")],
    ["HTML-escaped", SECRET.replace(/&/g, "&amp;").replace(/"/g, "&quot;")],
  ];
  for (const [name, form] of forms) {
    it(`redacts a secret ${name}`, () => {
      const line = `login failed: ${form} was rejected`;
      const out = redactorWith(SECRET).redact(line);
      assert.equal(out, `login failed: ${REDACTED} was rejected`);
    });
  }

  it("redacts an HTTP Basic credential's user:password, and the SMTP AUTH PLAIN form, once the header or pair is registered", () => {
    const r = redactorWith(`Basic ${b64("alice:s3cret!")}`);
    assert.equal(r.redact("sent alice:s3cret! upstream"), `sent ${REDACTED} upstream`);
    const smtp = new Redactor();
    smtp.addLogin("alice@example.com", "hunter22");
    for (const seen of [b64("\0alice@example.com\0hunter22"), b64("hunter22"), "hunter22"]) {
      assert.equal(smtp.redact(`535 5.7.8 ${seen} rejected`), `535 5.7.8 ${REDACTED} rejected`, seen);
    }
  });

  const short: [string, string, string, string][] = [
    ["a 3-character password standing alone", "abc", "password abc rejected for user abcdef", `password ${REDACTED} rejected for user abcdef`],
    ["a 1-character secret only as a whole token", "7", "pin 7 at 17:07", `pin ${REDACTED} at 17:07`],
    ["a 4-digit PIN in a query, not inside longer numbers", "1234", "GET /x?pin=1234&t=12345 took 1234ms", `GET /x?pin=${REDACTED}&t=12345 took 1234ms`],
    ["a short secret of symbols", "+&", "key=+& done", `key=${REDACTED} done`],
    ["a short secret percent-encoded", "a/b", "u=a%2Fb&x", `u=${REDACTED}&x`],
  ];
  for (const [name, secret, line, want] of short) {
    it(`redacts ${name}`, () => assert.equal(redactorWith(secret).redact(line), want));
  }

  it("redacts long secrets anywhere, even inside a word", () => {
    assert.equal(redactorWith("Tok3nTok3n").redact("xTok3nTok3ny"), `x${REDACTED}y`);
  });

  it("prefers the longest match when one secret contains another, and never re-redacts its own marker", () => {
    const r = redactorWith("RED", "hunter2hunter2", "hunter2");
    assert.equal(r.redact("a hunter2hunter2 b hunter2 c RED d"), `a ${REDACTED} b ${REDACTED} c ${REDACTED} d`);
  });

  it("ignores empty and blank secrets and leaves text without secrets alone", () => {
    const r = redactorWith("", "   ");
    const line = "nothing to hide: 12:00, node sn-1 up";
    assert.equal(r.redact(line), line);
  });

  it("keeps scrubbing bearer tokens it was never told about", () => {
    assert.equal(new Redactor().redact('{"Authorization": "Bearer abcdefghijklmnop"}'), `{"Authorization": "Bearer ${REDACTED}"}`);
  });
});
