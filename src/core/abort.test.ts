import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { getEventListeners } from "node:events";
import { childAbort } from "./abort.ts";

describe("childAbort", () => {
  it("follows the outer signal and leaves no listener behind once disposed", () => {
    const outer = new AbortController();
    for (let i = 0; i < 1000; i++) childAbort(outer.signal).dispose();
    assert.equal(getEventListeners(outer.signal, "abort").length, 0);
    const child = childAbort(outer.signal);
    outer.abort(new Error("stop"));
    assert.equal(child.signal.aborted, true);
    assert.equal((child.signal.reason as Error).message, "stop");
  });

  it("aborts on its own without touching the outer signal", () => {
    const outer = new AbortController();
    const child = childAbort(outer.signal);
    child.abort();
    assert.equal(child.signal.aborted, true);
    assert.equal(outer.signal.aborted, false);
    child.dispose();
  });
});
