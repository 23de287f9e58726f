import { canonicalRule } from "../firewall/rule.ts";
import type { Rule } from "../firewall/model.ts";
import { fail, type SimResult } from "./model.ts";

/**
 * Validation of a create-rule body (`POST /firewalls/{id}/rules`), shared by the HTTP route and
 * by `SimState.addRule`. Pure. Required: ip_type, protocol, subnet, subnet_size (0 is valid);
 * port for TCP/UDP ("80" or "8000:8080"), dropped for other protocols.
 */

export interface RuleBody {
  ip_type: string;
  protocol: string;
  subnet: string;
  subnet_size: number;
  port?: string;
  source?: string;
  notes?: string;
}

const PORT_TEXT = /^\d{1,5}(:\d{1,5})?$/;

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function parseRuleBody(body: unknown): SimResult<Rule> {
  if (!isRecord(body)) return fail(400, "Request body must be a JSON object.");
  for (const field of ["ip_type", "protocol", "subnet", "subnet_size"] as const) {
    if (body[field] === undefined || body[field] === null) return fail(400, `Missing required field "${field}".`);
  }
  const { ip_type: ipType, protocol, subnet, subnet_size: size, port, source, notes } = body;
  if (ipType !== "v4" && ipType !== "v6") return fail(400, `Invalid ip_type: expected "v4" or "v6".`);
  if (typeof protocol !== "string") return fail(400, "Invalid protocol: expected a string.");
  if (typeof subnet !== "string") return fail(400, "Invalid subnet: expected a string.");
  if (typeof size !== "number" || !Number.isInteger(size)) return fail(400, "Invalid subnet_size: expected an integer.");
  for (const [name, value] of [["port", port], ["source", source], ["notes", notes]] as const) {
    if (value !== undefined && typeof value !== "string") return fail(400, `Invalid ${name}: expected a string.`);
  }
  const lower = protocol.toLowerCase();
  const portText = typeof port === "string" ? port : "";
  if ((lower === "tcp" || lower === "udp") && !PORT_TEXT.test(portText)) {
    return fail(400, `Invalid port "${portText}": ${lower} needs a port or a colon-separated range such as "8000:8080".`);
  }
  const canon = canonicalRule({
    ipType,
    protocol,
    port: lower === "tcp" || lower === "udp" ? portText : "",
    subnet,
    subnetSize: size,
    source: typeof source === "string" ? source : "",
    notes: typeof notes === "string" ? notes : "",
  });
  if (!canon.ok) return fail(400, `Invalid firewall rule: ${canon.reason}.`);
  return { ok: true, value: canon.rule };
}
