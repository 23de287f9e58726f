import { z } from "zod";
import type { PortProtocol } from "../coins/index.ts";

/** A port or inclusive port range with its protocol, as nodeward.yaml values turn into. */
export interface PortSpec {
  protocol: PortProtocol;
  port: number;
  /** Present only for a real range (portEnd > port). */
  portEnd?: number;
}

export type PortRange = Omit<PortSpec, "protocol">;

export type PortTextResult = { ok: true; range: PortRange } | { ok: false; message: string };

const outOfRange = (n: number | string): string => `port ${n} is out of range 1–65535`;

/** "9999" or "8000:8080" ("8000-8080" is accepted too); the range must run low to high. */
export function parsePortText(input: string): PortTextResult {
  const m = /^\s*(\d+)\s*(?:[:-]\s*(\d+)\s*)?$/.exec(input);
  if (!m) return { ok: false, message: `"${input}" is not a port; write 9999 or a range like "8000:8080"` };
  const lo = Number(m[1]);
  const hi = m[2] === undefined ? lo : Number(m[2]);
  for (const n of [lo, hi]) if (n < 1 || n > 65535) return { ok: false, message: outOfRange(n) };
  if (hi < lo) return { ok: false, message: `range "${input}" runs backwards; write "${hi}:${lo}"` };
  return { ok: true, range: hi === lo ? { port: lo } : { port: lo, portEnd: hi } };
}

/** Turns a value the schema already accepted into a range. */
export function toPortRange(value: number | string): PortRange {
  if (typeof value === "number") return { port: value };
  const r = parsePortText(value);
  if (!r.ok) throw new Error(`unchecked port ${JSON.stringify(value)}`);
  return r.range;
}

/**
 * What is wrong with the port written in "host:port" or "[v6]:port" text, if anything. An address
 * to listen on may say port 0: the system then picks a free port (tests, the demo).
 */
export function hostPortProblem(text: string, opts: { listen?: boolean } = {}): string | undefined {
  const m = /:(\d+)$/.exec(text.trim());
  if (m?.[1] === undefined) return undefined;
  if (opts.listen === true && Number(m[1]) === 0) return undefined;
  return portTextProblem(m[1]);
}

/**
 * What is wrong with the port of a URL ("http://h:0/"), if anything. `new URL` rejects ports
 * above 65535 with a bare "Invalid URL" and accepts 0; this names the port in both cases.
 */
export function urlPortProblem(url: string): string | undefined {
  const m = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/(?:[^/?#]*@)?(?:\[[^\]/?#]*\]|[^:/?#]*):(\d+)(?:[/?#]|$)/.exec(url.trim());
  return m?.[1] === undefined ? undefined : portTextProblem(m[1]);
}

function portTextProblem(digits: string): string | undefined {
  const n = Number(digits);
  return n >= 1 && n <= 65535 ? undefined : outOfRange(n);
}

// Union members carry checks but no transforms: a transform turns a failure into an aborted
// branch, and the union would then report "no form matched" instead of the precise problem.
const portNumber = z
  .number()
  .int({ error: (iss) => `a port is a whole number, got ${String(iss.input)}` })
  .min(1, { error: (iss) => outOfRange(String(iss.input)) })
  .max(65535, { error: (iss) => outOfRange(String(iss.input)) });

/** A single port written as a number (sshPort, an SMTP port): 1–65535. */
export const portNumberSchema = portNumber;

const PORT_TEXT = /^\s*\d+\s*(?:[:-]\s*\d+\s*)?$/;

const portString = z
  .string()
  .regex(PORT_TEXT, { error: (iss) => `${JSON.stringify(iss.input)} is not a port; write 9999 or a range like "8000:8080"` })
  .superRefine((text, ctx) => {
    const r = PORT_TEXT.test(text) ? parsePortText(text) : undefined;
    if (r && !r.ok) ctx.addIssue({ code: "custom", message: r.message, input: text });
  });

/** 9999 or "8000:8080". */
export const portValueSchema = z.union([portNumber, portString], {
  error: 'expected a port number (9999) or a range in quotes ("8000:8080")',
});

export const protocolSchema = z
  .enum(["tcp", "udp"], { error: (iss) => `protocol is "tcp" or "udp", got ${JSON.stringify(iss.input)}` })
  .default("tcp");

const portObject = z.strictObject({
  port: portValueSchema.describe('Port number or range "lo:hi" (inclusive).'),
  protocol: protocolSchema.describe('"tcp" (default) or "udp".'),
});

/** One entry of `ports` / `extraPorts`: 9999 (TCP), "8000:8080" (TCP range) or {port, protocol}. */
export const portItemSchema = z
  .union([portNumber, portString, portObject], {
    error: 'expected a port (9999), a range in quotes ("8000:8080") or {port: 9999, protocol: udp}',
  })
  .transform((v): PortSpec =>
    typeof v === "object" ? { protocol: v.protocol, ...toPortRange(v.port) } : { protocol: "tcp", ...toPortRange(v) },
  )
  .describe('A TCP port (9999), a TCP range in quotes ("8000:8080"), or {port, protocol: tcp|udp}.');
