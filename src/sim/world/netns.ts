import { execFile, spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import { AppError } from "../../core/errors.ts";

/**
 * Linux network namespaces with a real kernel firewall, for the simulator's world and for tests:
 * small wrappers around `ip` (iproute2) and `nft` (nftables), run with execFile — never a shell —
 * and bounded in time. Needs root. Every failure is a NetnsError that quotes the command and what
 * it printed. Nothing here picks names or addresses: the caller owns them and must delete what it
 * created (deleteNamespace also removes the veth ends inside and ends the namespace's processes).
 */

export type NetnsAvailability = { ok: true } | { ok: false; reason: string };

export interface CommandResult {
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Written to the command's stdin. */
  input?: string;
  /** Kill the command after this long. Default 15 s. */
  timeoutMs?: number;
}

export class NetnsError extends AppError {
  readonly command: string;
  readonly stderr: string;

  constructor(command: string, stderr: string, detail: string, cause?: unknown) {
    super("USAGE", `\`${command}\` failed: ${detail}`, {
      cause,
      hint: "network namespaces need root, iproute2 (ip) and nftables (nft): apt-get install iproute2 nftables",
    });
    this.name = "NetnsError";
    this.command = command;
    this.stderr = stderr;
  }
}

const DEFAULT_TIMEOUT_MS = 15_000;
/** ip netns names become files under /run/netns; interface names are at most 15 bytes (IFNAMSIZ). */
const NS_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const IF_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$/;

/** Runs one command; resolves with its output, rejects with a NetnsError when it fails or hangs. */
export function runCommand(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<CommandResult> {
  const text = [cmd, ...args].join(" ");
  return new Promise((resolve, reject) => {
    const child = execFile(cmd, args, { timeout: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, killSignal: "SIGKILL", maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err === null) return resolve({ stdout, stderr });
      const e = err as NodeJS.ErrnoException & { killed?: boolean; code?: string | number };
      const detail =
        e.code === "ENOENT" ? `${cmd} is not installed (not on PATH)` :
        e.killed === true ? `no answer within ${opts.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms` :
        `exit ${String(e.code)}: ${stderr.trim() || stdout.trim() || e.message}`;
      reject(new NetnsError(text, stderr, detail, err));
    });
    child.stdin?.on("error", () => undefined); // EPIPE when the command exits without reading
    child.stdin?.end(opts.input ?? "");
  });
}

/** Whether this process can create namespaces and load nftables rulesets in them, and if not, why. */
export async function netnsAvailable(): Promise<NetnsAvailability> {
  if (process.platform !== "linux") return { ok: false, reason: `network namespaces are Linux-only (this is ${process.platform})` };
  const uid = process.getuid?.();
  if (uid !== 0) return { ok: false, reason: `creating network namespaces needs root (running as uid ${uid ?? "unknown"})` };
  for (const [cmd, args, pkg] of [["ip", ["-V"], "iproute2"], ["nft", ["--version"], "nftables"]] as const) {
    try {
      await runCommand(cmd, args, { timeoutMs: 5000 });
    } catch (err) {
      return { ok: false, reason: `${cmd} does not run (${(err as Error).message}); install ${pkg}` };
    }
  }
  const probe = `nwprobe${process.pid}x${Math.floor(Math.random() * 1e6)}`;
  try {
    await createNamespace(probe);
    await execInNamespace(probe, "nft", ["list", "ruleset"], { timeoutMs: 5000 });
    return { ok: true };
  } catch (err) {
    return { ok: false, reason: `cannot use a network namespace with nftables: ${(err as Error).message}` };
  } finally {
    await deleteNamespace(probe).catch(() => undefined);
  }
}

export async function createNamespace(name: string): Promise<void> {
  checkName(name, NS_NAME, "namespace");
  await runCommand("ip", ["netns", "add", name]);
  try {
    await runCommand("ip", ["-n", name, "link", "set", "lo", "up"]);
  } catch (err) {
    await runCommand("ip", ["netns", "del", name]).catch(() => undefined);
    throw err;
  }
}

/** Names of the namespaces `ip netns` knows. */
export async function listNamespaces(): Promise<string[]> {
  const { stdout } = await runCommand("ip", ["netns", "list"]);
  return stdout.split("\n").map((l) => l.trim().split(/\s+/)[0] ?? "").filter((n) => n !== "");
}

/**
 * Deletes a namespace: first ends every process still inside it (they keep it alive otherwise —
 * the caller started them), then removes it, which also destroys the veth ends inside and so their
 * peers. Deleting a namespace that does not exist is not an error.
 */
export async function deleteNamespace(name: string): Promise<void> {
  checkName(name, NS_NAME, "namespace");
  if (!(await listNamespaces()).includes(name)) return;
  const { stdout } = await runCommand("ip", ["netns", "pids", name]);
  for (const pid of stdout.split(/\s+/).filter((p) => /^\d+$/.test(p)).map(Number)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  await runCommand("ip", ["netns", "del", name]);
}

export interface VethSpec {
  /** The end left in the calling (root) namespace. */
  hostIf: string;
  /** The end created inside `ns`. */
  nsIf: string;
  ns: string;
  /** CIDRs for the host end, IPv4 and/or IPv6 ("10.250.1.1/29", "fd77:1::1/64"). */
  hostAddrs: readonly string[];
  nsAddrs: readonly string[];
}

/** Creates a veth pair into `ns`, addresses both ends (IPv6 without DAD: usable at once) and brings them up. */
export async function createVethPair(spec: VethSpec): Promise<void> {
  checkName(spec.hostIf, IF_NAME, "interface");
  checkName(spec.nsIf, IF_NAME, "interface");
  await runCommand("ip", ["link", "add", spec.hostIf, "type", "veth", "peer", "name", spec.nsIf, "netns", spec.ns]);
  try {
    for (const cidr of spec.hostAddrs) await addAddress(null, spec.hostIf, cidr);
    for (const cidr of spec.nsAddrs) await addAddress(spec.ns, spec.nsIf, cidr);
    await runCommand("ip", ["link", "set", spec.hostIf, "up"]);
    await runCommand("ip", ["-n", spec.ns, "link", "set", spec.nsIf, "up"]);
    await runCommand("ip", ["-n", spec.ns, "link", "set", "lo", "up"]);
  } catch (err) {
    await deleteLink(null, spec.hostIf).catch(() => undefined);
    throw err;
  }
}

/** Adds an address; IPv6 ones get `nodad` so they work immediately instead of after DAD. */
export async function addAddress(ns: string | null, dev: string, cidr: string): Promise<void> {
  const extra = cidr.includes(":") ? ["nodad"] : [];
  await runCommand("ip", [...nsArgs(ns), "addr", "add", cidr, "dev", dev, ...extra]);
}

export async function addRoute(ns: string | null, destination: string, via: { dev?: string; gateway?: string }): Promise<void> {
  const args = [...nsArgs(ns), destination.includes(":") ? "-6" : "-4", "route", "add", destination];
  if (via.gateway !== undefined) args.push("via", via.gateway);
  if (via.dev !== undefined) args.push("dev", via.dev);
  await runCommand("ip", args);
}

/** Deletes a link (for a veth: both ends). A link that does not exist is not an error. */
export async function deleteLink(ns: string | null, dev: string): Promise<void> {
  try {
    await runCommand("ip", [...nsArgs(ns), "link", "del", dev]);
  } catch (err) {
    if (err instanceof NetnsError && /Cannot find device|does not exist/i.test(err.stderr)) return;
    throw err;
  }
}

/** Loads an nftables ruleset inside `ns` (`nft -f -`); nft's own message, with line numbers, is in the error. */
export async function loadNftRuleset(ns: string, rulesetText: string): Promise<void> {
  await execInNamespace(ns, "nft", ["-f", "-"], { input: rulesetText });
}

export function execInNamespace(ns: string, cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<CommandResult> {
  checkName(ns, NS_NAME, "namespace");
  return runCommand("ip", ["netns", "exec", ns, cmd, ...args], opts);
}

/** Starts a long-running process inside `ns`; the caller must end it (deleteNamespace does too). */
export function spawnInNamespace(ns: string, cmd: string, args: readonly string[], options: SpawnOptions = {}): ChildProcess {
  checkName(ns, NS_NAME, "namespace");
  return spawn("ip", ["netns", "exec", ns, cmd, ...args], options);
}

function nsArgs(ns: string | null): string[] {
  if (ns === null) return [];
  checkName(ns, NS_NAME, "namespace");
  return ["-n", ns];
}

function checkName(name: string, pattern: RegExp, what: string): void {
  if (!pattern.test(name) || name === "." || name === "..") {
    const max = what === "interface" ? 15 : 64;
    throw new AppError("USAGE", `"${name}" is not a usable ${what} name: letters, digits, "_", "." and "-", at most ${max} characters`);
  }
}
