import { execFile } from "node:child_process";

/**
 * How the host capability runs programs (nft, sshd, systemctl, systemd-run): a narrow port so
 * tests inject a fake or a namespace. Expected failures (non-zero exit) are values, not throws.
 */

export interface CommandOutcome {
  /** null when the program could not be started (not installed) or was killed. */
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CommandRunner {
  run(cmd: string, args: readonly string[], opts?: { input?: string; timeoutMs?: number }): Promise<CommandOutcome>;
  /** Human form of what would run, for messages: "nft -f FILE" or "ip netns exec NS nft -f FILE". */
  describe(cmd: string, args: readonly string[]): string;
  /** The prefix in argv form (e.g. ["ip", "netns", "exec", "NS"]); [] in production. */
  readonly prefix: readonly string[];
}

/** The environment variable that makes every host command run in a network namespace (tests, containers). */
export const NETNS_ENV = "NODEWARD_HOST_NETNS";

export function systemRunner(netns?: string): CommandRunner {
  const prefix = netns === undefined || netns === "" ? [] : ["ip", "netns", "exec", netns];
  return {
    prefix,
    describe: (cmd, args) => [...prefix, cmd, ...args].join(" "),
    run: (cmd, args, opts = {}) =>
      new Promise((resolve) => {
        const [bin = cmd, ...rest] = prefix.length === 0 ? [cmd, ...args] : [...prefix, cmd, ...args];
        const child = execFile(bin, rest, { timeout: opts.timeoutMs ?? 30_000, killSignal: "SIGKILL", maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
          if (err === null) return resolve({ code: 0, stdout, stderr });
          const e = err as NodeJS.ErrnoException & { code?: string | number };
          if (typeof e.code === "number") return resolve({ code: e.code, stdout, stderr });
          resolve({ code: null, stdout, stderr: stderr || (e.code === "ENOENT" ? `${bin}: not installed (not on PATH)` : e.message) });
        });
        child.stdin?.on("error", () => undefined);
        child.stdin?.end(opts.input ?? "");
      }),
  };
}

export function runnerFromEnv(env: NodeJS.ProcessEnv): CommandRunner {
  return systemRunner(env[NETNS_ENV]);
}
