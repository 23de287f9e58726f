/**
 * A simulated SmartNode: the P2P responder and the SAPI server on loopback (or any address),
 * with a height, user agent, protocol version and behaviour that tests can change while it runs.
 */
import type { P2pParams } from "../../p2p/params.ts";
import type { Behaviour } from "./behaviour.ts";
import type { SmartnodeLookup } from "./network-list.ts";
import { listenP2p, type NodeSettings } from "./p2p-server.ts";
import { clientVersionOf, listenSapi, type SapiListener } from "./sapi-server.ts";

export interface SimulatedNodeOptions {
  /** Default "127.0.0.1"; "::1" works too. */
  host?: string;
  /** Default 0 (any free port). */
  p2pPort?: number;
  /** Default 0 (any free port); false = no SAPI (port 8080 closed). */
  sapiPort?: number | false;
  params: P2pParams;
  /** Default 2,500,000. */
  height?: number;
  /** Default "/SmartCash Core:2.1.1/". */
  userAgent?: string;
  /** Default params.protocolVersion. */
  protocolVersion?: number;
  /** Default "normal". */
  behaviour?: Behaviour;
  /** Delay of the "slow" behaviour; default 200 ms. */
  slowMs?: number;
  /** Idle connections are closed after this; default 60,000 ms as on a real node. */
  idleMs?: number;
  /** The simulated network's SmartNode list (createNetworkList), shared by the nodes of one network. */
  network?: SmartnodeLookup;
  /** Default true; false: the node ignores dseg, as a node still syncing does. */
  synced?: boolean;
}

export interface SimulatedNode {
  host: string;
  p2pPort: number;
  /** undefined when started with sapiPort: false. */
  sapiPort: number | undefined;
  set(partial: Partial<NodeSettings>): void;
  stats(): SimulatedNodeStats;
  close(): Promise<void>;
}

export interface SimulatedNodeStats {
  handshakes: number;
  rejects: number;
  /** dseg messages received after the handshake, answered or not, list requests included. */
  dsegs: number;
  getdatas: number;
  /** dseg for the null outpoint (the whole list): mainnet peers punish it, nodeward must never send it. */
  listRequests: number;
}

export async function startSimulatedNode(opts: SimulatedNodeOptions): Promise<SimulatedNode> {
  const host = opts.host ?? "127.0.0.1";
  const settings: NodeSettings = {
    height: opts.height ?? 2_500_000,
    userAgent: opts.userAgent ?? "/SmartCash Core:2.1.1/",
    protocolVersion: opts.protocolVersion ?? opts.params.protocolVersion,
    behaviour: opts.behaviour ?? "normal",
    synced: opts.synced ?? true,
  };
  const counts: SimulatedNodeStats = { handshakes: 0, rejects: 0, dsegs: 0, getdatas: 0, listRequests: 0 };
  const startedAt = Math.floor(Date.now() / 1000);
  const p2p = await listenP2p({
    host,
    port: opts.p2pPort ?? 0,
    params: opts.params,
    settings: () => settings,
    slowMs: opts.slowMs ?? 200,
    idleMs: opts.idleMs ?? 60_000,
    network: opts.network,
    onOutcome: (o) => {
      if (o === "handshake") counts.handshakes++;
      else if (o === "reject") counts.rejects++;
      else if (o === "getdata") counts.getdatas++;
      else {
        counts.dsegs++;
        if (o === "list-request") counts.listRequests++;
      }
    },
  });
  let sapi: SapiListener | undefined;
  if (opts.sapiPort !== false) {
    try {
      sapi = await listenSapi(host, opts.sapiPort ?? 0, () => {
        const now = Math.floor(Date.now() / 1000);
        return {
          started: startedAt,
          uptime: now - startedAt,
          version: clientVersionOf(settings.userAgent),
          protocolversion: settings.protocolVersion,
          blocks: settings.height,
          time: now,
          timeoffset: 0,
          connections: { in: p2p.connections(), out: 8 },
          testnet: false,
        };
      });
    } catch (err) {
      await p2p.close();
      throw err;
    }
  }
  return {
    host,
    p2pPort: p2p.port,
    sapiPort: sapi?.port,
    set: (partial) => Object.assign(settings, definedOnly(partial)),
    stats: () => ({ ...counts }),
    close: async () => {
      await Promise.all([p2p.close(), sapi?.close()]);
    },
  };
}

function definedOnly(partial: Partial<NodeSettings>): Partial<NodeSettings> {
  return Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined)) as Partial<NodeSettings>;
}
