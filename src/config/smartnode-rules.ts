import { findCoin } from "../coins/index.ts";
import { ipKeyOf } from "../netview/smartnode-match.ts";
import type { RuleIssue } from "./rules.ts";
import type { Config } from "./schema.ts";

/**
 * `smartnodes:` rules that span entries. Two entries with one alias, one IP or one collateral
 * cannot both be right (SmartCash Core refuses such a smartnode.conf too, and nodeward finds a
 * node by its IP): the second one is the error, at its own path. Untrusting of types, like every
 * cross-field rule, since it runs on whatever the schema could make of the file.
 */
export function duplicateSmartnodes(value: Record<string, unknown>): RuleIssue[] {
  const list = value["smartnodes"];
  if (!Array.isArray(list)) return [];
  const seen = { alias: new Map<string, number>(), address: new Map<string, number>(), txid: new Map<string, number>() };
  const issues: RuleIssue[] = [];
  list.forEach((item: unknown, i) => {
    if (typeof item !== "object" || item === null) return;
    const e = item as Record<string, unknown>;
    const keys = {
      alias: typeof e["alias"] === "string" ? e["alias"].trim() : undefined,
      address: typeof e["address"] === "string" ? ipKeyOf(e["address"].trim()) : undefined,
      txid: typeof e["txid"] === "string" && typeof e["index"] === "number" ? `${e["txid"].trim().toLowerCase()}-${e["index"]}` : undefined,
    };
    for (const field of ["alias", "address", "txid"] as const) {
      const key = keys[field];
      if (key === undefined || key === "") continue;
      const first = seen[field].get(key);
      if (first === undefined) seen[field].set(key, i);
      else issues.push({ path: ["smartnodes", i, field], message: `${WHAT[field]} as smartnodes[${first}]: each SmartNode has its own` });
    }
  });
  return issues;
}

const WHAT = {
  alias: "the same alias",
  address: "the same IP address",
  txid: "the same collateral (txid and index)",
} as const;

/** smartnodes is read only for coins whose profile says how to ask the network for one entry. */
export function smartnodesUnasked(config: Config): RuleIssue[] {
  if (config.smartnodes.length === 0 || findCoin(config.coin)?.smartnodeList !== undefined) return [];
  return [
    {
      path: ["smartnodes"],
      message: `the network is not asked for this coin (${config.coin} has no SmartNode list nodeward can read): smartnodes is ignored; remove it, or use coin: smartcash`,
    },
  ];
}
