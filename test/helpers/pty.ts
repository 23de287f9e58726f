import { spawn, spawnSync } from "node:child_process";

/**
 * Runs a command on a pseudo-terminal (util-linux `script`, in every Debian system) and types the
 * answers to its passphrase prompts: each time the output since the last answer mentions
 * "passphrase" and ends in ":", the next answer is typed, then Enter. Killed after `timeoutMs`.
 */
export function hasScript(): boolean {
  return spawnSync("script", ["--version"], { stdio: "ignore" }).status === 0;
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export function onTty(cmd: readonly string[], answers: readonly string[], opts: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const queue = [...answers];
    const child = spawn("script", ["-qfec", cmd.map(quote).join(" "), "/dev/null"], { cwd: opts.cwd, env: opts.env, stdio: ["pipe", "pipe", "pipe"] });
    let output = "";
    let pending = "";
    child.stdout.on("data", (d: Buffer) => {
      output += d.toString();
      pending += d.toString();
      if (queue.length > 0 && /passphrase/i.test(pending) && /:\s*$/.test(pending)) {
        child.stdin.write(`${queue.shift()}\r`);
        pending = "";
      }
    });
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 60_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}
