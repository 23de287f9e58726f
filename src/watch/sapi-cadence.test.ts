import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { SapiCadence } from "./sapi-cadence.ts";

const MIN = 60_000;

describe("the SAPI cadence", () => {
  it("asks a healthy node at its first probe and then every interval, a failing one on every probe", () => {
    const c = new SapiCadence(5 * MIN);
    const asked = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10].filter((m) => c.due("a", m * MIN, false));
    assert.deepEqual(asked, [0, 5, 10]);
    assert.equal(c.due("a", 11 * MIN, true), true, "failing: every probe");
    assert.equal(c.due("a", 11 * MIN + 15_000, true), true);
    assert.equal(c.due("a", 12 * MIN, false), false, "healthy again: counted from the last ask");
    assert.equal(c.due("b", 12 * MIN, false), true, "another node keeps its own time");
  });

  it("asks on every probe when the interval is no longer than the probe interval", () => {
    const c = new SapiCadence(MIN);
    assert.deepEqual([0, 1, 2, 3].map((m) => c.due("a", m * MIN, false)), [true, true, true, true]);
  });

  it("asks again after the clock stepped back, and forgets departed nodes", () => {
    const c = new SapiCadence(5 * MIN);
    c.due("a", 10 * MIN, false);
    assert.equal(c.due("a", 9 * MIN, false), true);
    c.due("b", 9 * MIN, false);
    c.retain(new Set(["a"]));
    assert.equal(c.due("b", 9 * MIN + 1, false), true, "b was forgotten");
  });
});
