import type { Config } from "../../config/schema.ts";
import { resolvePorts } from "../../config/ports.ts";
import { findCoin } from "../../coins/index.ts";
import { AppError } from "../../core/errors.ts";
import { oneLine } from "../../core/safe-text.ts";
import type { FirewallProvider } from "../../firewall/provider.ts";
import { selectInstances } from "../../inventory/select.ts";
import { handshake, p2pParamsFor } from "../../p2p/index.ts";
import { sapiStatus } from "../../sapi/index.ts";
import { parsePorts, scanHost } from "../../scan/index.ts";
import { renderVerify, verifyToJson } from "../../verify/render.ts";
import { verifyNodes, type VerifyProbes } from "../../verify/run.ts";
import { verifyExpectation, verifyTargets } from "../../verify/targets.ts";
import type { Io } from "../io.ts";
import { EXIT, type ExitCode } from "../exit.ts";

export interface VerifyRun {
  io: Io;
  config: Config;
  provider: FirewallProvider;
  json: boolean;
  nodes: readonly string[];
  /** Overrides verify.ports. */
  ports?: string;
  signal?: AbortSignal;
}

/**
 * `nodeward verify [NODE...]`: proves each node from outside — only the policy's ports answer,
 * blocked ports are filtered (not closed), the P2P handshake and SAPI are healthy. Exit 2 on any finding.
 */
export async function runVerify(run: VerifyRun): Promise<ExitCode> {
  const { io, config } = run;
  const coin = findCoin(config.coin);
  const coinPorts = resolvePorts(config);
  const spec = run.ports ?? config.verify.ports;
  const extra = parsePorts(spec, coinPorts.filter((p) => p.protocol === "tcp").map((p) => p.port));
  if (!Array.isArray(extra)) throw new AppError("USAGE", `--ports ${spec}: ${extra.error}`);

  const instances = selectInstances(await run.provider.listInstances(run.signal), config.nodes).selected;
  const { targets, unknown } = verifyTargets(instances, config.hosts, run.nodes);
  if (unknown.length > 0) throw new AppError("USAGE", `not a selected node or static host: ${unknown.join(", ")}`, { hint: "name nodes by label, instance id, static host name or address" });
  if (targets.length === 0) throw new AppError("SELECTION_EMPTY", "nothing to verify: no selected instance and no static host", { hint: "check `nodes:` and `hosts:` in nodeward.yaml" });

  const params = coin === undefined ? undefined : p2pParamsFor(coin);
  const timeoutMs = config.verify.timeoutSeconds * 1000;
  const probes: VerifyProbes = {
    scan: async (address, ports, signal) => (await scanHost(address, { ports, signal })).ports,
    ...(params === undefined ? {} : { handshake: (address: string, port: number, signal?: AbortSignal) => handshake({ host: address, port }, params, { timeoutMs, signal }) }),
    sapi: (address, port, signal) => sapiStatus({ host: address, port }, { timeoutMs, signal, path: coin?.sapi?.statusPath }),
  };
  const live = io.stderrIsTTY && !io.quiet && !run.json;
  const reports = await verifyNodes(targets, probes, {
    expectation: verifyExpectation(coinPorts, config.firewall.adminAccess, coin?.p2p?.minProtocolVersion),
    extraPorts: extra,
    ...(config.verify.handshake && coin?.p2p ? { handshakePort: coin.p2p.defaultPort } : {}),
    ...(config.verify.sapi && coin?.sapi ? { sapiPort: coin.sapi.port } : {}),
    signal: run.signal,
    onNodeDone: (r, done, total) => {
      if (live) io.live(`verified ${done}/${total} (${oneLine(r.target.name)})${done === total ? "\n" : ""}`);
    },
  });
  if (run.json) io.json(verifyToJson(reports));
  else io.out(renderVerify(reports, io.style));
  return reports.every((r) => r.findings.length === 0) ? EXIT.ok : EXIT.changes;
}
