import { isIP } from "node:net";
import { z } from "zod";
import { COIN_IDS } from "../coins/index.ts";
import { alertsConfigSchema } from "../alerts/config.ts";
import { dashboardSchema } from "../web/config.ts";
import { auditConfigSchema } from "../audit/config.ts";
import { lockdownSchema } from "../host/config.ts";
import { walletConfigSchema } from "../wallet/config.ts";
import { parseCidr } from "./cidr.ts";
import { parsePorts } from "../scan/ports.ts";
import { httpUrlSchema } from "./http-url.ts";
import { hostPortProblem, portItemSchema, portValueSchema, protocolSchema, toPortRange, type PortSpec } from "./port-spec.ts";
import { quorumSchema, storeSchema, vantageSchema } from "../fleet/config.ts";
import { duplicateAdminAccess, crossFieldRules } from "./rules.ts";
import { netviewSchema, smartnodeEntrySchema } from "../netview/config.ts";

/**
 * nodeward.yaml: the one schema that is the source of the types, the defaults, the docs and the
 * editor JSON Schema (schema/nodeward.schema.json, `npm run schema`). Every object is strict so a
 * typo is an error with its path and line; cross-field checks live in rules.ts.
 */

const providerId = (what: string) =>
  z.guid({ error: (iss) => `${JSON.stringify(iss.input)} is not ${what} id like cb676a46-66fd-4dfb-b839-443f2e6c0b60` });
const nonEmpty = z.string().trim().min(1);
const list = <T extends z.ZodType>(item: T) => z.array(item).min(1, { error: "an empty list selects nothing; remove the key or add a value" });

export const providerSchema = z
  .strictObject({
    type: z.literal("vultr").describe('Cloud provider. Only "vultr" for now.'),
    apiKeyEnv: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: (iss) => `${JSON.stringify(iss.input)} is not an environment variable name` })
      .default("VULTR_API_KEY")
      .describe("Environment variable holding the Vultr API key; read first."),
    apiKeyFile: nonEmpty
      .optional()
      .describe("File holding the API key (~ expands to your home), used when the environment variable is unset. Keep it chmod 600."),
    baseUrl: httpUrlSchema
      .overwrite((u) => u.replace(/\/+$/, ""))
      .default("https://api.vultr.com/v2")
      .describe("Vultr API base URL. Change it only to point at the simulator (http on loopback)."),
    maxRequestsPerSecond: z
      .number()
      .int()
      .min(1)
      .max(29)
      .default(28)
      .describe("Request pacing, 1–29. Vultr answers 429 above 30 requests per second per source IP; stay below."),
    timeoutSeconds: z.number().int().min(1).max(600).default(30).describe("Timeout of one API request, in seconds."),
  })
  .describe("Where the servers live and how to reach the provider's API.");

export const nodesSchema = z
  .strictObject({
    tags: list(nonEmpty).optional().describe("Instance has any of these tags."),
    labels: list(nonEmpty).optional().describe('Instance label matches any of these globs (picomatch: "sn-*", "node-?").'),
    regions: list(nonEmpty).optional().describe('Instance region id is any of these ("ewr", "ams").'),
    ids: list(providerId("an instance")).optional().describe("Instance ids that are always selected, whatever the other filters say."),
  })
  .describe(
    "Which provider instances are this fleet. An instance is selected when its id is listed in ids, or when it matches " +
      "every filter given among tags, labels and regions (AND between kinds, OR within a list). At least one of the four is required.",
  );

export const adminAccessSchema = z
  .strictObject({
    cidr: z
      .string()
      .transform((text, ctx) => {
        const r = parseCidr(text);
        if (r.ok) return r.cidr.text;
        ctx.addIssue({ code: "custom", message: r.message, input: text });
        return z.NEVER;
      })
      .describe("Source IPv4 or IPv6 CIDR block, e.g. 203.0.113.7/32; host bits must be zero."),
    port: portValueSchema.default(22).describe('Port or range "lo:hi"; default 22 (SSH).'),
    protocol: protocolSchema.describe('"tcp" (default) or "udp".'),
    note: z.string().max(255).optional().describe("Free text kept in the firewall rule's notes."),
  })
  .transform(({ cidr, port, protocol, note }): AdminAccess => ({ cidr, protocol, ...toPortRange(port), ...(note === undefined ? {} : { note }) }))
  .describe("One source allowed to reach an admin port (SSH).");

export interface AdminAccess extends PortSpec {
  /** Canonical CIDR text: "203.0.113.7/32", "2001:db8::/48" (see cidr.ts `parseCidr` for the parts). */
  cidr: string;
  note?: string;
}

export const firewallSchema = z
  .strictObject({
    description: nonEmpty
      .max(255)
      .default("SmartNodes Only")
      .describe("Firewall group description; apply creates the group or adopts the one with this description."),
    groupId: providerId("a firewall group").optional().describe("Pin an existing firewall group by id instead of matching by description."),
    icmp: z.boolean().default(false).describe("Allow ICMP echo (ping) from anywhere: IPv4, and IPv6 when a node has IPv6."),
    adminAccess: z
      .array(adminAccessSchema)
      .superRefine((entries, ctx) => {
        for (const d of duplicateAdminAccess(entries)) ctx.addIssue({ code: "custom", path: [d.index], message: d.message, input: entries[d.index] });
      })
      .prefault([])
      .describe("Sources allowed to reach admin ports. Default none: no SSH at all, log in through Vultr's web console as the guide says."),
    attachConcurrency: z.number().int().min(1).max(64).default(8).describe("How many instances apply attaches at the same time, 1–64."),
    attachTimeoutSeconds: z
      .number()
      .int()
      .min(10)
      .max(3600)
      .default(300)
      .describe("How long apply polls, in seconds, until every attachment is visible at the provider."),
  })
  .describe("The firewall group that guards the fleet.");

export const hostSchema = z
  .strictObject({
    name: nonEmpty.max(64).describe("A name for the node, used in reports and on the command line (`nodeward verify NAME`)."),
    addresses: list(
      z.string().trim().refine((a) => isIP(a) !== 0, { error: (iss) => `${JSON.stringify(iss.input)} is not an IPv4 or IPv6 address` }),
    ).describe("Its public IPv4 and/or IPv6 addresses; every one is verified."),
  })
  .describe("A node nodeward verifies and watches but does not manage at a provider (another host, a home server).");

const PORT_LIST = /^(top|all|coin|\d+(-\d+)?(\s*,\s*\d+(-\d+)?)*)$/;

export const verifySchema = z
  .strictObject({
    ports: z
      .string()
      .trim()
      .regex(PORT_LIST, { error: (iss) => `${JSON.stringify(iss.input)} is not a port list: use "top", "all", "coin" or e.g. "22,80,8000-8100"` })
      .superRefine((text, ctx) => {
        const parsed = PORT_LIST.test(text) && /^\d/.test(text) ? parsePorts(text) : [];
        if (!Array.isArray(parsed)) ctx.addIssue({ code: "custom", message: parsed.error, input: text });
      })
      .default("top")
      .describe('Ports scanned on every address besides the coin\'s: "top" (about 100 common ports), "all" (1–65535), "coin" (only the coin\'s), or a list like "22,80,8000-8100".'),
    handshake: z.boolean().default(true).describe("Also complete a P2P handshake with the coin's protocol (version, verack) on every address."),
    sapi: z.boolean().default(true).describe("Also ask the node's SAPI status endpoint (SmartCash: TCP 8080) for its version and height."),
    timeoutSeconds: z.number().min(0.5).max(60).default(5).describe("Deadline of one handshake phase or SAPI request, in seconds."),
  })
  .describe("How `nodeward verify` proves each node from outside.");

const HOST_PORT = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/;
const hostPortOf = (opts: { listen: boolean }) =>
  z
    .string()
    .trim()
    .regex(HOST_PORT, { error: (iss) => `${JSON.stringify(iss.input)} is not host:port (IPv6 as [addr]:port)` })
    .superRefine((text, ctx) => {
      const problem = HOST_PORT.test(text) ? hostPortProblem(text, opts) : undefined;
      if (problem !== undefined) ctx.addIssue({ code: "custom", message: `${JSON.stringify(text)}: ${problem}`, input: text });
    });
const hostPort = hostPortOf({ listen: false });
/** Where to listen: port 0 lets the system pick a free one. */
const listenAddress = hostPortOf({ listen: true });

export const watchSchema = z
  .strictObject({
    intervalSeconds: z.number().int().min(1).max(3600).default(60).describe("How often each node is probed (TCP, handshake, SAPI), in seconds."),
    confirmIntervalSeconds: z.number().int().min(1).max(600).default(15).describe("How often a failing node is re-probed to confirm or clear the failure."),
    failuresToDown: z.number().int().min(1).max(20).default(3).describe("Consecutive failed probes before a node is down (and alerted)."),
    successesToUp: z.number().int().min(1).max(20).default(2).describe("Consecutive good probes before a down node counts as recovered."),
    escalateAfterMinutes: z.array(z.number().int().min(1).max(1440)).default([20, 40]).describe("Minutes down at which an escalation alert is sent."),
    maxHeightLag: z.number().int().min(1).default(10).describe("Blocks behind the fleet's median height that make a node degraded."),
    sapiIntervalSeconds: z
      .number()
      .int()
      .min(1)
      .max(3600)
      .default(300)
      .describe("How often a healthy node's SAPI status is asked, in seconds; a failing node's on every probe. The P2P handshake runs on every probe. Set it to intervalSeconds to ask SAPI on every probe."),
    probeTimeoutSeconds: z.number().min(0.5).max(60).default(10).describe("Deadline of each probe phase (connect, version, verack, SAPI)."),
    concurrency: z.number().int().min(1).max(4096).default(256).describe("Probes in flight at once."),
    inventoryRefreshSeconds: z.number().int().min(30).max(86400).default(300).describe("How often the provider's instance list is re-read, so new nodes are watched without a restart."),
    database: z.string().min(1).optional().describe("SQLite file for history and incidents (default: $XDG_DATA_HOME/nodeward/nodeward.db)."),
    rawRetentionDays: z.number().int().min(1).max(90).default(7).describe("Days raw probe results are kept before they are rolled up per hour."),
    rollupRetentionDays: z.number().int().min(7).max(3650).default(365).describe("Days hourly uptime and latency are kept, and ended incidents and delivered alerts with them."),
    listen: listenAddress.default("127.0.0.1:9797").describe("Address of the dashboard, /healthz and Prometheus /metrics; loopback by default (docs/dashboard.md before binding elsewhere). Port 0 lets the system pick a free one."),
    allowedHosts: z
      .array(
        z
          .string()
          .trim()
          .toLowerCase()
          .regex(/^(?=.{1,253}$)[a-z0-9_]([a-z0-9_-]{0,62})(\.[a-z0-9_]([a-z0-9_-]{0,62}))*\.?$/, { error: (iss) => `${JSON.stringify(iss.input)} is not a host name: give the name alone (nodes.example.com), without scheme, port or path` }),
      )
      .default([])
      .describe("Host names the dashboard, /healthz and /metrics answer for besides localhost, watch.listen's host and any IP address (any port), e.g. a reverse proxy's public name. Any other Host header gets 421 (DNS rebinding)."),
    vantage: vantageSchema.prefault({}),
    quorum: quorumSchema,
    selfCheck: z.array(hostPort).min(1).optional().describe("host:port the watcher connects to when every node fails at once, to tell its own outage from the fleet's (default: the provider API's host)."),
  })
  .describe("The watch daemon: probes, history, incidents.");

export const remediationSchema = z
  .strictObject({
    enabled: z.boolean().default(false).describe("Reboot (or start) a node's instance through the provider when it stays down."),
    afterMinutes: z.number().min(0.1).max(60).default(10).describe("Minutes down before acting (fractions allowed); keep it well inside the 65-minute expiry."),
    windowMinutes: z.number().int().min(5).max(1440).default(30).describe("At most one action per node per this many minutes."),
  })
  .describe("Automatic reboot of nodes that stay down. Never acts on a node that still answers the handshake, or that the provider reports locked or pending.");

export const configSchema = z
  .strictObject({
    version: z.literal(1, { error: (iss) => iss.input === undefined ? undefined : `unsupported version ${JSON.stringify(iss.input)}: this nodeward reads version 1` }).describe("Config file format version; always 1."),
    provider: providerSchema.prefault({ type: "vultr" }),
    coin: z
      .enum(COIN_IDS, { error: (iss) => iss.input === undefined ? undefined : `unknown coin ${JSON.stringify(iss.input)}; known coins: ${COIN_IDS.join(", ")}` })
      .describe(`Coin profile whose ports every node must accept: ${COIN_IDS.join(", ")}. "custom" takes its ports from ports.`),
    ports: z
      .array(portItemSchema)
      .min(1, { error: "list at least one port" })
      .optional()
      .describe("Ports to accept, only with coin: custom (required then). To add ports to a coin profile use extraPorts."),
    extraPorts: z.array(portItemSchema).prefault([]).describe("Ports accepted from anywhere in addition to the coin's ports."),
    nodes: nodesSchema,
    firewall: firewallSchema.prefault({}),
    hosts: z
      .array(hostSchema)
      .prefault([])
      .describe("Static hosts, verified and watched next to the provider's instances but never touched at the provider."),
    verify: verifySchema.prefault({}),
    watch: watchSchema.prefault({}),
    store: storeSchema.prefault({}),
    remediation: remediationSchema.prefault({}),
    smartnodes: z
      .array(smartnodeEntrySchema)
      .prefault([])
      .describe("Each SmartNode's collateral outpoint, as in smartnode.conf (`nodeward import smartnode.conf FILE` writes it), so the watcher can ask the network about it."),
    netview: netviewSchema.prefault({}),
    alerts: alertsConfigSchema.prefault({}),
    wallet: walletConfigSchema.prefault({}),
    dashboard: dashboardSchema.prefault({}),
    audit: auditConfigSchema.prefault({}),
    lockdown: lockdownSchema.prefault({}),
  })
  .superRefine(
    (value, ctx) => {
      for (const issue of crossFieldRules(value)) ctx.addIssue({ code: "custom", path: [...issue.path], message: issue.message });
    },
    { when: () => true },
  )
  .describe("nodeward configuration (nodeward.yaml).");

/** The configuration with defaults applied. */
export type Config = z.infer<typeof configSchema>;
/** What may be written in nodeward.yaml. */
export type ConfigInput = z.input<typeof configSchema>;
