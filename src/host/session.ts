import { readFile } from "node:fs/promises";
import ipaddr from "ipaddr.js";

/**
 * Is this command running inside an SSH session, and from where? From SSH_CONNECTION /
 * SSH_CLIENT ("client_ip client_port server_ip server_port"), else from the process ancestry:
 * an ancestor's environment (root can read /proc/PID/environ; `sudo` drops SSH_CONNECTION from
 * ours but the login shell above it still has it) or an ancestor named sshd.
 */

export type SshSession =
  | { over: "none" }
  | { over: "ssh"; clientIp: string; serverPort: number; how: string }
  /** An sshd ancestor, but where the client is could not be read. */
  | { over: "ssh-unknown"; how: string };

export function sessionFromEnv(env: NodeJS.ProcessEnv): SshSession | null {
  const conn = env.SSH_CONNECTION?.trim();
  if (conn) {
    const [ip = "", , , port = ""] = conn.split(/\s+/);
    if (ipaddr.isValid(ip) && /^\d+$/.test(port)) return { over: "ssh", clientIp: normalizeIp(ip), serverPort: Number(port), how: "SSH_CONNECTION" };
  }
  const client = env.SSH_CLIENT?.trim();
  if (client) {
    const [ip = ""] = client.split(/\s+/);
    // SSH_CLIENT carries the client's port, not the server's; assume the configured sshd port.
    if (ipaddr.isValid(ip)) return { over: "ssh-unknown", how: `SSH_CLIENT from ${normalizeIp(ip)} (server port unknown)` };
  }
  return null;
}

export function normalizeIp(ip: string): string {
  const a = ipaddr.parse(ip);
  if (a.kind() === "ipv6" && (a as ipaddr.IPv6).isIPv4MappedAddress()) return (a as ipaddr.IPv6).toIPv4Address().toString();
  return a.toString();
}

/** Walks up from `pid` (at most 64 steps) looking for SSH in environments or an sshd ancestor. */
export async function sessionFromAncestry(pid: number, procRoot = "/proc"): Promise<SshSession> {
  let current = pid;
  let sshdSeen = false;
  for (let step = 0; step < 64 && current > 1; step += 1) {
    const environ = await readFile(`${procRoot}/${current}/environ`, "utf8").catch(() => "");
    const env: NodeJS.ProcessEnv = {};
    for (const kv of environ.split("\0")) {
      const eq = kv.indexOf("=");
      if (eq > 0) env[kv.slice(0, eq)] = kv.slice(eq + 1);
    }
    const found = sessionFromEnv(env);
    if (found !== null && found.over === "ssh") return { ...found, how: `SSH_CONNECTION of ancestor process ${current}` };
    const stat = await readFile(`${procRoot}/${current}/stat`, "utf8").catch(() => "");
    const m = /^\d+ \((.*)\) \S+ (\d+)/s.exec(stat);
    if (m === null) break;
    if (m[1] === "sshd") sshdSeen = true;
    current = Number(m[2]);
  }
  return sshdSeen ? { over: "ssh-unknown", how: "an ancestor process is sshd" } : { over: "none" };
}

export async function detectSession(env: NodeJS.ProcessEnv, pid = process.pid): Promise<SshSession> {
  const fromEnv = sessionFromEnv(env);
  if (fromEnv?.over === "ssh") return fromEnv;
  const fromTree = await sessionFromAncestry(pid);
  if (fromTree.over !== "none") return fromTree;
  return fromEnv ?? { over: "none" };
}
