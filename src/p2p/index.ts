/** The P2P capability's public surface: parameters, codec, streaming reader and the handshake probe. */
export { BITCOIN_MAINNET, magicFromHex, p2pParamsFor, type P2pParams, type VersionExtra } from "./params.ts";
export { checksumOf, wireHash } from "./checksum.ts";
export { DEFAULT_MAX_PAYLOAD, encodeFrame, HEADER_SIZE, MAX_SIZE } from "./frame.ts";
export { FrameReader, type FrameEvent, type FrameProblem } from "./frame-reader.ts";
export {
  commandOf,
  decodeMessage,
  decodeReject,
  encodePayload,
  encodeReject,
  frameMessage,
  REJECT_DUPLICATE,
  REJECT_MALFORMED,
  REJECT_NONSTANDARD,
  REJECT_OBSOLETE,
  type P2pMessage,
  type RejectMessage,
} from "./messages.ts";
export { decodeVersion, encodeVersion, MAX_SUBVERSION_LENGTH, type VersionLayout, type VersionMessage } from "./version.ts";
export type { NetAddress } from "./netaddr.ts";
export type { Decoded, DecodeError, DecodeErrorCode } from "./wire.ts";
export { DEFAULT_USER_AGENT, handshake, type HandshakeOptions, type HandshakeResult } from "./handshake.ts";
export type { DownReason, HandshakePhase, PeerVersion } from "./handshake-session.ts";
export { socketFailure, type SocketFailure } from "./socket-errors.ts";
