import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { markdownInline } from "./markdown-text.ts";

describe("markdownInline: outside text in a Markdown table cell or list item", () => {
  const cases: [name: string, input: string, out: string][] = [
    ["plain text is unchanged", "sn-ewr-001", "sn-ewr-001"],
    ["emphasis", "*bold* _it_ **x** __y__", String.raw`\*bold\* \_it\_ \*\*x\*\* \_\_y\_\_`],
    ["a link and an image", "[x](http://evil.example) ![i](http://evil.example/i.png)", String.raw`\[x\]\(http://evil.example\) \!\[i\]\(http://evil.example/i.png\)`],
    ["a code span", "`rm -rf`", "\\`rm -rf\\`"],
    ["HTML and entities", "<img src=x onerror=alert(1)> &lt;b&gt;", String.raw`&lt;img src=x onerror=alert\(1\)&gt; &amp;lt;b&amp;gt;`],
    ["a table cell boundary", "a|b", String.raw`a\|b`],
    ["a heading and an issue reference", "# Title #12", String.raw`\# Title \#12`],
    ["strikethrough and math", "~~gone~~ $x$", String.raw`\~\~gone\~\~ \$x\$`],
    ["a backslash cannot undo an escape", String.raw`\|`, String.raw`\\\|`],
    ["line breaks are shown, not kept", "a\r\nb", String.raw`a\\r\\nb`],
    ["terminal escapes are shown", "\u001b[31mRED\u202e", String.raw`\\e\[31mRED\\u202e`],
    ["non-Latin letters and emoji stay", "узел-1 東京 مرحبا 🚀", "узел-1 東京 مرحبا 🚀"],
  ];
  for (const [name, input, out] of cases) it(name, () => assert.equal(markdownInline(input), out));

  it("never leaves an unescaped Markdown character or a line break", () => {
    const out = markdownInline("*_[]()`#|~$!<>\\\n\r");
    assert.doesNotMatch(out.replace(/\\[\\`*_[\]()#|~$!]/g, ""), /[\\`*_[\]()#|~$!<>\r\n]/);
  });
});
