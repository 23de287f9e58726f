import type { AddressEvidence, HandshakeObservation, PortObservation, SapiObservation, VerifyExpectation, VerifyTarget } from "./evidence.ts";
import { verifyFindings, type VerifyFinding } from "./findings.ts";

/** The three outside-in probes, passed in by the composition root (real scanner, handshake, SAPI). */
export interface VerifyProbes {
  scan(address: string, ports: readonly number[], signal?: AbortSignal): Promise<readonly PortObservation[]>;
  handshake?(address: string, port: number, signal?: AbortSignal): Promise<HandshakeObservation>;
  sapi?(address: string, port: number, signal?: AbortSignal): Promise<SapiObservation>;
}

export interface VerifyOptions {
  expectation: VerifyExpectation;
  /** Ports scanned on every address besides the required and allowed ones. */
  extraPorts: readonly number[];
  handshakePort?: number;
  sapiPort?: number;
  /** Nodes verified at the same time (each scan bounds its own sockets). */
  concurrency?: number;
  signal?: AbortSignal;
  onNodeDone?: (report: NodeReport, done: number, total: number) => void;
}

export interface NodeReport {
  target: VerifyTarget;
  evidence: readonly AddressEvidence[];
  findings: readonly VerifyFinding[];
}

/** Scans and probes every address of every target; findings come from the pure verifyFindings. */
export async function verifyNodes(targets: readonly VerifyTarget[], probes: VerifyProbes, opts: VerifyOptions): Promise<NodeReport[]> {
  const ports = [...new Set([...opts.expectation.required.map((r) => r.port), ...opts.expectation.allowed, ...opts.extraPorts])].sort((a, b) => a - b);
  const reports: NodeReport[] = new Array(targets.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    for (let i = next++; i < targets.length; i = next++) {
      const target = targets[i]!;
      const evidence = await Promise.all(target.addresses.map((a) => observe(a, ports, probes, opts)));
      reports[i] = { target, evidence, findings: evidence.flatMap((e) => verifyFindings(e, opts.expectation)) };
      opts.onNodeDone?.(reports[i]!, ++done, targets.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency ?? 4, targets.length)) }, worker));
  return reports;
}

async function observe(a: { address: string; family: 4 | 6 }, ports: readonly number[], probes: VerifyProbes, opts: VerifyOptions): Promise<AddressEvidence> {
  const [scanned, handshake, sapi] = await Promise.all([
    probes.scan(a.address, ports, opts.signal),
    opts.handshakePort !== undefined && probes.handshake ? probes.handshake(a.address, opts.handshakePort, opts.signal) : undefined,
    opts.sapiPort !== undefined && probes.sapi ? probes.sapi(a.address, opts.sapiPort, opts.signal) : undefined,
  ]);
  return {
    address: a.address,
    family: a.family,
    ports: scanned,
    ...(handshake === undefined || opts.handshakePort === undefined ? {} : { handshake: { port: opts.handshakePort, result: handshake } }),
    ...(sapi === undefined || opts.sapiPort === undefined ? {} : { sapi: { port: opts.sapiPort, result: sapi } }),
  };
}
