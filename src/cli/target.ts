import { isIP } from "node:net";
import { AppError } from "../core/errors.ts";

/** "HOST", "HOST:PORT", "[V6]:PORT" or a bare IPv6 address → host and optional port. */
export function parseTarget(text: string): { host: string; port?: number } {
  const t = text.trim();
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(t);
  const [host, port] = bracketed ? [bracketed[1] ?? "", bracketed[2]] : isIP(t) === 6 ? [t, undefined] : (() => {
    const i = t.lastIndexOf(":");
    return i < 0 ? [t, undefined] : [t.slice(0, i), t.slice(i + 1)];
  })();
  if (host === "") throw new AppError("USAGE", `"${text}" names no host`);
  if (port === undefined) return { host };
  const n = Number(port);
  if (!/^\d+$/.test(port) || n < 1 || n > 65535) throw new AppError("USAGE", `"${port}" is not a port (1–65535) in "${text}"`);
  return { host, port: n };
}
