/**
 * Child processes and /proc readings for the benchmarks: start a helper process and wait for its
 * one-line JSON "ready" report, stop it (SIGTERM, then SIGKILL after a deadline), and read another
 * process's CPU time, RSS and open-file limit from /proc, so each process is measured alone.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { createInterface } from "node:readline";

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ); 100 on every Linux that matters. */
const TICKS = 100;

export interface CpuTimes {
  user: number;
  system: number;
  /** user + system, seconds. */
  total: number;
}

/** utime and stime of a process, in seconds (fields 14 and 15 of /proc/<pid>/stat). */
export function readCpu(pid: number, statPath = `/proc/${pid}/stat`): CpuTimes {
  const stat = readFileSync(statPath, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // fields[0] is field 3 (state): utime is field 14, stime field 15.
  const user = Number(fields[11]) / TICKS;
  const system = Number(fields[12]) / TICKS;
  return { user, system, total: user + system };
}

/** CPU seconds per thread name (/proc/<pid>/task/<tid>/{comm,stat}), threads of one name summed. */
export function readThreadCpu(pid: number): Map<string, CpuTimes & { threads: number }> {
  const out = new Map<string, CpuTimes & { threads: number }>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const comm = readFileSync(`/proc/${pid}/task/${tid}/comm`, "utf8").trim();
      const name = tid === String(pid) ? `${comm} (main thread)` : comm;
      const c = readCpu(pid, `/proc/${pid}/task/${tid}/stat`);
      const prev = out.get(name) ?? { user: 0, system: 0, total: 0, threads: 0 };
      out.set(name, { user: prev.user + c.user, system: prev.system + c.system, total: prev.total + c.total, threads: prev.threads + 1 });
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return out;
}

export interface MemKiB {
  /** Resident now. */
  rss: number;
  /** The high-water mark of RSS over the process's life. */
  hwm: number;
}

export function readMem(pid: number): MemKiB {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
  return { rss: kib("VmRSS"), hwm: kib("VmHWM") };
}

export function openFileLimit(pid: number | "self" = "self"): { soft: number; hard: number } {
  const limits = readFileSync(`/proc/${pid}/limits`, "utf8");
  const m = /^Max open files\s+(\S+)\s+(\S+)/m.exec(limits);
  const n = (s: string | undefined) => (s === undefined || s === "unlimited" ? Infinity : Number(s));
  return { soft: n(m?.[1]), hard: n(m?.[2]) };
}

export function openFiles(pid: number): number {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return NaN;
  }
}

export interface Helper<R> {
  child: ChildProcess;
  pid: number;
  ready: R;
  /** The helper's stderr lines so far (also echoed with a prefix when `echo`). */
  stderr: string[];
  /** Sends one line to the helper's stdin. */
  send(line: string): void;
  /** Further stdout lines after the ready line. */
  onLine(fn: (line: string) => void): void;
}

/**
 * Spawns `command args` with piped stdio and resolves when its first stdout line, JSON with
 * `ready: true`, arrives; rejects if it exits first or stays silent for `timeoutMs`. Closing our
 * end of its stdin (or our exit) tells the helpers to shut down.
 */
export async function startHelper<R extends { ready: true }>(
  name: string,
  command: string,
  args: readonly string[],
  opts: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs: number; echo?: boolean },
): Promise<Helper<R>> {
  const child = spawn(command, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ["pipe", "pipe", "pipe"] });
  const stderr: string[] = [];
  createInterface({ input: child.stderr! }).on("line", (line) => {
    if (stderr.length < 10_000) stderr.push(line);
    if (opts.echo ?? true) process.stderr.write(`  [${name}] ${line}\n`);
  });
  const lines = createInterface({ input: child.stdout! });
  const listeners: ((line: string) => void)[] = [];
  let first = true;
  const ready = await new Promise<R>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not report ready within ${opts.timeoutMs / 1000} s`)), opts.timeoutMs);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited before it was ready (code ${code}, signal ${signal}): ${stderr.slice(-5).join(" | ")}`));
    });
    child.once("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    lines.on("line", (line) => {
      if (!first) {
        for (const l of listeners) l(line);
        return;
      }
      first = false;
      clearTimeout(timer);
      try {
        const r = JSON.parse(line) as R;
        if (r.ready === true) resolve(r);
        else reject(new Error(`${name}: unexpected first line ${line.slice(0, 200)}`));
      } catch {
        reject(new Error(`${name}: first line is not JSON: ${line.slice(0, 200)}`));
      }
    });
  }).catch(async (e: unknown) => {
    await stopHelper(child, 5_000);
    throw e;
  });
  child.removeAllListeners("exit");
  return {
    child,
    pid: child.pid!,
    ready,
    stderr,
    send: (line) => void child.stdin!.write(`${line}\n`),
    onLine: (fn) => void listeners.push(fn),
  };
}

/** SIGTERM, then SIGKILL if it has not exited within `graceMs`; resolves with how it ended. */
export async function stopHelper(child: ChildProcess, graceMs: number): Promise<string> {
  if (child.exitCode !== null || child.signalCode !== null) return `already exited (${child.exitCode ?? child.signalCode})`;
  const exited = new Promise<string>((resolve) => child.once("exit", (code, signal) => resolve(signal === null ? `exit ${code}` : `signal ${signal}`)));
  child.kill("SIGTERM");
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"late">((resolve) => (timer = setTimeout(() => resolve("late"), graceMs)));
  const first = await Promise.race([exited, late]);
  clearTimeout(timer);
  if (first !== "late") return first;
  child.kill("SIGKILL");
  return `${await exited} (SIGKILL after ${graceMs / 1000} s)`;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The whole machine's CPU time from /proc/stat, in seconds over all cores: busy (not idle nor waiting for I/O) and total. */
export function readMachineCpu(): { busy: number; total: number } {
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0]!;
  // cpu  user nice system idle iowait irq softirq steal guest guest_nice (guest time is inside user)
  const v = line.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = v.reduce((a, b) => a + b, 0);
  return { busy: (total - v[3]! - v[4]!) / TICKS, total: total / TICKS };
}
