import { connect, type Socket } from "node:net";
import { encodeFrame } from "../../src/p2p/frame.ts";
import { FrameReader } from "../../src/p2p/frame-reader.ts";
import { frameMessage } from "../../src/p2p/messages.ts";
import type { P2pParams } from "../../src/p2p/params.ts";

/**
 * A test peer on a real socket that asks a node about its SmartNode list: our version and verack,
 * then each request followed by a ping, whose pong marks the end of the answer (the node answers
 * in order). A short quiet period after the pong catches anything sent late.
 */
export interface RawMessage {
  command: string;
  payload: Uint8Array;
}

export interface ListPeer {
  /** Sends the frames, then a ping; resolves with what came before its pong. */
  ask(frames: readonly RawMessage[]): Promise<RawMessage[]>;
  close(): void;
}

export async function openListPeer(host: string, port: number, params: P2pParams, timeoutMs = 3000): Promise<ListPeer> {
  const socket: Socket = connect({ host, port });
  const reader = new FrameReader(params);
  const got: RawMessage[] = [];
  let onMessage = () => {};
  socket.on("data", (chunk: Buffer) => {
    for (const e of reader.push(chunk)) if (e.kind === "message") got.push({ command: e.command, payload: e.payload });
    onMessage();
  });
  await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
  socket.on("error", () => socket.destroy());
  const until = (done: () => boolean) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer from ${host}:${port} within ${timeoutMs} ms; got ${got.map((m) => m.command).join(" ") || "nothing"}`)), timeoutMs);
      onMessage = () => {
        if (!done()) return;
        clearTimeout(timer);
        resolve();
      };
      onMessage();
    });
  const addrRecv = { services: 0n, ip: host, port };
  socket.write(frameMessage(params, { type: "version", version: { version: params.protocolVersion, services: 0n, timestamp: BigInt(Math.floor(Date.now() / 1000)), addrRecv, addrFrom: { services: 0n, ip: "::", port: 0 }, nonce: 5n, userAgent: "/nodeward-test/", startHeight: 0, relay: false } }));
  socket.write(frameMessage(params, { type: "verack" }));
  try {
    await until(() => got.some((m) => m.command === "verack") && got.some((m) => m.command === "sendheaders"));
  } catch (e) {
    socket.destroy();
    throw e;
  }
  let nonce = 100n;
  return {
    async ask(frames) {
      const from = got.length;
      const n = ++nonce;
      for (const f of frames) socket.write(encodeFrame(params, f.command, f.payload));
      socket.write(frameMessage(params, { type: "ping", nonce: n }));
      await until(() => got.slice(from).some((m) => m.command === "pong" && Buffer.from(m.payload).readBigUInt64LE(0) === n));
      await new Promise((r) => setTimeout(r, 50));
      return got.slice(from).filter((m) => m.command !== "pong");
    },
    close: () => socket.destroy(),
  };
}
