/**
 * Which port gets the next probe: a port put back after a local hiccup (it never got a real
 * probe) comes first, then first tries in probe order, then retries of silent ports in the order
 * they fell silent — so every retry goes out after all first tries, with a settled RTT estimate,
 * and long after the probe that went unanswered. Pure bookkeeping, including the try count.
 */
export class ProbeQueue {
  readonly #order: readonly number[];
  #nextFirst = 0;
  readonly #again: number[] = [];
  readonly #retries: number[] = [];
  #retryHead = 0;
  readonly #tries = new Map<number, number>();

  constructor(order: readonly number[]) {
    this.#order = order;
  }

  /** The next port to probe, or undefined when nothing waits right now (probes in flight may add retries). */
  next(): number | undefined {
    if (this.#again.length > 0) return this.#again.pop();
    if (this.#nextFirst < this.#order.length) return this.#order[this.#nextFirst++];
    if (this.#retryHead < this.#retries.length) return this.#retries[this.#retryHead++];
    return undefined;
  }

  /** Probes already sent to `port` and answered by silence (0 before its first probe). */
  silentTries(port: number): number {
    return this.#tries.get(port) ?? 0;
  }

  /** The probe to `port` went unanswered: queue another one behind every first try. */
  retry(port: number): void {
    this.#tries.set(port, this.silentTries(port) + 1);
    this.#retries.push(port);
  }

  /** The probe could not be sent (or said nothing about the port): send it again, next. */
  putBack(port: number): void {
    this.#again.push(port);
  }
}
