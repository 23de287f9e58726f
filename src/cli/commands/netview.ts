import type { Command } from "commander";
import { findCoin, type CoinProfile } from "../../coins/index.ts";
import type { Config } from "../../config/schema.ts";
import { systemClock } from "../../core/clock.ts";
import { AppError } from "../../core/errors.ts";
import { clip } from "../../core/safe-text.ts";
import { selectInstances } from "../../inventory/select.ts";
import { choosePeers, createSurvey, renderVerdict, resolveTarget, verdictToJson, type KnownNode, type NetviewTarget, type PeerAddress } from "../../netview/index.ts";
import { loadConfigFor, openFirewallProvider } from "../context.ts";
import { EXIT, type ExitCode } from "../exit.ts";
import type { GlobalOptions, Io } from "../io.ts";
import { parseTarget } from "../target.ts";

type Act = (fn: (opts: GlobalOptions & Record<string, unknown>, args: string[]) => Promise<number>) => (...args: unknown[]) => Promise<void>;

export interface NetviewCommandOptions {
  target: string;
  /** --peer, in the order given; empty: netview.peers of the config. */
  peers: readonly string[];
  timeoutSeconds?: number;
  json: boolean;
}

/** `nodeward netview`, registered from main.ts in one call. */
export function registerNetviewCommand(program: Command, ctx: { io: () => Io; act: Act }): void {
  program.command("netview").description("ask SmartCash peers what the network thinks of one SmartNode: state, last ping, minutes before EXPIRED (exit 2 unless ENABLED or PRE_ENABLED)")
    .argument("<outpoint|node>", "collateral TXID-INDEX, a smartnodes alias, or a watched node's name")
    .option("--peer <host:port>", "a peer to ask; repeat for more (default: netview.peers)", (v: string, all: string[] | undefined) => [...(all ?? []), v])
    .option("--timeout <seconds>", "deadline of each peer's whole answer (default: netview.timeoutSeconds, 15)")
    .action(ctx.act((o, args) => runNetview(ctx.io(), o, {
      target: args[0] ?? "", peers: (o.peer as string[] | undefined) ?? [], json: o.json === true,
      ...(o.timeout === undefined ? {} : { timeoutSeconds: Number(o.timeout) }),
    })));
}

/** The network's verdict on one SmartNode. Exit 0 when ENABLED or PRE_ENABLED, 2 for any other state. */
export async function runNetview(io: Io, global: GlobalOptions, o: NetviewCommandOptions): Promise<ExitCode> {
  const config = await optionalConfig(io, global, o);
  const coin = findCoin(config?.coin ?? "smartcash");
  if (coin?.smartnodeList === undefined || coin.p2p === undefined || coin.expiry === undefined) {
    throw new AppError("USAGE", `coin ${config?.coin ?? "?"} has no SmartNode list to ask about; netview is for smartcash`);
  }
  const timeoutSeconds = o.timeoutSeconds ?? config?.netview.timeoutSeconds ?? 15;
  if (!(timeoutSeconds > 0 && timeoutSeconds <= 600)) throw new AppError("USAGE", `--timeout must be 1–600 seconds, got ${clip(String(o.timeoutSeconds), 40)}`);
  const peers = peersOf(o.peers.length > 0 ? o.peers : config?.netview.peers ?? [], coin.p2p.defaultPort);
  if (peers.length === 0) throw new AppError("USAGE", "no peer to ask", { hint: "give --peer HOST:PORT (repeat for more), or list SmartCash peers under netview.peers in nodeward.yaml" });

  const target = await targetOf(io, o.target, config, coin);
  const peersPerNode = o.peers.length > 0 ? peers.length : config?.netview.peersPerNode ?? 3;
  if (choosePeers([target], peers, [], peersPerNode)[0]!.peers.length === 0) {
    throw new AppError("USAGE", "every peer given is the node itself: its own answer proves nothing", { hint: "ask other SmartCash peers with --peer HOST:PORT" });
  }
  const [result] = await createSurvey(coin)([target], { peers, fleetPeers: [], peersPerNode, timeoutMs: timeoutSeconds * 1000 });
  const verdict = result!.verdict;
  const name = target.alias === "" ? undefined : target.alias;
  if (o.json) io.json({ node: name ?? null, ...(verdictToJson(verdict) as object) });
  else io.out(renderVerdict(verdict, { ...(name === undefined ? {} : { name }), nowMs: systemClock.now(), expiredMinutes: coin.expiry.expiredMinutes }, io.style));
  return verdict.state === "ENABLED" || verdict.state === "PRE_ENABLED" ? EXIT.ok : EXIT.changes;
}

/** An outpoint with --peer needs no config; a name does. A config named with -c or NODEWARD_CONFIG must exist. */
async function optionalConfig(io: Io, global: GlobalOptions, o: NetviewCommandOptions): Promise<Config | null> {
  try {
    return (await loadConfigFor(io, global)).config;
  } catch (e) {
    const named = global.config !== undefined || (io.env["NODEWARD_CONFIG"] ?? "").trim() !== "";
    if (e instanceof AppError && e.code === "CONFIG_NOT_FOUND" && !named && o.peers.length > 0) return null;
    throw e;
  }
}

function peersOf(texts: readonly string[], defaultPort: number): PeerAddress[] {
  return texts.map((text) => {
    if (text.length > 300) throw new AppError("USAGE", `--peer must be HOST:PORT, got ${text.length} characters`);
    const t = parseTarget(text);
    return { host: t.host, port: t.port ?? defaultPort };
  });
}

/** Outpoint, alias or static host from the config; the provider's instances only when those do not match. */
async function targetOf(io: Io, text: string, config: Config | null, coin: CoinProfile): Promise<NetviewTarget> {
  const port = coin.p2p!.defaultPort;
  const hosts: KnownNode[] = (config?.hosts ?? []).map((h) => ({ name: h.name, addresses: h.addresses }));
  let r = resolveTarget(text, config?.smartnodes ?? [], hosts, port);
  let instancesUnread = false;
  if (r.kind === "unknown" && config !== null && config.smartnodes.length > 0) {
    const instances = await instancesOf(io, config);
    instancesUnread = instances === undefined;
    r = resolveTarget(text, config.smartnodes, [...hosts, ...(instances ?? [])], port);
  }
  if (r.kind === "target") return r.target;
  if (r.kind === "problem") throw new AppError("USAGE", r.message, r.hint === undefined ? {} : { hint: r.hint });
  const what = JSON.stringify(clip(text, 80));
  if (config === null) throw new AppError("USAGE", `${what} is not a collateral outpoint (TXID-INDEX)`, { hint: "a node's name or alias needs nodeward.yaml with smartnodes:" });
  const hint = instancesUnread
    ? "the provider's instances were not looked up (no API key): set VULTR_API_KEY to name an instance, or use the alias or the outpoint"
    : "see smartnodes: in nodeward.yaml (nodeward import smartnode.conf FILE writes it)";
  throw new AppError("USAGE", `${what} is not a collateral outpoint (TXID-INDEX), a smartnodes alias or a watched node`, { hint });
}

/** The selected instances as watched nodes; undefined when there is no API key to list them with. */
async function instancesOf(io: Io, config: Config): Promise<KnownNode[] | undefined> {
  let provider;
  try {
    provider = await openFirewallProvider(config, io);
  } catch (e) {
    if (e instanceof AppError && e.code === "SECRET_MISSING") return undefined;
    throw e;
  }
  const instances = selectInstances(await provider.listInstances(), config.nodes).selected;
  return instances.map((i) => ({ name: i.label || i.id, id: i.id, addresses: [i.mainIp, i.v6MainIp].filter((a) => a !== "") }));
}
