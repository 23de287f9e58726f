import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { boundedLine, clip, jsonText, oneLine, terminalText } from "./safe-text.ts";

const ATTACK = "evil\u001b]0;PWNED\u0007\u001b[2J\u001b[31mRED";

describe("oneLine: an outside value inside a line", () => {
  const cases: [name: string, input: string, shown: string][] = [
    ["OSC title, BEL, clear screen and SGR", ATTACK, String.raw`evil\e]0;PWNED\a\e[2J\e[31mRED`],
    ["CR and LF cannot end or rewrite the line", "a\r\nb\rc\nd", String.raw`a\r\nb\rc\nd`],
    ["tab, vertical tab, form feed, backspace", "a\tb\vc\fd\be", String.raw`a\tb\vc\fd\be`],
    ["NUL", "nul\u0000byte", String.raw`nul\0byte`],
    ["other C0 controls as hex", "\u0001\u001f", String.raw`\x01\x1f`],
    ["DEL and C1 (8-bit CSI)", "\u007f\u009b31m\u0085", String.raw`\x7f\x9b31m\x85`],
    ["bidi overrides and embeddings", "bidi\u202egnp.exe\u202a\u202b\u202c\u202d", String.raw`bidi\u202egnp.exe\u202a\u202b\u202c\u202d`],
    ["bidi isolates", "\u2066x\u2067y\u2068z\u2069", String.raw`\u2066x\u2067y\u2068z\u2069`],
    ["bidi marks", "\u200e\u200f\u061c", String.raw`\u200e\u200f\u061c`],
    ["line and paragraph separators", "a\u2028b\u2029c", String.raw`a\u2028b\u2029c`],
    ["Cyrillic, CJK, Arabic letters and emoji stay", "узел-1 東京 مرحبا 🚀 👩‍💻", "узел-1 東京 مرحبا 🚀 👩‍💻"],
    ["accents and the zero-width joiner of an emoji stay", "café 🏳️‍🌈", "café 🏳️‍🌈"],
    ["an empty string", "", ""],
    ["a literal backslash is left as it is", String.raw`C:\path`, String.raw`C:\path`],
  ];
  for (const [name, input, shown] of cases) it(name, () => assert.equal(oneLine(input), shown));

  it("leaves no character a terminal acts on", () => {
    const every = Array.from({ length: 0xa0 }, (_, i) => String.fromCharCode(i)).join("") + "\u061c\u200e\u200f\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069";
    // eslint-disable-next-line no-control-regex -- finding controls is the test
    assert.doesNotMatch(oneLine(every), /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
  });
});

describe("terminalText: whole rendered text", () => {
  const cases: [name: string, input: string, shown: string][] = [
    ["keeps our line feeds and tabs", "a\n\tb\n", "a\n\tb\n"],
    ["shows CR, ESC and the rest", `x\r${ATTACK}\u202e`, String.raw`x\revil\e]0;PWNED\a\e[2J\e[31mRED\u202e`],
    ["keeps non-Latin text", "узел 🚀\n", "узел 🚀\n"],
  ];
  for (const [name, input, shown] of cases) it(name, () => assert.equal(terminalText(input), shown));
});

describe("clip and boundedLine", () => {
  const cases: [name: string, input: string, max: number, out: string][] = [
    ["short text is unchanged", "sn-1", 10, "sn-1"],
    ["exactly max is unchanged", "abcde", 5, "abcde"],
    ["a long text says how much was left out", "A".repeat(100), 30, `${"A".repeat(18)}…(+82 more)`],
    ["too short for the count: an ellipsis", "A".repeat(100), 20, `${"A".repeat(19)}…`],
    ["no room for the count: an ellipsis", "abcdefgh", 5, "abcd…"],
    ["an emoji is never split", "🚀".repeat(10), 8, "🚀".repeat(7) + "…"],
    ["max 0 is empty", "abc", 0, ""],
    ["max 1 is the ellipsis", "abc", 1, "…"],
  ];
  for (const [name, input, max, out] of cases) it(name, () => assert.equal(clip(input, max), out));

  it("boundedLine counts the shown escapes, and stays within the bound for a 10 KB label", () => {
    assert.equal(boundedLine("a\u001bb", 10), String.raw`a\eb`);
    const shown = boundedLine(`big-${"\u001b".repeat(10_240)}`, 128);
    assert.ok([...shown].length <= 128);
    assert.ok(shown.startsWith(String.raw`big-\e\e`));
    assert.match(shown, /…\(\+\d+ more\)$/);
  });
});

describe("jsonText: --json on a terminal", () => {
  it("escapes C1 and bidi controls as \\uHHHH, and every parser reads the same value", () => {
    const value = { label: `${ATTACK}\u009b\u202e\u2066\u007f`, n: 1, list: ["узел 🚀"] };
    const text = jsonText(JSON.stringify(value, null, 2));
    // eslint-disable-next-line no-control-regex -- finding controls is the test
    assert.doesNotMatch(text, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    assert.ok(text.includes(String.raw`\u009b\u202e\u2066\u007f`));
    assert.deepEqual(JSON.parse(text), value);
  });
});
