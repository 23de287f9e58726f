import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { defaultDataPath } from "./data-path.ts";

describe("defaultDataPath", () => {
  it("uses XDG_DATA_HOME when it is an absolute path", () => {
    assert.equal(defaultDataPath({ XDG_DATA_HOME: "/srv/data", HOME: "/home/op" }), "/srv/data/nodeward/nodeward.db");
  });

  it("falls back to ~/.local/share when XDG_DATA_HOME is unset or empty", () => {
    assert.equal(defaultDataPath({ HOME: "/home/op" }), "/home/op/.local/share/nodeward/nodeward.db");
    assert.equal(defaultDataPath({ XDG_DATA_HOME: "", HOME: "/home/op" }), "/home/op/.local/share/nodeward/nodeward.db");
  });

  it("ignores a relative XDG_DATA_HOME, as the XDG spec requires", () => {
    assert.equal(defaultDataPath({ XDG_DATA_HOME: "data", HOME: "/home/op" }), "/home/op/.local/share/nodeward/nodeward.db");
  });
});
