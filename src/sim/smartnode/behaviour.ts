/**
 * How a simulated node misbehaves. A behaviour changes what the node sends, never how it reads:
 * it always reads the probe's frames with the coin's own parameters, so every failure seen by
 * the probe comes from the node's answer, which is what the test wants to pin down.
 */
import type { P2pParams } from "../../p2p/params.ts";

export type Behaviour =
  /** The SmartCash inbound handshake, to the letter. */
  | "normal"
  /** Accepts the connection, reads, never answers (a hung daemon or a tarpit). */
  | "silent"
  /** Answers like "normal" after `slowMs`. */
  | "slow"
  /** Answers the first bytes with text that is no P2P frame (another service on the port). */
  | "garbage"
  /** Answers with well-formed frames under another magic (another network on the port). */
  | "wrong-magic"
  /** Answers with Bitcoin framing: double-SHA-256 checksums and 26-byte addresses in version. */
  | "bitcoin-framing"
  /** Accepts, then resets the connection (RST) when the first bytes arrive. */
  | "reset";

export const BEHAVIOURS: readonly Behaviour[] = ["normal", "silent", "slow", "garbage", "wrong-magic", "bitcoin-framing", "reset"];

/** What the node answers when its behaviour is "garbage": an HTTP error, as a web server on the port would. */
export const GARBAGE_ANSWER = new TextEncoder().encode("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");

/** The parameters the node frames its answers with. */
export function sendingParams(params: P2pParams, behaviour: Behaviour): P2pParams {
  if (behaviour === "wrong-magic") return { ...params, magic: params.magic.map((b) => b ^ 0xff) };
  if (behaviour === "bitcoin-framing") return { ...params, checksum: "sha256d", addrWithTime: false };
  return params;
}
