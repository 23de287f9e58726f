import { findCoin, portText, type CoinPort } from "../coins/index.ts";
import type { PortSpec } from "./port-spec.ts";
import type { Config } from "./schema.ts";

/**
 * Every port the fleet accepts from anywhere: the coin profile's ports plus extraPorts, or the
 * listed ports for coin: custom. Deduplicated by protocol and port text, first one wins, so a
 * profile port keeps its purpose and why.
 */
export function resolvePorts(config: Pick<Config, "coin" | "ports" | "extraPorts">): CoinPort[] {
  const coin = findCoin(config.coin);
  const own: CoinPort[] = coin
    ? [...coin.ports]
    : (config.ports ?? []).map((p) => fromSpec(p, "custom", "listed in ports for coin: custom"));
  const extra = config.extraPorts.map((p) => fromSpec(p, "extra", "listed in extraPorts"));
  const seen = new Set<string>();
  return [...own, ...extra].filter((p) => {
    const key = `${p.protocol} ${portText(p)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function fromSpec(p: PortSpec, purpose: string, why: string): CoinPort {
  return { protocol: p.protocol, port: p.port, ...(p.portEnd === undefined ? {} : { portEnd: p.portEnd }), purpose, why: `${why} in nodeward.yaml` };
}
