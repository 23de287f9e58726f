import { lookup as dnsLookup } from "node:dns/promises";
import { isIP } from "node:net";
import { AppError } from "../core/errors.ts";
import type { ProbeTarget } from "./types.ts";

/**
 * Which addresses a scan of `host` probes. An IP address is used as it is ("[::1]" brackets are
 * dropped). A name goes through dns.lookup (the system resolver, /etc/hosts included) and yields
 * the first address of the wanted family, or — only when asked with "both" — the first address
 * of each family it has. Failing to resolve is an AppError("USAGE") that says what to check.
 */

export type FamilyChoice = 4 | 6 | "any" | "both";

export type Lookup = (host: string) => Promise<ReadonlyArray<{ address: string; family: number }>>;

const systemLookup: Lookup = (host) => dnsLookup(host, { all: true, verbatim: true });

export async function resolveTargets(host: string, choice: FamilyChoice, lookup: Lookup = systemLookup): Promise<ProbeTarget[]> {
  const bare = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  const literal = isIP(bare);
  if (literal === 4 || literal === 6) {
    if ((choice === 4 || choice === 6) && choice !== literal) {
      throw new AppError("USAGE", `scan: ${host} is an IPv${literal} address but IPv${choice} was asked for`, { hint: "drop the family option or give an address of that family" });
    }
    return [{ address: bare, family: literal }];
  }
  if (bare === "" || /\s/.test(bare)) throw new AppError("USAGE", `scan: "${host}" is neither an IP address nor a host name`);

  let found: ReadonlyArray<{ address: string; family: number }>;
  try {
    found = await lookup(bare);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "error";
    throw new AppError("USAGE", `scan: cannot resolve "${host}" (${code})`, { cause: err, hint: "check the name, or scan the node's IP address" });
  }
  const first = (family: 4 | 6): ProbeTarget | undefined => {
    const hit = found.find((a) => a.family === family);
    return hit === undefined ? undefined : { address: hit.address, family };
  };
  const v4 = first(4);
  const v6 = first(6);
  const picked: ProbeTarget[] =
    choice === 4 ? (v4 ? [v4] : []) :
    choice === 6 ? (v6 ? [v6] : []) :
    choice === "both" ? [v4, v6].filter((t): t is ProbeTarget => t !== undefined) :
    found.slice(0, 1).flatMap((a) => (a.family === 4 || a.family === 6 ? [{ address: a.address, family: a.family }] : []));
  if (picked.length === 0) {
    const what = choice === 4 || choice === 6 ? `no IPv${choice} address` : "no address";
    throw new AppError("USAGE", `scan: "${host}" resolves to ${what}`, { hint: "check the DNS records, or scan the node's IP address" });
  }
  return picked;
}
