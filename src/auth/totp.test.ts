import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Secret } from "otpauth";
import { matchTotp, newTotpSecret, timeStep, totpCode, totpUri } from "./totp.ts";

// RFC 6238 Appendix B, SHA1 column: the ASCII secret "12345678901234567890", 8 digits.
const RFC_SECRET = Secret.fromUTF8("12345678901234567890").base32;
const RFC_VECTORS: [number, string][] = [
  [59, "94287082"],
  [1111111109, "07081804"],
  [1111111111, "14050471"],
  [1234567890, "89005924"],
  [2000000000, "69279037"],
  [20000000000, "65353130"],
];

describe("TOTP", () => {
  for (const [t, code] of RFC_VECTORS) {
    it(`gives RFC 6238's SHA1 code ${code} at T=${t} s`, () => {
      assert.equal(totpCode(RFC_SECRET, t * 1000, 8), code);
      assert.equal(matchTotp(RFC_SECRET, code, t * 1000, 8), Math.floor(t / 30));
    });
  }

  it("makes 160-bit secrets, each different", () => {
    const a = newTotpSecret();
    assert.equal(Secret.fromBase32(a).bytes.length, 20);
    assert.notEqual(a, newTotpSecret());
  });

  it("writes Google Authenticator's Key Uri Format with issuer nodeward, SHA1, 6 digits, 30 s", () => {
    const uri = new URL(totpUri("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "alice"));
    assert.equal(uri.protocol, "otpauth:");
    assert.equal(uri.host, "totp");
    assert.equal(decodeURIComponent(uri.pathname), "/nodeward:alice");
    assert.equal(uri.searchParams.get("secret"), "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP");
    assert.equal(uri.searchParams.get("issuer"), "nodeward");
    assert.equal(uri.searchParams.get("algorithm"), "SHA1");
    assert.equal(uri.searchParams.get("digits"), "6");
    assert.equal(uri.searchParams.get("period"), "30");
    assert.doesNotMatch(uri.search, /secret=[^&]*=/, "no base32 padding");
  });

  it("accepts the previous, current and next step and nothing further", () => {
    const secret = newTotpSecret();
    const now = 1_700_000_015_000;
    const step = timeStep(now);
    for (const d of [-1, 0, 1]) assert.equal(matchTotp(secret, totpCode(secret, now + d * 30_000), now), step + d, `offset ${d}`);
    for (const d of [-3, -2, 2, 3]) assert.equal(matchTotp(secret, totpCode(secret, now + d * 30_000), now), null, `offset ${d}`);
  });

  it("refuses codes of the wrong length or with letters, and allows spaces", () => {
    const secret = newTotpSecret();
    const now = 1_700_000_000_000;
    const code = totpCode(secret, now);
    assert.equal(matchTotp(secret, code.slice(0, 5), now), null);
    assert.equal(matchTotp(secret, `${code}0`, now), null);
    assert.equal(matchTotp(secret, "12a456", now), null);
    assert.equal(matchTotp(secret, `${code.slice(0, 3)} ${code.slice(3)}`, now), timeStep(now));
  });
});
