import { request, type IncomingHttpHeaders } from "node:http";
import { connect } from "node:net";

/**
 * Raw HTTP for the dashboard's attack tests: every request on its own connection (no pooling, so
 * a burst really is parallel), from a chosen loopback source address (on Linux every 127.x.y.z is
 * loopback: 127.0.0.2, 127.0.0.3, … are different clients to the server), with any Host header.
 */

export interface Reply {
  status: number;
  body: string;
  headers: IncomingHttpHeaders;
}

export interface Send {
  method?: "GET" | "POST";
  path: string;
  form?: Record<string, string>;
  cookies?: Record<string, string>;
  /** Source address of the client socket (default: the system's choice, 127.0.0.1). */
  from?: string;
  /** The Host header; null sends none at all. */
  host?: string | null;
  headers?: Record<string, string>;
}

export function send(base: string, s: Send): Promise<Reply> {
  const url = new URL(s.path, base);
  const body = s.form === undefined ? undefined : new URLSearchParams(s.form).toString();
  const cookie = Object.entries(s.cookies ?? {}).map(([k, v]) => `${k}=${v}`).join("; ");
  const headers: Record<string, string> = {
    ...(body === undefined ? {} : { "content-type": "application/x-www-form-urlencoded", "content-length": String(Buffer.byteLength(body)) }),
    ...(cookie === "" ? {} : { cookie }),
    ...(typeof s.host === "string" ? { host: s.host } : {}),
    ...s.headers,
  };
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path: url.pathname + url.search, method: s.method ?? (body === undefined ? "GET" : "POST"), headers, agent: false, setHost: s.host === undefined, ...(s.from === undefined ? {} : { localAddress: s.from }) },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8"), headers: res.headers }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** An HTTP/1.0 request without a Host header (HTTP/1.1 requires one; Node answers 400 itself then). */
export function sendWithoutHost(base: string, path: string): Promise<{ status: number; text: string }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname, () => socket.end(`GET ${path} HTTP/1.0\r\n\r\n`));
    const chunks: Buffer[] = [];
    socket.on("data", (c: Buffer) => chunks.push(c));
    socket.on("error", reject);
    socket.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      resolve({ status: Number(/^HTTP\/1\.\d (\d{3})/.exec(text)?.[1] ?? 0), text });
    });
  });
}

/** The value of a Set-Cookie'd cookie in a reply, or undefined. */
export function setCookie(r: Reply, name: string): string | undefined {
  for (const c of r.headers["set-cookie"] ?? []) {
    const pair = c.split(";")[0] ?? "";
    if (pair.startsWith(`${name}=`)) return pair.slice(name.length + 1);
  }
  return undefined;
}

/** Loopback client number i (0-based) other than 127.0.0.1: 127.0.0.2, …, 127.0.1.1, … */
export function loopbackClient(i: number): string {
  const n = i + 2;
  return `127.0.${Math.floor(n / 256)}.${n % 256}`;
}
