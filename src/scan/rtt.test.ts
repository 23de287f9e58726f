import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { RttEstimator } from "./rtt.ts";

const limits = { initialMs: 1000, minMs: 100, maxMs: 3000 };

describe("RttEstimator", () => {
  it("waits the initial timeout before any round trip was measured", () => {
    const rtt = new RttEstimator(limits);
    assert.equal(rtt.timeoutMs(), 1000);
    assert.equal(rtt.srttMs, undefined);
  });

  const table: Array<{ name: string; samples: number[]; srtt: number; rttvar: number; timeout: number }> = [
    { name: "takes the first sample as SRTT with half of it as variance", samples: [200], srtt: 200, rttvar: 100, timeout: 600 },
    { name: "smooths a second sample by 1/8 and its deviation by 1/4", samples: [200, 120], srtt: 190, rttvar: 95, timeout: 570 },
    { name: "converges on a steady path", samples: Array(80).fill(50), srtt: 50, rttvar: 0, timeout: 100 },
    { name: "keeps the floor on a fast path (loopback, veth)", samples: [0.1, 0.2, 0.1, 0.1], srtt: 0.1095703125, rttvar: 0.040234375, timeout: 100 },
    { name: "stops at the ceiling on a very slow path", samples: [2500], srtt: 2500, rttvar: 1250, timeout: 3000 },
  ];
  for (const row of table) {
    it(row.name, () => {
      const rtt = new RttEstimator(limits);
      for (const s of row.samples) rtt.sample(s);
      assert.ok(Math.abs((rtt.srttMs ?? NaN) - row.srtt) < 1e-9, `srtt ${rtt.srttMs} ≠ ${row.srtt}`);
      assert.ok(Math.abs(rtt.rttvarMs - row.rttvar) < 1e-6, `rttvar ${rtt.rttvarMs} ≠ ${row.rttvar}`);
      assert.equal(rtt.timeoutMs(), row.timeout);
      assert.equal(rtt.samples, row.samples.length);
    });
  }

  it("adds at least the clock granularity when the variance is zero", () => {
    const rtt = new RttEstimator({ initialMs: 1000, minMs: 1, maxMs: 3000 });
    for (let i = 0; i < 80; i += 1) rtt.sample(300);
    assert.ok(Math.abs(rtt.timeoutMs() - 301) < 1e-6, String(rtt.timeoutMs()));
  });

  it("clamps the initial timeout into the limits", () => {
    assert.equal(new RttEstimator({ initialMs: 50, minMs: 100, maxMs: 3000 }).timeoutMs(), 100);
    assert.equal(new RttEstimator({ initialMs: 9000, minMs: 100, maxMs: 3000 }).timeoutMs(), 3000);
  });

  it("ignores negative and non-finite samples", () => {
    const rtt = new RttEstimator(limits);
    rtt.sample(-1);
    rtt.sample(Number.NaN);
    rtt.sample(Number.POSITIVE_INFINITY);
    assert.equal(rtt.samples, 0);
    assert.equal(rtt.timeoutMs(), 1000);
  });

  it("refuses limits that cannot hold", () => {
    assert.throws(() => new RttEstimator({ initialMs: 100, minMs: 0, maxMs: 10 }), RangeError);
    assert.throws(() => new RttEstimator({ initialMs: 100, minMs: 200, maxMs: 100 }), RangeError);
  });
});
