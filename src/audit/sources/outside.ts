import { findCoin } from "../../coins/index.ts";
import { resolvePorts } from "../../config/ports.ts";
import type { Config } from "../../config/schema.ts";
import type { Instance } from "../../firewall/model.ts";
import { handshake, p2pParamsFor } from "../../p2p/index.ts";
import { sapiStatus } from "../../sapi/index.ts";
import { parsePorts, scanHost } from "../../scan/index.ts";
import { verifyNodes, type VerifyProbes } from "../../verify/run.ts";
import { verifyExpectation, verifyTargets } from "../../verify/targets.ts";
import type { Outcome, OutsideFacts } from "../context.ts";
import { failure } from "./failure.ts";

/** The real outside-in probes (TCP connect scan, P2P handshake, SAPI), as `nodeward verify` uses them. */
export function realProbes(config: Config): VerifyProbes {
  const coin = findCoin(config.coin);
  const params = coin === undefined ? undefined : p2pParamsFor(coin);
  const timeoutMs = config.verify.timeoutSeconds * 1000;
  return {
    scan: async (address, ports, signal) => (await scanHost(address, { ports, signal })).ports,
    ...(params === undefined ? {} : { handshake: (address: string, port: number, signal?: AbortSignal) => handshake({ host: address, port }, params, { timeoutMs, signal }) }),
    sapi: (address, port, signal) => sapiStatus({ host: address, port }, { timeoutMs, signal, path: coin?.sapi?.statusPath }),
  };
}

/**
 * Every selected instance and static host, proven from outside exactly as `nodeward verify` does
 * (same ports, expectation and findings). Instances come from the firewall source; when the
 * provider could not be read the static hosts are still checked and the gap is reported.
 */
export async function readOutsideFacts(opts: {
  config: Config;
  instances: Outcome<readonly Instance[]>;
  probes: VerifyProbes;
  signal?: AbortSignal;
}): Promise<Outcome<OutsideFacts>> {
  const { config } = opts;
  let instances: readonly Instance[] = [];
  let instancesUnknown: OutsideFacts["instancesUnknown"] = null;
  if (!opts.instances.ok) {
    const reason = `the nodes' addresses are unknown: ${opts.instances.reason}`;
    if (config.hosts.length === 0) return { ok: false, reason, fix: opts.instances.fix };
    if (opts.instances.code !== "SELECTION_EMPTY") instancesUnknown = { reason: `provider instances not checked: ${opts.instances.reason}`, fix: opts.instances.fix };
  } else instances = opts.instances.value;
  try {
    const coin = findCoin(config.coin);
    const coinPorts = resolvePorts(config);
    const extra = parsePorts(config.verify.ports, coinPorts.filter((p) => p.protocol === "tcp").map((p) => p.port));
    if (!Array.isArray(extra)) return { ok: false, reason: `verify.ports: ${extra.error}`, fix: "fix verify.ports in nodeward.yaml" };
    const { targets } = verifyTargets(instances, config.hosts);
    if (targets.length === 0) return { ok: false, reason: "no selected instance and no static host", fix: "check `nodes:` and `hosts:` in nodeward.yaml" };
    const reports = await verifyNodes(targets, opts.probes, {
      expectation: verifyExpectation(coinPorts, config.firewall.adminAccess, coin?.p2p?.minProtocolVersion),
      extraPorts: extra,
      ...(config.verify.handshake && coin?.p2p ? { handshakePort: coin.p2p.defaultPort } : {}),
      ...(config.verify.sapi && coin?.sapi ? { sapiPort: coin.sapi.port } : {}),
      signal: opts.signal,
    });
    return { ok: true, value: { reports, instancesUnknown } };
  } catch (e) {
    return failure(e, "run `nodeward verify` to see what fails");
  }
}
