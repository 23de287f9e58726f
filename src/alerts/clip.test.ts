import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { clip, displayLine, wellFormed } from "./clip.ts";
import { displayEvent } from "./display-event.ts";
import { renderAlert } from "./render.ts";
import { T0 } from "./testing/fixtures.ts";
import { hostileEvents } from "./testing/hostile.ts";

describe("clip", () => {
  it("keeps text within the limit, marks the cut, and never splits an emoji", () => {
    assert.equal(clip("abcdef", 6), "abcdef");
    assert.equal(clip("abcdef", 4), "abc…");
    const cut = clip(`x${"🚀".repeat(10)}`, 5);
    assert.equal(cut, "x🚀…");
    assert.ok(cut.length <= 5);
    assert.equal(wellFormed(cut), cut);
  });
});

describe("displayLine", () => {
  const cases: [string, string, string][] = [
    ["line breaks and tabs become spaces", "sn-1\r\nX-Injected: yes\tz", "sn-1 X-Injected: yes z"],
    ["controls and terminal escapes become a visible U+FFFD", "sn\u00001\u001b[31mRED\u0007\u009b", "sn\uFFFD1\uFFFD[31mRED\uFFFD\uFFFD"],
    ["a direction override cannot reorder what follows", "sn-\u202Egpj.exe", "sn-\uFFFDgpj.exe"],
    ["Cyrillic, Arabic, Hebrew and emoji stay as they are", "узел-1 عقدة צומת 🚀", "узел-1 عقدة צומת 🚀"],
    ["a lone surrogate becomes U+FFFD", "a\uD83Db", "a\uFFFDb"],
  ];
  for (const [name, input, expected] of cases) it(name, () => assert.equal(displayLine(input, 100), expected));

  it("clips a 10 KB name", () => {
    assert.equal(displayLine("n".repeat(10_240), 100), `${"n".repeat(99)}…`);
  });
});

describe("rendering hostile names", () => {
  it("shows every outside string on one clean, short line, and keeps the ids as they were", () => {
    for (const e of hostileEvents(`узел\r\n\u202E${"n".repeat(10_000)}`)) {
      const shown = displayEvent(e);
      if ("node" in e && "node" in shown) {
        assert.equal(shown.node.id, e.node.id);
        assert.ok(shown.node.name.length <= 100 && !/[\r\n\u202E]/.test(shown.node.name), shown.node.name);
      }
      const r = renderAlert(e, T0);
      assert.ok(r.title.length < 250, `${e.kind}: title of ${r.title.length}`);
      assert.ok(r.text.length < 2_500, `${e.kind}: text of ${r.text.length}`);
      assert.doesNotMatch(r.title, /[\r\n\u202E]/);
      // eslint-disable-next-line no-control-regex -- finding control characters is the point
      for (const line of r.text.split("\n")) assert.doesNotMatch(line, /[\r\u202E\u0000-\u0009]/);
    }
  });
});
