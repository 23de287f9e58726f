/**
 * The simulated node's P2P listener: one FrameReader and one responder state per connection,
 * the current behaviour applied to what is sent. Idle connections are closed after `idleMs`
 * (a real node waits 60 s for a first message); `close()` ends every connection it holds.
 */
import { randomBytes } from "node:crypto";
import { createServer, type AddressInfo, type Server, type Socket } from "node:net";
import { FrameReader } from "../../p2p/frame-reader.ts";
import { frameMessage } from "../../p2p/messages.ts";
import type { P2pParams } from "../../p2p/params.ts";
import { GARBAGE_ANSWER, sendingParams, type Behaviour } from "./behaviour.ts";
import type { ListOutcome } from "./list-answers.ts";
import type { SmartnodeLookup } from "./network-list.ts";
import { initialResponderState, respond, SMARTCASH_SERVICES, type ResponderAction } from "./responder.ts";

export interface NodeSettings {
  height: number;
  userAgent: string;
  protocolVersion: number;
  behaviour: Behaviour;
  /** smartnodeSync.IsSynced(): an unsynced node is silent to dseg. */
  synced: boolean;
}

export interface P2pServerOptions {
  host: string;
  port: number;
  params: P2pParams;
  settings: () => NodeSettings;
  slowMs: number;
  idleMs: number;
  /** The SmartNode list the node answers dseg / getdata from; absent: it keeps none. */
  network?: SmartnodeLookup;
  onOutcome: (outcome: "handshake" | "reject" | ListOutcome) => void;
}

/** MAX_PROTOCOL_MESSAGE_LENGTH is 6,000,000; the simulator needs far less. */
const MAX_PAYLOAD = 1024 * 1024;

export interface P2pListener {
  port: number;
  connections(): number;
  close(): Promise<void>;
}

export async function listenP2p(opts: P2pServerOptions): Promise<P2pListener> {
  const sockets = new Set<Socket>();
  const server: Server = createServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy());
    socket.setTimeout(opts.idleMs, () => socket.destroy());
    serve(socket, opts);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => sockets.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function serve(socket: Socket, opts: P2pServerOptions): void {
  const behaviour = opts.settings().behaviour;
  if (behaviour === "reset") {
    socket.once("data", () => socket.resetAndDestroy());
    return;
  }
  if (behaviour === "silent") {
    socket.resume();
    return;
  }
  if (behaviour === "garbage") {
    socket.once("data", () => socket.end(GARBAGE_ANSWER));
    return;
  }
  const reader = new FrameReader(opts.params, { maxPayload: MAX_PAYLOAD });
  const out = sendingParams(opts.params, behaviour);
  let state = initialResponderState();
  const timers = new Set<NodeJS.Timeout>();
  socket.on("close", () => timers.forEach(clearTimeout));
  const delayMs = behaviour === "slow" ? opts.slowMs : 0;
  socket.on("data", (chunk: Buffer) => {
    for (const event of reader.push(chunk)) {
      const s = opts.settings();
      const step = respond(state, event, {
        params: opts.params,
        protocolVersion: s.protocolVersion,
        userAgent: s.userAgent,
        height: s.height,
        services: SMARTCASH_SERVICES,
        nowSeconds: BigInt(Math.floor(Date.now() / 1000)),
        nonce: randomBytes(8).readBigUInt64LE(0),
        smartnodes: { synced: s.synced, lookup: opts.network },
      });
      state = step.state;
      if (step.outcome !== undefined) opts.onOutcome(step.outcome);
      if (step.actions.length === 0) continue;
      if (delayMs <= 0) {
        perform(socket, step.actions, out);
      } else {
        const timer = setTimeout(() => {
          timers.delete(timer);
          perform(socket, step.actions, out);
        }, delayMs);
        timers.add(timer);
      }
    }
  });
}

function perform(socket: Socket, actions: ResponderAction[], params: P2pParams): void {
  if (socket.destroyed || socket.writableEnded) return;
  for (const a of actions) {
    if (a.kind === "send") socket.write(frameMessage(params, a.message));
    else socket.end();
  }
}
