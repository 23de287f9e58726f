/**
 * bench:scan — a full 65,535-port TCP connect scan of a firewalled host, nodeward against nmap,
 * in the same run, against the same target.
 *
 * The target is a network namespace this bench creates (root needed): a veth from the root
 * namespace, a real nftables ruleset that drops every inbound TCP port except 9678 and 8080,
 * and listeners on those two. Like a SmartNode behind Vultr's default-drop group. nodeward runs
 * with its defaults; nmap runs `-sT -p- -T4 -Pn -n --reason -oX -` (connect scan, like ours,
 * every state reported: filtered ports come back as ranges in <extrareasons ports=…>).
 *
 * Prints wall time of both, the ratio nodeward/nmap, per-state counts and every port whose
 * state differs. Targets: identical states, nodeward ≤ 0.5× nmap's time. Exit 1 when states
 * differ. Knobs: BENCH_FAMILY=4|6|both (default 4), BENCH_CONCURRENCY (default: nodeward's).
 */
import { execFile } from "node:child_process";
import { performance } from "node:perf_hooks";
import { parsePorts, scanHost, type PortState } from "../src/scan/index.ts";
import { netnsAvailable } from "../src/sim/world/netns.ts";
import { withNodeNamespace } from "../test/helpers/netns.ts";

const OPEN = [9678, 8080];
const RULESET = `table inet nodeward_bench {
  chain input {
    type filter hook input priority filter; policy drop;
    ct state established,related accept
    iif "lo" accept
    icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, nd-router-solicit, nd-router-advert } accept
    tcp dport { ${OPEN.join(", ")} } accept
  }
}
`;
const NMAP_TIMEOUT_MS = 30 * 60_000;
const familyEnv = process.env.BENCH_FAMILY ?? "4";
const families: Array<4 | 6> = familyEnv === "both" ? [4, 6] : familyEnv === "6" ? [6] : [4];
const concurrency = process.env.BENCH_CONCURRENCY === undefined ? undefined : Number(process.env.BENCH_CONCURRENCY);

type States = Map<number, PortState>;
interface Run {
  wallMs: number;
  states: States;
  note: string;
}

async function nodeward(address: string): Promise<Run> {
  const ports = parsePorts("all");
  if (!Array.isArray(ports)) throw new Error(ports.error);
  const started = performance.now();
  const r = await scanHost(address, { ports, ...(concurrency === undefined ? {} : { concurrency }) });
  const wallMs = performance.now() - started;
  const note = `concurrency ${r.concurrency}, ${r.probes} probes, smoothed RTT ${r.rttMs?.toFixed(2) ?? "-"} ms`;
  return { wallMs, states: new Map(r.ports.map((p) => [p.port, p.state])), note };
}

function nmapArgs(address: string, family: 4 | 6): string[] {
  return ["-sT", "-p-", "-T4", "-Pn", "-n", "--reason", "-oX", "-", ...(family === 6 ? ["-6"] : []), address];
}

async function nmap(address: string, family: 4 | 6): Promise<Run> {
  const started = performance.now();
  const xml = await new Promise<string>((resolve, reject) => {
    execFile("nmap", nmapArgs(address, family), { timeout: NMAP_TIMEOUT_MS, killSignal: "SIGKILL", maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) =>
      err ? reject(new Error(`nmap failed: ${stderr || err.message}`)) : resolve(stdout));
  });
  const wallMs = performance.now() - started;
  const states: States = new Map();
  for (const m of xml.matchAll(/<port protocol="tcp" portid="(\d+)"><state state="([a-z|]+)"/g)) states.set(Number(m[1]), m[2] as PortState);
  let unlisted = 0;
  for (const m of xml.matchAll(/<extraports state="([a-z|]+)" count="(\d+)">([\s\S]*?)<\/extraports>/g)) {
    const state = m[1] as PortState;
    let listed = 0;
    for (const r of (m[3] ?? "").matchAll(/ports="([\d,-]+)"/g)) {
      for (const part of (r[1] ?? "").split(",")) {
        const [a, b] = part.split("-").map(Number);
        for (let p = a ?? 0; p <= (b ?? a ?? 0); p += 1) {
          states.set(p, state);
          listed += 1;
        }
      }
    }
    unlisted += Number(m[2]) - listed;
  }
  const version = /<nmaprun [^>]*\bversion="([^"]+)"/.exec(xml)?.[1] ?? "?";
  return { wallMs, states, note: `nmap ${version}${unlisted > 0 ? `, ${unlisted} ports only counted (no ranges in the XML)` : ""}` };
}

function counts(states: States): string {
  const c: Record<string, number> = { open: 0, closed: 0, filtered: 0 };
  for (const s of states.values()) c[s] = (c[s] ?? 0) + 1;
  return Object.entries(c).map(([k, v]) => `${k} ${v}`).join(", ");
}

function disagreements(a: States, b: States): string[] {
  const out: string[] = [];
  for (let p = 1; p <= 65535; p += 1) {
    const x = a.get(p) ?? "missing";
    const y = b.get(p) ?? "missing";
    if (x !== y) out.push(`${p}: nodeward ${x}, nmap ${y}`);
  }
  return out;
}

const available = await netnsAvailable();
if (!available.ok) {
  console.error(`bench:scan needs network namespaces: ${available.reason}`);
  process.exit(1);
}
let allAgree = true;
await withNodeNamespace(async (world) => {
  await world.loadRuleset(RULESET);
  await world.listen(OPEN);
  for (const family of families) {
    const address = family === 4 ? world.v4.node : world.v6.node;
    console.log(`bench:scan — all 65,535 TCP ports of ${address} (IPv${family}, namespace ${world.ns}); nftables drops all but ${OPEN.join(" and ")}, which listen`);
    const ours = await nodeward(address);
    console.log(`\nnodeward scanHost (defaults)\n  wall time   ${(ours.wallMs / 1000).toFixed(2)} s\n  states      ${counts(ours.states)}\n  ${ours.note}`);
    console.log(`\nrunning: nmap ${nmapArgs(address, family).join(" ")}  (about 90 s per family on the 2-core dev box)`);
    const theirs = await nmap(address, family);
    console.log(`nmap\n  wall time   ${(theirs.wallMs / 1000).toFixed(2)} s\n  states      ${counts(theirs.states)}\n  ${theirs.note}`);
    const diff = disagreements(ours.states, theirs.states);
    const ratio = ours.wallMs / theirs.wallMs;
    console.log(`\nnodeward / nmap wall time   ${ratio.toFixed(3)}x`);
    console.log(`port states agree           ${diff.length === 0 ? "yes, all 65,535" : `NO — ${diff.length} ports differ`}`);
    for (const d of diff.slice(0, 40)) console.log(`    ${d}`);
    if (diff.length > 40) console.log(`    … and ${diff.length - 40} more`);
    console.log(`targets (identical states, ≤ 0.5x nmap): ${diff.length === 0 && ratio <= 0.5 ? "met" : "NOT met"}\n`);
    if (diff.length > 0) allAgree = false;
  }
});
if (!allAgree) process.exitCode = 1;
