import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { diffLines } from "./diff.ts";

describe("diffLines", () => {
  it("sees no change when only indentation differs", () => {
    assert.equal(diffLines("a {\n\tb\n}\n", "a {\n    b\n}").changed, false);
  });
  it("marks removed and added lines in order", () => {
    const d = diffLines("x\nkeep\nold\nend", "x\nkeep\nnew\nend");
    assert.equal(d.changed, true);
    assert.deepEqual(d.lines, ["  x", "  keep", "+ new", "- old", "  end"]);
  });
  it("shows everything as added when nothing is loaded", () => {
    assert.deepEqual(diffLines("", "a\nb").lines, ["+ a", "+ b"]);
  });
});
