import type { CoinProfile } from "../coins/index.ts";
import type { Instance } from "../firewall/model.ts";
import type { WatchedNode } from "./engine.ts";
import type { ProbeTarget } from "./probe.ts";

export type WatchTarget = WatchedNode & ProbeTarget;

/** Provider instances and static hosts as watch targets (pure): one primary address each, IPv4 first. */
export function watchTargets(instances: readonly Instance[], hosts: readonly { name: string; addresses: readonly string[] }[], coin: CoinProfile, sapi: boolean): WatchTarget[] {
  const p2pPort = coin.p2p?.defaultPort ?? coin.ports[0]?.port ?? 0;
  const sapiPart = sapi && coin.sapi ? { sapiPort: coin.sapi.port, sapiPath: coin.sapi.statusPath } : {};
  return [
    ...instances
      .filter((i) => i.mainIp !== "" || i.v6MainIp !== "")
      .map((i) => ({ nodeId: i.id, name: i.label || i.id, address: i.mainIp || i.v6MainIp, instanceId: i.id, p2pPort, ...sapiPart })),
    ...hosts
      .filter((h) => h.addresses.length > 0)
      .map((h) => ({ nodeId: `host:${h.name}`, name: h.name, address: h.addresses.find((a) => !a.includes(":")) ?? h.addresses[0]!, p2pPort, ...sapiPart })),
  ];
}
