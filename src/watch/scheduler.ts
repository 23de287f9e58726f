import type { MonotonicClock } from "../core/clock.ts";
import { childAbort } from "../core/abort.ts";
import { MinHeap } from "./heap.ts";
import type { ProbeRecord } from "./model.ts";

export interface SchedulerOptions<N extends { nodeId: string }> {
  /** Slots are kept on its monotonic clock: a step of the system clock neither freezes nor floods the schedule. */
  clock: MonotonicClock;
  intervalMs: number;
  /** Faster re-probes while a node is failing, to confirm or clear it (default 15 s). */
  confirmIntervalMs: number;
  concurrency: number;
  probe: (node: N, signal: AbortSignal) => Promise<ProbeRecord>;
  /** Results are handed over in batches (one store transaction each). */
  onResults: (batch: ProbeRecord[]) => Promise<void>;
  isFailing: (nodeId: string) => boolean;
  /** A probe that starts later than this after its slot counts as missed (default 10 % of the interval). */
  lateAfterMs?: number;
}

export interface SchedulerStats {
  probes: number;
  missed: number;
  inFlight: number;
  maxLateMs: number;
}

/**
 * Probes each node once per interval in its own slot — slots spread over the interval by a hash of
 * the node id, so 10,000 nodes make an even ~167 probes/s instead of a burst — and re-probes failing
 * nodes sooner. Bounded concurrency; results are batched.
 */
export class Scheduler<N extends { nodeId: string }> {
  readonly #o: SchedulerOptions<N>;
  readonly #queue = new MinHeap<{ nodeId: string; gen: number }>();
  readonly #nodes = new Map<string, { node: N; gen: number }>();
  readonly #buffer: ProbeRecord[] = [];
  readonly #stats: SchedulerStats = { probes: 0, missed: 0, inFlight: 0, maxLateMs: 0 };
  #gen = 0;
  #wake: () => void = () => {};
  #sleepUntil = 0;
  #turnAt: number;

  constructor(o: SchedulerOptions<N>) {
    this.#o = o;
    this.#turnAt = o.clock.monotonic();
  }

  /** When the loop last turned (monotonic ms): a watchdog tells a stuck scheduler by it. */
  heartbeat(): number {
    return this.#turnAt;
  }

  stats(): SchedulerStats {
    return { ...this.#stats };
  }

  /** Adds new nodes at their slot, forgets departed ones; nodes already scheduled keep their slot. */
  setNodes(nodes: readonly N[]): void {
    const now = this.#o.clock.monotonic();
    const ids = new Set(nodes.map((n) => n.nodeId));
    for (const id of this.#nodes.keys()) if (!ids.has(id)) this.#nodes.delete(id);
    for (const node of nodes) {
      const known = this.#nodes.get(node.nodeId);
      if (known !== undefined) {
        known.node = node;
        continue;
      }
      const gen = ++this.#gen;
      this.#nodes.set(node.nodeId, { node, gen });
      this.#queue.push(this.#slotAfter(node.nodeId, now), { nodeId: node.nodeId, gen });
    }
  }

  /** Runs until the signal aborts; in-flight probes are cancelled through the same signal. */
  async run(signal: AbortSignal): Promise<void> {
    const inFlight = new Set<Promise<void>>();
    let lastFlush = this.#o.clock.monotonic();
    while (!signal.aborted) {
      const now = this.#o.clock.monotonic();
      this.#turnAt = now;
      while (this.#stats.inFlight < this.#o.concurrency && (this.#queue.peekKey() ?? Infinity) <= now) {
        const item = this.#queue.pop()!;
        const entry = this.#nodes.get(item.value.nodeId);
        if (entry === undefined || entry.gen !== item.value.gen) continue;
        const late = now - item.key;
        this.#stats.maxLateMs = Math.max(this.#stats.maxLateMs, late);
        if (late > (this.#o.lateAfterMs ?? this.#o.intervalMs * 0.1)) this.#stats.missed++;
        const p = this.#one(entry.node, entry.gen, item.key, signal).finally(() => inFlight.delete(p));
        inFlight.add(p);
      }
      if (now - lastFlush >= 1000 || signal.aborted) {
        lastFlush = now;
        await this.flush();
      }
      const next = this.#queue.peekKey();
      // Wake-ups cost CPU: at 10,000 nodes per minute, waking for every slot (~6 ms apart) doubled the
      // daemon's CPU. Slots within one tick (interval/600, 5–100 ms) are started together instead.
      const tick = Math.min(100, Math.max(5, this.#o.intervalMs / 600));
      const wait = this.#stats.inFlight >= this.#o.concurrency ? 20 : Math.min(250, Math.max(tick, (next ?? now + 250) - now));
      const woken = childAbort(signal);
      this.#wake = () => woken.abort();
      this.#sleepUntil = now + wait;
      await this.#o.clock.sleep(wait, woken.signal).catch(() => undefined);
      woken.dispose();
    }
    await Promise.allSettled([...inFlight]);
    await this.flush();
  }

  /** Hands the buffered results over now (shutdown, tests). */
  async flush(): Promise<void> {
    if (this.#buffer.length === 0) return;
    await this.#o.onResults(this.#buffer.splice(0));
  }

  async #one(node: N, gen: number, slot: number, signal: AbortSignal): Promise<void> {
    this.#stats.inFlight++;
    try {
      const r = await this.#o.probe(node, signal);
      if (signal.aborted) return;
      this.#stats.probes++;
      this.#buffer.push(r);
      const entry = this.#nodes.get(node.nodeId);
      if (entry === undefined || entry.gen !== gen) return;
      const failing = !r.ok || this.#o.isFailing(node.nodeId);
      const next = failing ? this.#o.clock.monotonic() + this.#o.confirmIntervalMs : this.#slotAfter(node.nodeId, slot + 1);
      this.#queue.push(next, { nodeId: node.nodeId, gen });
      if (next < this.#sleepUntil) this.#wake();
    } finally {
      this.#stats.inFlight--;
    }
  }

  /** The node's first slot at or after `t`: its offset within the interval comes from a hash of its id. */
  #slotAfter(nodeId: string, t: number): number {
    const i = this.#o.intervalMs;
    const offset = hash(nodeId) % i;
    const base = Math.floor(t / i) * i + offset;
    return base >= t ? base : base + i;
  }
}

/** FNV-1a, 32-bit: a stable, even spread of slots. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
