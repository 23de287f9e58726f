/**
 * The adaptive probe timeout, RFC 6298 style (the same estimator nmap uses for its RTT timeouts):
 *   first sample R:  SRTT = R, RTTVAR = R/2
 *   next samples R:  RTTVAR = 3/4·RTTVAR + 1/4·|SRTT − R|,  SRTT = 7/8·SRTT + 1/8·R
 *   timeout       =  SRTT + max(G, 4·RTTVAR), clamped to [min, max]
 * Before the first sample the timeout is `initialMs` (also clamped). Only answered probes are
 * samples (a SYN/ACK or an RST); silence is not, and — unlike TCP's retransmission timer — a
 * timeout does not double the estimate: a firewall that drops everything is not congestion.
 * Pure: the caller measures round trips and feeds them in.
 */

export interface RttLimits {
  initialMs: number;
  minMs: number;
  maxMs: number;
}

/** Clock granularity G of RFC 6298: the smallest variance margin added to SRTT. */
const GRANULARITY_MS = 1;

export class RttEstimator {
  readonly #limits: RttLimits;
  #srtt: number | undefined;
  #rttvar = 0;
  #samples = 0;

  constructor(limits: RttLimits) {
    if (!(limits.minMs > 0) || !(limits.maxMs >= limits.minMs) || !(limits.initialMs > 0)) {
      throw new RangeError(`RTT limits must satisfy 0 < min ≤ max and initial > 0; got min ${limits.minMs}, max ${limits.maxMs}, initial ${limits.initialMs}`);
    }
    this.#limits = { ...limits };
  }

  /** Feeds one measured round trip (ms, ≥ 0). Non-finite or negative values are ignored. */
  sample(rttMs: number): void {
    if (!Number.isFinite(rttMs) || rttMs < 0) return;
    if (this.#srtt === undefined) {
      this.#srtt = rttMs;
      this.#rttvar = rttMs / 2;
    } else {
      this.#rttvar = 0.75 * this.#rttvar + 0.25 * Math.abs(this.#srtt - rttMs);
      this.#srtt = 0.875 * this.#srtt + 0.125 * rttMs;
    }
    this.#samples += 1;
  }

  /** How long the next probe waits for an answer. */
  timeoutMs(): number {
    const raw = this.#srtt === undefined ? this.#limits.initialMs : this.#srtt + Math.max(GRANULARITY_MS, 4 * this.#rttvar);
    return Math.min(this.#limits.maxMs, Math.max(this.#limits.minMs, raw));
  }

  /** Smoothed round trip; undefined before the first sample. */
  get srttMs(): number | undefined {
    return this.#srtt;
  }

  get rttvarMs(): number {
    return this.#rttvar;
  }

  get samples(): number {
    return this.#samples;
  }
}
