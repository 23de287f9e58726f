import { CUSTOM_COIN, findCoin, portText } from "../coins/index.ts";
import { parseCidr } from "./cidr.ts";
import type { AdminAccess, Config } from "./schema.ts";
import { duplicateSmartnodes, smartnodesUnasked } from "./smartnode-rules.ts";

/**
 * Configuration rules that span several keys, plus the warnings. Pure: no I/O, no zod. Paths are
 * segment arrays (["firewall", "adminAccess", 1, "cidr"]) so the loader can find their lines.
 */

export type IssuePath = readonly (string | number)[];

export interface RuleIssue {
  path: IssuePath;
  message: string;
}

const NODE_SELECTORS = ["tags", "labels", "regions", "ids"] as const;

/**
 * Runs on whatever the schema could make of the file, even when other keys failed, so every
 * problem is reported at once; it must therefore not trust any value's type.
 */
export function crossFieldRules(value: unknown): RuleIssue[] {
  if (!isRecord(value)) return [];
  return [...portsBelongToCustom(value), ...nodesNeedASelector(value), ...oneStore(value), ...duplicateSmartnodes(value)];
}

/** watch.database is the SQLite file; with store.url the history is in PostgreSQL, and a file would be ignored. */
export function oneStore(value: Record<string, unknown>): RuleIssue[] {
  const store = value["store"];
  const watch = value["watch"];
  if (!isRecord(store) || store["url"] === undefined || !isRecord(watch) || watch["database"] === undefined) return [];
  return [{ path: ["watch", "database"], message: "watch.database is the SQLite file, but store.url puts the history in PostgreSQL: remove one of them" }];
}

/** `ports` replaces the coin's ports, so it is only for coin: custom, and custom needs it. */
export function portsBelongToCustom(value: Record<string, unknown>): RuleIssue[] {
  const coin = value["coin"];
  const hasPorts = value["ports"] !== undefined;
  if (coin === CUSTOM_COIN && !hasPorts) {
    return [{ path: ["ports"], message: "coin: custom needs a ports list: there is no coin profile to take the ports from" }];
  }
  if (typeof coin === "string" && findCoin(coin) !== undefined && hasPorts) {
    return [
      {
        path: ["ports"],
        message: `ports is only for coin: custom; to accept more ports than the ${coin} profile does, use extraPorts`,
      },
    ];
  }
  return [];
}

export function nodesNeedASelector(value: Record<string, unknown>): RuleIssue[] {
  const nodes = value["nodes"];
  if (!isRecord(nodes) || NODE_SELECTORS.some((k) => nodes[k] !== undefined)) return [];
  return [{ path: ["nodes"], message: "select the fleet with at least one of tags, labels, regions or ids" }];
}

/** The same source, protocol and port twice: the provider rejects exact duplicate rules. */
export function duplicateAdminAccess(entries: readonly AdminAccess[]): { index: number; message: string }[] {
  const seen = new Map<string, number>();
  const out: { index: number; message: string }[] = [];
  entries.forEach((e, index) => {
    const key = `${e.protocol} ${portText(e)} from ${e.cidr}`;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, index);
    else out.push({ index, message: `${key} is already allowed by firewall.adminAccess[${first}]` });
  });
  return out;
}

/** Valid but risky settings; reported, never fatal. */
export function configWarnings(config: Config): RuleIssue[] {
  return [...adminFromAnywhere(config), ...legacyProfile(config), ...extraPortsAlreadyOpen(config), ...plainHttpApi(config), ...smartnodesUnasked(config)];
}

function adminFromAnywhere(config: Config): RuleIssue[] {
  return config.firewall.adminAccess.flatMap((a, i) => {
    const cidr = parseCidr(a.cidr);
    if (!cidr.ok || cidr.cidr.subnetSize !== 0) return [];
    return [
      {
        path: ["firewall", "adminAccess", i, "cidr"],
        message: `${a.cidr} opens ${a.protocol} ${portText(a)} to the whole Internet: SSH from anywhere undoes the guide's console-only rule; list your own address instead`,
      },
    ];
  });
}

function legacyProfile(config: Config): RuleIssue[] {
  if (config.coin !== "smartcash-legacy") return [];
  return [
    {
      path: ["coin"],
      message: "smartcash-legacy opens only 9678: a v2 SmartNode behind it cannot be reached on SAPI 8080 and goes EXPIRED after 65 minutes; use coin: smartcash",
    },
  ];
}

function extraPortsAlreadyOpen(config: Config): RuleIssue[] {
  const coin = findCoin(config.coin);
  if (!coin) return [];
  const own = new Set(coin.ports.map((p) => `${p.protocol} ${portText(p)}`));
  return config.extraPorts.flatMap((p, i) => {
    const key = `${p.protocol} ${portText(p)}`;
    return own.has(key) ? [{ path: ["extraPorts", i], message: `${key} is already accepted by the ${coin.id} profile; remove it` }] : [];
  });
}

function plainHttpApi(config: Config): RuleIssue[] {
  const url = new URL(config.provider.baseUrl);
  if (url.protocol !== "http:" || isLoopback(url.hostname)) return [];
  return [
    {
      path: ["provider", "baseUrl"],
      message: `${url.origin} is plain http to a remote host: the API key would cross the network unencrypted; use https`,
    },
  ];
}

function isLoopback(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h === "::1" || /^127\.\d+\.\d+\.\d+$/.test(h);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
