/**
 * The simulated SmartCash network of the benchmarks that ask it (bench:netview): each bench node's
 * collateral, the address the network has it announced at, and what the network should think of it.
 * Everything follows from the node's index in the fleet, so the node processes (which answer dseg
 * from it, bench/probe-nodes.ts --network) and the bench (which checks the verdicts against it)
 * build the same list without talking to each other.
 *
 * Announce addresses: the simulator, like Core-Smart's SyncSingle, never hands out an entry whose
 * address is RFC 1918 or local, so a node on 127.80.a.b is announced at 198.18.a.b (the benchmarking
 * range of RFC 2544: the low 17 bits of the loopback address, unique within any run of fewer than
 * 131,072 consecutive addresses). The bench tells the survey that both addresses are the node's.
 */
import { createHash } from "node:crypto";
import type { VerdictState } from "../../src/netview/model.ts";
import type { Outpoint } from "../../src/netview/outpoint.ts";
import type { ListingScript } from "../../src/sim/smartnode/network-list.ts";

/** "mixed": the 20-node pattern below; "healthy": every node listed with a fresh ping (ENABLED). */
export const LIST_MIXES = ["mixed", "healthy"] as const;
export type ListMix = (typeof LIST_MIXES)[number];

/** The P2P port the nodes listen on and are announced with (bench/lib/nodes.ts: the real one). */
export const BENCH_P2P_PORT = 9678;

export interface BenchListing {
  /** Index in the fleet (0-based). */
  index: number;
  /** Where the node listens (loopback). */
  address: string;
  /** Where the network has it announced (198.18.0.0/15). */
  announceIp: string;
  outpoint: Outpoint;
  /** What the network holds; undefined: the network does not list the node. */
  script: ListingScript | undefined;
  /** The state a survey must find. */
  expected: VerdictState;
  /** What the script is, for the bench's table ("fresh ping", "ping 80 min old", …). */
  kind: string;
}

interface Pattern {
  kind: string;
  expected: VerdictState;
  /** Undefined: unlisted. */
  script?: Omit<ListingScript, "outpoint" | "addr">;
}

/**
 * One in every 20 nodes of each kind but the first: 12 of 20 are ENABLED with a fresh ping, the rest
 * cover every state a survey can report (Check's boundaries at 20, 65 and 120 minutes, well clear of
 * them so a round of a minute cannot cross one).
 */
const MIXED: readonly Pattern[] = [
  ...Array.from({ length: 12 }, (): Pattern => ({ kind: "fresh ping", expected: "ENABLED", script: { ping: "fresh" } })),
  { kind: "ping 35 min old", expected: "ENABLED", script: { ping: { staleMinutes: 35 } } },
  { kind: "ping 40 min old", expected: "ENABLED", script: { ping: { staleMinutes: 40 } } },
  { kind: "ping 90 min old", expected: "EXPIRED", script: { ping: { staleMinutes: 90 } } },
  { kind: "ping 180 min old", expected: "NEW_START_REQUIRED", script: { ping: { staleMinutes: 180 } } },
  { kind: "never pinged", expected: "NEW_START_REQUIRED", script: { ping: "none" } },
  { kind: "started 5 min ago", expected: "PRE_ENABLED", script: { ping: "fresh", startedMinutesAgo: 5 } },
  { kind: "protocol 90027", expected: "UPDATE_REQUIRED", script: { ping: "fresh", protocolVersion: 90_027 } },
  { kind: "not listed", expected: "UNLISTED" },
];
const HEALTHY: Pattern = MIXED[0]!;

/** The collateral of the node at `index`: a txid no wallet holds (SHA-256 of a label), output index%4. */
export function benchCollateral(index: number): Outpoint {
  return { txid: createHash("sha256").update(`nodeward-bench collateral ${index}`).digest("hex"), index: index % 4 };
}

/** 127.80.a.b → 198.18.a.b (low 17 bits kept, 198.18.0.0/15). */
export function announceAddressOf(loopback: string): string {
  const p = loopback.split(".").map(Number);
  if (p.length !== 4 || p[0] !== 127 || p.some((x) => !Number.isInteger(x) || x < 0 || x > 255)) throw new Error(`not a 127/8 address: ${JSON.stringify(loopback)}`);
  return `${198}.${18 + (p[1]! & 1)}.${p[2]}.${p[3]}`;
}

/** Every node's listing, `addresses` being the whole fleet in order (loopbackAddresses(BASE, COUNT)). */
export function benchListings(addresses: readonly string[], mix: ListMix): BenchListing[] {
  return addresses.map((address, index) => {
    const pattern = mix === "healthy" ? HEALTHY : MIXED[index % MIXED.length]!;
    const outpoint = benchCollateral(index);
    const announceIp = announceAddressOf(address);
    return {
      index,
      address,
      announceIp,
      outpoint,
      script: pattern.script === undefined ? undefined : { ...pattern.script, outpoint, addr: { ip: announceIp, port: BENCH_P2P_PORT } },
      expected: pattern.expected,
      kind: pattern.kind,
    };
  });
}
