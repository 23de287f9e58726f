import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const BIN = new URL("../../bin/nodeward.js", import.meta.url).pathname;

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the real `nodeward` bin in a child process, stdin closed (not a terminal), colour off. */
export function runCli(
  args: readonly string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; onSpawn?: (child: ChildProcess) => void; user?: { uid: number; gid: number } } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: opts.cwd ?? tmpdir(), NO_COLOR: "1", ...opts.env };
    const child = spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd, env, stdio: ["ignore", "pipe", "pipe"], ...opts.user });
    opts.onSpawn?.(child);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 30_000);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** A temp directory holding a nodeward.yaml; removed by `cleanup`. */
export function tempProject(yaml?: string): { dir: string; file: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "nodeward-"));
  const file = join(dir, "nodeward.yaml");
  if (yaml !== undefined) writeFileSync(file, yaml);
  return { dir, file, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export const simConfig = (baseUrl: string, extra = "") => `version: 1
provider:
  type: vultr
  baseUrl: ${baseUrl}
  timeoutSeconds: 5
coin: smartcash
nodes:
  tags: [smartnode]
${extra}`;
