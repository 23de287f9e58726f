/**
 * One run of the watch daemon as bench:watch measures it, for benches that compare runs of it
 * (bench:netview: with and without the network view): started from a config, warmed up for one
 * probe interval (every node probed), measured for a window (CPU from /proc/<pid>/stat, peak RSS
 * from VmHWM, probes from /healthz, what the simulated nodes were asked), then one /metrics scrape
 * (missed slots, the network's view of each node) and stopped.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { NodeProcesses, NodeStats } from "./nodes.ts";
import { readCpu, readMem, sleep, startHelper, stopHelper } from "./proc.ts";

export interface WatchRunSetup {
  repo: string;
  dir: string;
  /** The bundled watch-daemon.mjs and the node flags to run it with (bench/lib/daemon.ts). */
  bundle: string;
  flags: readonly string[];
  apiKey: string;
  nodes: NodeProcesses;
  nodeCount: number;
  intervalS: number;
  minutes: number;
  /** Alerts received so far (the bench's webhook receiver). */
  alerts: () => number;
}

export interface WatchRunFigures {
  wallS: number;
  cpuS: number;
  /** Of cpuS: in the kernel (system calls: connect, send, close, epoll) and in user space. */
  systemS: number;
  userS: number;
  /** Share of one core over the window. */
  share: number;
  /** VmHWM over the daemon's life up to the end of the window, MB. */
  peakMB: number;
  probes: number;
  missed: number;
  alerts: number;
  /** What the simulated nodes were asked over the window. */
  asked: NodeStats;
  /** nodeward_network_state after the window: nodes per state (empty when the network is not asked). */
  states: Map<string, number>;
}

const f = (x: number, d = 2) => x.toFixed(d);
const MB = (kib: number) => kib / 1024;

/**
 * Runs the daemon on `config` (YAML text), printing a line per stage and per minute, indented.
 * With `profilePath`, also writes a V8 CPU profile of the window there (its overhead is then in the CPU figures).
 */
export async function watchRun(s: WatchRunSetup, name: string, config: string, profilePath?: string): Promise<WatchRunFigures> {
  const file = join(s.dir, `${name}.yaml`);
  writeFileSync(file, config);
  const t0 = performance.now();
  const daemon = await startHelper<{ ready: true; url: string; pid: number }>(name, process.execPath, [...s.flags, s.bundle, file], {
    cwd: s.repo,
    env: { ...process.env, VULTR_API_KEY: s.apiKey, HOME: s.dir, XDG_DATA_HOME: s.dir },
    timeoutMs: 300_000,
  });
  try {
    const { pid, url } = daemon.ready;
    const readyAt = performance.now();
    console.log(`   ${name}: pid ${pid}, ${url}, ready in ${f((readyAt - t0) / 1000, 1)} s, RSS ${f(MB(readMem(pid).rss), 1)} MB`);
    const health = async () => (await (await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(30_000) })).json()) as { status: string; probes: number };

    // Warm-up as bench:watch's: a full interval, every node probed.
    for (;;) {
      const h = await health();
      const now = performance.now();
      const done = now >= readyAt + (s.intervalS + 5) * 1000 && h.probes >= s.nodeCount;
      if (done || now > readyAt + 3 * s.intervalS * 1000) {
        console.log(`   warm-up    ${f((now - readyAt) / 1000, 0)} s${done ? "" : " (bounded: not every node probed)"}: ${h.probes} probes, status ${h.status}, RSS ${f(MB(readMem(pid).rss), 1)} MB`);
        break;
      }
      await sleep(2000);
    }

    /** V8's heap spaces as committed now (no GC): where a higher RSS sits. */
    const spaces = async () => {
      const got = new Promise<string>((resolve) =>
        daemon.onLine((line) => {
          if (!line.startsWith('{"spaces"')) return;
          const sp = (JSON.parse(line) as { spaces: Record<string, number> }).spaces;
          resolve(`V8 new ${f(sp["new_space"] ?? NaN, 1)}, old ${f(sp["old_space"] ?? NaN, 1)}, large ${f((sp["large_object_space"] ?? 0) + (sp["new_large_object_space"] ?? 0), 1)}, code ${f(sp["code_space"] ?? NaN, 1)}, external ${f(sp["external"] ?? NaN, 1)} MB`);
        }),
      );
      daemon.send("spaces");
      return Promise.race([got, sleep(5_000).then(() => "heap spaces: no answer")]);
    };
    const h0 = await health();
    const asked0 = await s.nodes.stats();
    const alerts0 = s.alerts();
    const c0 = readCpu(pid);
    const cpu0 = c0.total;
    const w0 = performance.now();
    if (profilePath !== undefined) daemon.send("profile start");
    let last = { cpu: cpu0, probes: h0.probes, asked: asked0 };
    for (let minute = 1; minute <= Math.ceil(s.minutes); minute++) {
      const until = w0 + Math.min(minute, s.minutes) * 60_000;
      while (performance.now() < until) await sleep(Math.min(1000, until - performance.now()));
      const [h, asked, heap] = [await health(), await s.nodes.stats(), await spaces()];
      const cpu = readCpu(pid).total;
      const mem = readMem(pid);
      console.log(
        `   minute ${String(minute).padStart(2)}  ${h.probes - last.probes} probes, ${asked.dsegs - last.asked.dsegs} dseg at the nodes, CPU ${f(cpu - last.cpu)} s, RSS ${f(MB(mem.rss), 1)} MB (VmHWM ${f(MB(mem.hwm), 1)}; ${heap})`,
      );
      last = { cpu, probes: h.probes, asked };
    }
    if (profilePath !== undefined) {
      const written = new Promise<void>((resolve) => daemon.onLine((line) => line.includes('"profile"') && resolve()));
      daemon.send(`profile stop ${profilePath}`);
      await Promise.race([written, sleep(60_000)]);
    }
    const c1 = readCpu(pid);
    const cpu1 = c1.total;
    const wallS = (performance.now() - w0) / 1000;
    const mem = readMem(pid);
    const h1 = await health();
    const asked1 = await s.nodes.stats();
    const alerts = s.alerts() - alerts0;

    // After the window, as bench:watch does: a scrape is work for Prometheus, not for watching.
    const text = await (await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(120_000) })).text();
    const missed = Number(/^nodeward_missed_slots_total (\S+)$/m.exec(text)?.[1] ?? NaN);
    const states = new Map<string, number>();
    for (const m of text.matchAll(/^nodeward_network_state\{[^}]*state="([A-Z_]+)"[^}]*\} 1$/gm)) states.set(m[1]!, (states.get(m[1]!) ?? 0) + 1);
    const asked = Object.fromEntries(Object.entries(asked1).map(([k, v]) => [k, v - asked0[k as keyof NodeStats]])) as unknown as NodeStats;
    const cpuS = cpu1 - cpu0;
    return { wallS, cpuS, systemS: c1.system - c0.system, userS: c1.user - c0.user, share: cpuS / wallS, peakMB: MB(mem.hwm), probes: h1.probes - h0.probes, missed, alerts, asked, states };
  } finally {
    console.log(`   stopped    ${await stopHelper(daemon.child, 30_000)}`);
  }
}
