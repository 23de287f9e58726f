import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { setImmediate as tick } from "node:timers/promises";
import type { Clock } from "../core/clock.ts";
import { isAppError } from "../core/errors.ts";
import { runScan, WARMUP_PROBES, type EngineOptions } from "./engine.ts";
import type { ProbeOutcome, Prober, ScanProgress } from "./types.ts";

/** A scripted world: what port P answers on its Nth probe (0-based); "hang" waits for the abort. */
type Script = (port: number, tryIndex: number) => ProbeOutcome | "hang";

const open = (rttMs = 10): ProbeOutcome => ({ kind: "answer", state: "open", reason: "connected", rttMs, timing: true });
const closed = (rttMs = 10): ProbeOutcome => ({ kind: "answer", state: "closed", reason: "refused", rttMs, timing: true });
const adminProhibited: ProbeOutcome = { kind: "answer", state: "filtered", reason: "admin-prohibited", rttMs: 3000, timing: false };
const silent: ProbeOutcome = { kind: "timeout" };

const instantClock: Clock = { now: () => 0, sleep: async () => undefined };

interface World {
  prober: Prober;
  calls: Array<{ port: number; timeoutMs: number }>;
  /** "+P" when a probe to P starts, "-P" when it ends. */
  events: string[];
  maxInFlight: () => number;
}

function world(script: Script, onCall?: () => void): World {
  const calls: World["calls"] = [];
  const events: string[] = [];
  const seen = new Map<number, number>();
  let inFlight = 0;
  let max = 0;
  const prober: Prober = async (_t, port, timeoutMs, signal) => {
    const n = seen.get(port) ?? 0;
    seen.set(port, n + 1);
    calls.push({ port, timeoutMs });
    events.push(`+${port}`);
    onCall?.();
    inFlight += 1;
    max = Math.max(max, inFlight);
    try {
      await tick();
      const out = script(port, n);
      if (out !== "hang") return signal.aborted ? { kind: "aborted" } : out;
      await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener("abort", () => resolve(), { once: true })));
      return { kind: "aborted" };
    } finally {
      inFlight -= 1;
      events.push(`-${port}`);
    }
  };
  return { prober, calls, events, maxInFlight: () => max };
}

const base = (order: number[], extra: Partial<EngineOptions> = {}): EngineOptions => ({
  order,
  concurrency: 4,
  limits: { initialMs: 1000, minMs: 100, maxMs: 3000 },
  maxRetries: 2,
  ...extra,
});
const target = { address: "192.0.2.1", family: 4 as const };

describe("runScan", () => {
  it("decides open, closed and filtered like nmap's connect scan, retrying only the silent port", async () => {
    const w = world((port) => (port === 9678 ? open() : port === 2222 ? closed() : port === 2224 ? adminProhibited : silent));
    const r = await runScan(target, base([9678, 2222, 2224, 22]), { prober: w.prober, clock: instantClock });
    assert.deepEqual(
      r.ports.map((p) => [p.port, p.state, p.reason, p.tries]),
      [[22, "filtered", "timeout", 2], [2222, "closed", "refused", 1], [2224, "filtered", "admin-prohibited", 1], [9678, "open", "connected", 1]],
    );
    assert.equal(r.aborted, false);
    assert.equal(r.probes, 5);
    assert.deepEqual(w.calls.filter((c) => c.port === 22).length, 2);
  });

  it("waits the initial timeout until something answers, then adapts to the measured round trip", async () => {
    const w = world((port) => (port === 1 ? closed(40) : silent));
    const r = await runScan(target, base([1, 2, 3, 4, 5, 6, 7, 8], { concurrency: 1 }), { prober: w.prober, clock: instantClock });
    assert.equal(w.calls[0]?.timeoutMs, 1000);
    assert.equal(w.calls[1]?.timeoutMs, 120); // SRTT 40 + 4 × RTTVAR 20
    assert.equal(r.srttMs, 40);
  });

  it("does not let ICMP errors or silence move the timeout", async () => {
    const w = world((port) => (port === 1 ? adminProhibited : silent));
    const r = await runScan(target, base([1, 2, 3], { concurrency: 1 }), { prober: w.prober, clock: instantClock });
    assert.ok(w.calls.every((c) => c.timeoutMs === 1000));
    assert.equal(r.srttMs, undefined);
  });

  it("retries silent ports once when no retry ever got an answer", async () => {
    const w = world(() => silent);
    const r = await runScan(target, base([10, 11, 12]), { prober: w.prober, clock: instantClock });
    assert.ok(r.ports.every((p) => p.state === "filtered" && p.tries === 2));
  });

  it("allows one more retry after a retry turned silence into an answer, up to maxRetries", async () => {
    // port 1 answers only on its second probe; the ports after it then get a third probe
    const w = world((port, n) => (port === 1 && n === 1 ? open() : silent));
    const r = await runScan(target, base([1, 2, 3], { concurrency: 1, maxRetries: 2 }), { prober: w.prober, clock: instantClock });
    assert.deepEqual(r.ports.map((p) => [p.port, p.state, p.tries]), [[1, "open", 2], [2, "filtered", 3], [3, "filtered", 3]]);
  });

  it("sends exactly one probe per port when retries are off", async () => {
    const w = world(() => silent);
    const r = await runScan(target, base([1, 2, 3], { maxRetries: 0 }), { prober: w.prober, clock: instantClock });
    assert.equal(r.probes, 3);
    assert.ok(r.ports.every((p) => p.tries === 1));
  });

  it("never has more probes in flight than the concurrency", async () => {
    const w = world((port) => (port % 7 === 0 ? open() : silent));
    const order = Array.from({ length: 500 }, (_, i) => i + 1);
    const r = await runScan(target, base(order, { concurrency: 32 }), { prober: w.prober, clock: instantClock });
    assert.equal(r.ports.length, 500);
    assert.equal(w.maxInFlight(), 32);
  });

  it("sends only a warm-up batch until the first round trip is measured", async () => {
    const w = world((port) => (port === 1 ? closed() : silent));
    const order = Array.from({ length: 300 }, (_, i) => i + 1);
    await runScan(target, base(order, { concurrency: 200 }), { prober: w.prober, clock: instantClock });
    const firstEnd = w.events.findIndex((e) => e.startsWith("-"));
    assert.equal(w.events.slice(0, firstEnd).length, WARMUP_PROBES);
    assert.equal(w.maxInFlight(), 200);
  });

  it("pings a port known to answer when no round trip was measured for a while", async () => {
    let now = 0;
    const clock: Clock = { now: () => now, sleep: async () => undefined };
    const w = world((port) => (port === 1 ? closed(30) : silent), () => (now += 100));
    const order = Array.from({ length: 40 }, (_, i) => i + 1);
    const r = await runScan(target, base(order, { concurrency: 2 }), { prober: w.prober, clock });
    const toPort1 = w.calls.filter((c) => c.port === 1).length;
    assert.ok(toPort1 > 3, `${toPort1} probes to the answering port`);
    assert.equal(r.ports.find((p) => p.port === 1)?.tries, 1, "pings are not tries");
    assert.equal(r.probes, w.calls.length, "pings are counted as probes");
    assert.equal(r.srttMs, 30);
  });

  it("reports progress for every decided port, counting the open ones", async () => {
    const seen: ScanProgress[] = [];
    const w = world((port) => (port <= 2 ? open() : closed()));
    await runScan(target, base([1, 2, 3, 4], { onProgress: (p) => seen.push(p) }), { prober: w.prober, clock: instantClock });
    assert.equal(seen.length, 4);
    assert.deepEqual(seen.at(-1), { done: 4, total: 4, open: 2 });
  });

  it("resolves quickly with the decided ports when aborted", async () => {
    const ac = new AbortController();
    const w = world((port) => (port <= 3 ? closed() : "hang"));
    const order = Array.from({ length: 100 }, (_, i) => i + 1);
    const pending = runScan(target, base(order, { concurrency: 10, signal: ac.signal }), { prober: w.prober, clock: instantClock });
    await tick();
    await tick();
    ac.abort();
    const r = await pending;
    assert.equal(r.aborted, true);
    assert.deepEqual(r.ports.map((p) => p.port), [1, 2, 3]);
    assert.ok(w.calls.length < 20, `${w.calls.length} probes after an abort`);
  });

  it("sends nothing when the signal is already aborted", async () => {
    const w = world(() => open());
    const r = await runScan(target, base([1, 2], { signal: AbortSignal.abort() }), { prober: w.prober, clock: instantClock });
    assert.equal(r.aborted, true);
    assert.equal(w.calls.length, 0);
  });

  it("probes a self-connected port again instead of calling it open", async () => {
    const w = world((port, n) => (n === 0 ? { kind: "self-connect" } : closed()));
    const r = await runScan(target, base([40000]), { prober: w.prober, clock: instantClock });
    assert.deepEqual(r.ports.map((p) => [p.state, p.tries]), [["closed", 1]]);
  });

  it("shrinks the pool when descriptors run out and still decides every port", async () => {
    let live = 0;
    const w = world(() => silent);
    const prober: Prober = async (t, port, timeoutMs, signal) => {
      if (live >= 5) return { kind: "local-error", code: "EMFILE", message: "too many open files", retryable: true };
      live += 1;
      try {
        return await w.prober(t, port, timeoutMs, signal);
      } finally {
        live -= 1;
      }
    };
    const order = Array.from({ length: 200 }, (_, i) => i + 1);
    const r = await runScan(target, base(order, { concurrency: 50 }), { prober, clock: instantClock });
    assert.equal(r.ports.length, 200);
    assert.ok(r.ports.every((p) => p.state === "filtered" && p.tries === 2));
    assert.ok(w.maxInFlight() <= 5);
  });

  it("gives up with a usage error when even one socket cannot be opened", async () => {
    const prober: Prober = async () => ({ kind: "local-error", code: "EMFILE", message: "too many open files", retryable: true });
    await assert.rejects(
      runScan(target, base([1, 2, 3]), { prober, clock: instantClock }),
      (e: unknown) => isAppError(e) && e.code === "USAGE" && /EMFILE/.test(e.message) && /ulimit -n/.test(e.hint ?? ""),
    );
  });

  it("stops with a usage error when this machine's own firewall refuses to connect", async () => {
    const w = world((port) => (port === 3 ? { kind: "local-error", code: "EPERM", message: "operation not permitted", retryable: false } : "hang"));
    const order = Array.from({ length: 50 }, (_, i) => i + 1);
    await assert.rejects(
      runScan(target, base(order, { concurrency: 5 }), { prober: w.prober, clock: instantClock }),
      (e: unknown) => isAppError(e) && /EPERM/.test(e.message) && /own firewall/.test(e.hint ?? ""),
    );
    assert.ok(w.calls.length <= 6, `${w.calls.length} probes sent`);
  });

  it("rejects when the progress callback throws, after every probe has stopped", async () => {
    const w = world(() => open());
    await assert.rejects(
      runScan(target, base([1, 2, 3], { onProgress: () => { throw new Error("renderer broke"); } }), { prober: w.prober, clock: instantClock }),
      /renderer broke/,
    );
  });
});
