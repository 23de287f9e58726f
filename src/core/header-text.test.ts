import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { headerText, MAX_HEADER_TEXT } from "./header-text.ts";

describe("headerText: outside text in a mail header such as Subject", () => {
  const cases: [name: string, input: string, out: string][] = [
    ["an ordinary subject is unchanged", "DOWN sn-ewr-001: p2p timeout", "DOWN sn-ewr-001: p2p timeout"],
    ["CR/LF cannot start a header of its own", "sn-1\r\nBcc: victim@example.com", String.raw`sn-1\r\nBcc: victim@example.com`],
    ["terminal escapes are shown", "evil\u001b]0;PWNED\u0007", String.raw`evil\e]0;PWNED\a`],
    ["NUL and bidi are shown", "a\u0000b\u202ec", String.raw`a\0b\u202ec`],
    ["Cyrillic and emoji stay for the mailer's RFC 2047 encoding", "узел-1 🚀", "узел-1 🚀"],
  ];
  for (const [name, input, out] of cases) it(name, () => assert.equal(headerText(input), out));

  it("bounds a 10 KB name", () => {
    const out = headerText(`node-${"Ж".repeat(10_240)}`);
    assert.ok([...out].length <= MAX_HEADER_TEXT);
    assert.ok(out.startsWith("node-ЖЖ"));
  });
});
