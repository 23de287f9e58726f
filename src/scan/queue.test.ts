import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ProbeQueue } from "./queue.ts";

const drain = (q: ProbeQueue): number[] => {
  const out: number[] = [];
  for (let p = q.next(); p !== undefined; p = q.next()) out.push(p);
  return out;
};

describe("ProbeQueue", () => {
  it("hands out first tries in probe order", () => {
    assert.deepEqual(drain(new ProbeQueue([9678, 22, 1, 2])), [9678, 22, 1, 2]);
  });

  it("sends retries after every first try, in the order the ports fell silent", () => {
    const q = new ProbeQueue([1, 2, 3, 4]);
    assert.equal(q.next(), 1);
    assert.equal(q.next(), 2);
    q.retry(2);
    q.retry(1);
    assert.deepEqual(drain(q), [3, 4, 2, 1]);
  });

  it("counts the silent tries of each port", () => {
    const q = new ProbeQueue([7]);
    assert.equal(q.silentTries(7), 0);
    q.next();
    q.retry(7);
    assert.equal(q.silentTries(7), 1);
    q.next();
    q.retry(7);
    assert.equal(q.silentTries(7), 2);
    assert.equal(q.silentTries(8), 0);
  });

  it("puts a port back at the front without counting a try", () => {
    const q = new ProbeQueue([1, 2, 3]);
    assert.equal(q.next(), 1);
    q.putBack(1);
    assert.equal(q.silentTries(1), 0);
    assert.deepEqual(drain(q), [1, 2, 3]);
  });

  it("is empty when nothing waits, and fills again when a retry is queued", () => {
    const q = new ProbeQueue([1]);
    assert.equal(q.next(), 1);
    assert.equal(q.next(), undefined);
    q.retry(1);
    assert.equal(q.next(), 1);
  });
});
