import { z } from "zod";
import type { components, operations } from "./spec.gen.ts";

/**
 * Vultr's wire shapes: the types come from the spec (spec.gen.ts); the zod schemas check at run
 * time only the fields nodeward depends on, so a changed API or a garbled answer becomes an error
 * naming the endpoint and field. Counts (instance_count, rule_count, max_rule_count) are being
 * removed from the API and are deliberately not read.
 */

type Schemas = components["schemas"];
type JsonBody<Op> = Op extends { requestBody?: { content: { "application/json": infer B } } } ? B : never;

export type WireGroup = Schemas["firewall-group"];
export type WireRule = Schemas["firewall-rule"];
/** Newer API versions send `v6_main_ip` & co. at the top level; the 2023 spec lists only `v6_networks`. */
export type WireInstance = Schemas["instance"] & { v6_main_ip?: string; v6_network?: string; v6_network_size?: number };
export type WireMeta = Schemas["meta"];
export type CreateGroupBody = JsonBody<operations["create-firewall-group"]>;
export type CreateRuleBody = JsonBody<operations["post-firewalls-firewall-group-id-rules"]>;
export type UpdateInstanceBody = JsonBody<operations["update-instance"]>;

/** Fields of a group nodeward reads. */
export type GroupFields = Required<Pick<WireGroup, "id" | "description">>;
export const groupSchema: z.ZodType<GroupFields> = z.object({
  id: z.string().min(1),
  description: z.string().nullish().transform((d) => d ?? ""),
});

/** Fields of a rule nodeward reads; missing optional text becomes "". */
export type RuleFields = Required<Pick<WireRule, "id" | "ip_type" | "protocol" | "port" | "subnet" | "subnet_size" | "source" | "notes">>;
export const ruleSchema: z.ZodType<RuleFields> = z
  .object({
    id: z.number().int(),
    ip_type: z.string().optional(),
    /** Deprecated twin of ip_type. */
    type: z.string().optional(),
    protocol: z.string(),
    port: z.union([z.string(), z.number()]).nullish(),
    subnet: z.string().nullish(),
    subnet_size: z.number().int().nullish(),
    source: z.string().nullish(),
    notes: z.string().nullish(),
  })
  .superRefine((r, ctx) => {
    if (r.ip_type === undefined && r.type === undefined) ctx.addIssue({ code: "custom", path: ["ip_type"], message: "missing" });
    // Only a rule whose source is Cloudflare or a load balancer may come without its subnet.
    if ((r.source ?? "") === "") {
      if (r.subnet == null) ctx.addIssue({ code: "custom", path: ["subnet"], message: "missing" });
      if (r.subnet_size == null) ctx.addIssue({ code: "custom", path: ["subnet_size"], message: "missing" });
    }
  })
  .transform((r) => ({
    id: r.id,
    ip_type: r.ip_type ?? r.type ?? "",
    protocol: r.protocol,
    port: r.port == null ? "" : String(r.port),
    subnet: r.subnet ?? "",
    subnet_size: r.subnet_size ?? 0,
    source: r.source ?? "",
    notes: r.notes ?? "",
  }));

/** Fields of an instance nodeward reads, IPv6 main address already resolved ("" = none). */
export type InstanceFields = Required<
  Pick<WireInstance, "id" | "label" | "hostname" | "tags" | "region" | "main_ip" | "v6_main_ip" | "firewall_group_id" | "status" | "power_status" | "server_status">
>;
const text = z.string().nullish().transform((s) => s ?? "");
export const instanceSchema: z.ZodType<InstanceFields> = z
  .object({
    id: z.string().min(1),
    label: text,
    hostname: text,
    tags: z.array(z.string()).nullish(),
    tag: z.string().nullish(),
    region: text,
    main_ip: text,
    v6_main_ip: z.string().nullish(),
    v6_networks: z.array(z.object({ main_ip: z.string().nullish() })).nullish(),
    // Required: drift and attach depend on it. "" (or null) = no group.
    firewall_group_id: z.string().nullable(),
    status: z.string(),
    power_status: text,
    server_status: text,
  })
  .transform((w) => ({
    id: w.id,
    label: w.label,
    hostname: w.hostname,
    tags: w.tags ?? (w.tag ? [w.tag] : []),
    region: w.region,
    main_ip: w.main_ip,
    v6_main_ip: w.v6_main_ip || w.v6_networks?.[0]?.main_ip || "",
    firewall_group_id: w.firewall_group_id ?? "",
    status: w.status,
    power_status: w.power_status,
    server_status: w.server_status,
  }));

/** `meta` as nodeward reads it; newer endpoints may omit `links`. */
export const metaSchema = z
  .object({ links: z.object({ next: z.string().nullish() }).nullish() })
  .nullish();

export const envelopes = {
  group: z.object({ firewall_group: groupSchema }),
  rule: z.object({ firewall_rule: ruleSchema }),
  instance: z.object({ instance: instanceSchema }),
};

/** "instances[3].firewall_group_id: Invalid input: expected string, received number" */
export function describeIssues(error: z.ZodError, prefix = ""): string {
  const shown = error.issues.slice(0, 3).map((i) => {
    let path = prefix;
    for (const p of i.path) path += typeof p === "number" ? `[${p}]` : `${path === "" ? "" : "."}${String(p)}`;
    return `${path === "" ? "(body)" : path}: ${i.message}`;
  });
  const more = error.issues.length > 3 ? ` (and ${error.issues.length - 3} more)` : "";
  return shown.join("; ") + more;
}
