/**
 * scan — TCP connect scanning of one host, IPv4 and IPv6, with nmap's open / closed / filtered
 * states. The public surface; the engine, prober and estimator stay inside.
 */
export type { PortReason, PortResult, PortState, ScanOptions, ScanProgress, ScanReport } from "./types.ts";
export { parsePorts, probeOrder, tcpPortsOf, TOP_TCP_PORTS, type PortsResult } from "./ports.ts";
export { scanHost, scanHostFamilies } from "./scan.ts";
export { defaultConcurrency, MAX_CONCURRENCY } from "./concurrency.ts";
export { DEFAULT_INITIAL_TIMEOUT_MS, DEFAULT_MAX_RETRIES, DEFAULT_MAX_TIMEOUT_MS, DEFAULT_MIN_TIMEOUT_MS } from "./options.ts";
export { classifyConnectError, type ErrnoClass } from "./classify.ts";
