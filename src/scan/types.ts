/**
 * The vocabulary of a TCP connect scan: what one port turned out to be and why, what a whole
 * scan of one address reports, and the narrow port (`Prober`) the engine uses to send one probe.
 * States follow nmap's connect scan exactly (scan_engine_connect.cc):
 *   open     — connect() succeeded (SYN/ACK came back);
 *   closed   — connect() was refused (RST came back): the packet reached the host;
 *   filtered — no answer before the timeout, or an ICMP error (host/net unreachable,
 *              administratively prohibited, protocol unreachable, host down, no network).
 */

import type { Clock } from "../core/clock.ts";

export type PortState = "open" | "closed" | "filtered";

/** Why a port got its state: the answer that decided it (or its absence). */
export type PortReason =
  | "connected"
  | "refused"
  | "timeout"
  | "unreachable"
  | "net-unreachable"
  | "admin-prohibited"
  | "proto-unreachable"
  | "host-down"
  | "no-network";

export interface PortResult {
  port: number;
  state: PortState;
  reason: PortReason;
  /** Round trip of the probe that answered; absent when nothing answered in time. */
  rttMs?: number;
  /** Probes sent to this port (1 + retries). */
  tries: number;
}

export interface ScanReport {
  /** What was asked for: an address or a name. */
  host: string;
  /** The address that was scanned. */
  address: string;
  family: 4 | 6;
  durationMs: number;
  /** Smoothed round trip (RFC 6298 SRTT) over answered probes; undefined when nothing answered. */
  rttMs: number | undefined;
  /** Every decided port, ascending. When `aborted`, ports still undecided are left out. */
  ports: PortResult[];
  /** True when the signal stopped the scan before every port was decided. */
  aborted: boolean;
  /** Probes sent in total (first tries and retries). */
  probes: number;
  /** The concurrency the scan ran with (the option, or the default from the open-file limit). */
  concurrency: number;
}

export interface ScanProgress {
  done: number;
  total: number;
  open: number;
}

export interface ScanOptions {
  ports: readonly number[];
  /** Probes in flight at once, each one socket (one file descriptor). Default: see concurrency.ts. */
  concurrency?: number;
  /** Timeout before any round trip was measured. Default 1000 ms (nmap's default). */
  initialTimeoutMs?: number;
  /** Floor of the adaptive timeout. Default 100 ms (nmap -T4's min-rtt-timeout). */
  minTimeoutMs?: number;
  /** Ceiling of the adaptive timeout. Default 3000 ms. */
  maxTimeoutMs?: number;
  /**
   * Upper bound of retries for silent (timed-out) ports. Default 2. Like nmap, a silent port is
   * retried once, and one more time per retry that ever turned a silent port into an answer in
   * this scan, up to this bound. 0 disables retries.
   */
  maxRetries?: number;
  /** Address family to use when `host` is a name (ignored for addresses). */
  family?: 4 | 6;
  signal?: AbortSignal;
  onProgress?: (p: ScanProgress) => void;
  clock?: Clock;
}

/** What one probe saw: an answer, silence until the timeout, a local failure, or an abort. */
export type ProbeOutcome =
  | { kind: "answer"; state: PortState; reason: PortReason; rttMs: number; timing: boolean }
  | { kind: "timeout" }
  | { kind: "self-connect" }
  /** This machine failed, not the target answered: out of descriptors or ports (retryable), or refused by our own policy. */
  | { kind: "local-error"; code: string; message: string; retryable: boolean }
  | { kind: "aborted" };

export interface ProbeTarget {
  address: string;
  family: 4 | 6;
}

/** Sends one connect probe; resolves (never rejects) when it is decided, timed out or aborted. */
export type Prober = (target: ProbeTarget, port: number, timeoutMs: number, signal: AbortSignal) => Promise<ProbeOutcome>;
