/**
 * The body of SmartCash's `GET /v1/client/status` (src/sapi/sapi_common.cpp, client_status):
 * started, uptime, version (CLIENT_VERSION as a number, e.g. 2010100), protocolversion, blocks,
 * time, timeoffset, connections {in, out}, testnet. Validation is lenient: unknown fields are
 * ignored, and a version string or a plain connection count (as getinfo gives) is accepted.
 */
import { z } from "zod";

const count = z.number().int().nonnegative();

export const sapiStatusSchema = z.object({
  started: z.number().optional(),
  uptime: z.number().optional(),
  version: z.union([count, z.string().min(1).max(100)]),
  protocolversion: z.number().int().optional(),
  blocks: z.number().int().min(-1),
  time: z.number().optional(),
  timeoffset: z.number().optional(),
  connections: z.union([z.object({ in: count, out: count }), count]),
  testnet: z.boolean().optional(),
});

export type SapiStatusBody = z.infer<typeof sapiStatusSchema>;

export interface SapiStatus {
  version: string;
  protocolVersion?: number;
  blocks: number;
  connections: { in: number; out: number } | number;
  uptime?: number;
}

/** 2010100 → "2.1.1", 2010102 → "2.1.1.2" (clientversion.cpp FormatVersion drops a zero build). */
export function formatClientVersion(v: number): string {
  const parts = [Math.floor(v / 1_000_000), Math.floor(v / 10_000) % 100, Math.floor(v / 100) % 100];
  const build = v % 100;
  return (build === 0 ? parts : [...parts, build]).join(".");
}

export type ParsedStatus = { kind: "ok"; status: SapiStatus } | { kind: "error"; detail: string };

export function parseSapiStatus(text: string): ParsedStatus {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { kind: "error", detail: `body is not JSON (${(err as Error).message}): ${preview(text)}` };
  }
  const parsed = sapiStatusSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`).join("; ");
    return { kind: "error", detail: `body is not a SAPI client status: ${issues}` };
  }
  const b = parsed.data;
  const status: SapiStatus = {
    version: typeof b.version === "number" ? formatClientVersion(b.version) : b.version,
    blocks: b.blocks,
    connections: b.connections,
  };
  if (b.protocolversion !== undefined) status.protocolVersion = b.protocolversion;
  if (b.uptime !== undefined) status.uptime = b.uptime;
  return { kind: "ok", status };
}

function preview(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return JSON.stringify(flat.length > 80 ? `${flat.slice(0, 80)}…` : flat);
}
