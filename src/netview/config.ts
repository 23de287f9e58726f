import { isIP } from "node:net";
import { z } from "zod";
import { hostPortProblem } from "../config/port-spec.ts";
import { checkOutpoint } from "./outpoint.ts";

/**
 * `smartnodes:` (each node's collateral, as in the operator's smartnode.conf, without the key)
 * and `netview:` (how often and whom the watcher asks about them) in nodeward.yaml.
 * `nodeward import smartnode.conf FILE` writes the first.
 */

const SERVICE = /^(?:\[([0-9a-fA-F:.]+)\]|([0-9.]+)):(\d{1,5})$/;

/** "203.0.113.5:9678" or "[2001:db8::5]:9678" into its parts; an error message otherwise. */
export function parseService(text: string): { ok: true; ip: string; port: number } | { ok: false; message: string } {
  const m = SERVICE.exec(text.trim());
  const ip = m?.[1] ?? m?.[2];
  const port = Number(m?.[3]);
  if (m === null || ip === undefined || isIP(ip) === 0) return { ok: false, message: `${JSON.stringify(text.slice(0, 80))} is not IP:port (IPv6 as [addr]:port), as in smartnode.conf` };
  if (!(port >= 1 && port <= 65535)) return { ok: false, message: `port ${m[3]} is not 1–65535` };
  return { ok: true, ip, port };
}

export const smartnodeEntrySchema = z
  .strictObject({
    alias: z.string().trim().min(1).max(64).describe("The alias of smartnode.conf, shown next to the node's name."),
    address: z
      .string()
      .trim()
      .superRefine((text, ctx) => {
        const r = parseService(text);
        if (!r.ok) ctx.addIssue({ code: "custom", message: r.message, input: text });
      })
      .describe('IP:port the SmartNode announces ("203.0.113.5:9678", "[2001:db8::5]:9678"); the node is the instance or host with this IP.'),
    txid: z
      .string()
      .trim()
      .regex(/^[0-9a-fA-F]{64}$/, { error: "txid must be the 64 hex digits of the collateral transaction" })
      .transform((t) => t.toLowerCase())
      .describe("Collateral transaction id (smartnode outputs in the wallet)."),
    index: z.number().int().min(0).max(0xfffffffe).describe("Collateral output index."),
  })
  .superRefine((e, ctx) => {
    const r = checkOutpoint(e.txid, e.index);
    if (!r.ok) ctx.addIssue({ code: "custom", path: ["txid"], message: r.message, input: e.txid });
  })
  .describe("One SmartNode's collateral, from smartnode.conf. The SmartNode private key is never written here.");

export type SmartnodeEntry = z.infer<typeof smartnodeEntrySchema>;

const HOST_PORT = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/;
const hostPort = z
  .string()
  .trim()
  .regex(HOST_PORT, { error: (iss) => `${JSON.stringify(String(iss.input).slice(0, 80))} is not host:port (IPv6 as [addr]:port)` })
  .superRefine((text, ctx) => {
    const problem = HOST_PORT.test(text) ? hostPortProblem(text) : undefined;
    if (problem !== undefined) ctx.addIssue({ code: "custom", message: `${JSON.stringify(text)}: ${problem}`, input: text });
  });

export const netviewSchema = z
  .strictObject({
    enabled: z.boolean().default(true).describe("Ask the network about every node listed in smartnodes (coins with a SmartNode list: smartcash)."),
    intervalSeconds: z.number().int().min(5).max(3600).default(300).describe("How often the watcher asks the network, in seconds (not on every probe; a SmartNode pings every 20 minutes, so 300 loses nothing)."),
    peersPerNode: z.number().int().min(1).max(10).default(3).describe("Peers asked about each node. Never the node itself: other nodes of the fleet and the peers below."),
    peers: z.array(hostPort).default([]).describe("SmartCash peers (host:port) to ask besides the fleet's own nodes; asked first."),
    timeoutSeconds: z.number().min(1).max(120).default(15).describe("Deadline of one peer's whole answer (connect, handshake, dseg, getdata), in seconds."),
    unseenAfterMinutes: z
      .number()
      .int()
      .min(21)
      .max(64)
      .default(45)
      .describe("A node that answers nodeward but whose last ping in the network is older than this (pings come every 20 minutes) is unseen-by-network."),
  })
  .describe("The network's own view of each SmartNode (dseg → mnb + mnp from other peers). See docs/netview.md.");

export type NetviewConfig = z.infer<typeof netviewSchema>;
