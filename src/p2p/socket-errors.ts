/**
 * What a socket error says about the peer, the way nmap's connect scan reads errno:
 * refused = something answered "closed", timeout = nothing answered, unreachable = the network
 * said no route, reset = the peer (or a middlebox) tore the connection down.
 */

export type SocketFailure = "refused" | "timeout" | "reset" | "unreachable";

const BY_CODE: Readonly<Record<string, SocketFailure>> = {
  ECONNREFUSED: "refused",
  ETIMEDOUT: "timeout",
  ETIME: "timeout",
  EHOSTUNREACH: "unreachable",
  ENETUNREACH: "unreachable",
  EHOSTDOWN: "unreachable",
  ENETDOWN: "unreachable",
  EADDRNOTAVAIL: "unreachable",
  EAFNOSUPPORT: "unreachable",
  ENOTFOUND: "unreachable",
  EAI_AGAIN: "unreachable",
  EAI_FAIL: "unreachable",
  ENODATA: "unreachable",
  ECONNRESET: "reset",
  EPIPE: "reset",
  ECONNABORTED: "reset",
};

export function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/** `fallback` covers codes not listed: "unreachable" before a connection exists, "reset" after. */
export function socketFailure(err: unknown, fallback: SocketFailure): SocketFailure {
  const code = errorCode(err);
  return (code !== undefined && BY_CODE[code]) || fallback;
}

/** One line for a report: "ECONNREFUSED connect ECONNREFUSED 127.0.0.1:9" → kept short, never a stack. */
export function socketDetail(err: unknown): string {
  const code = errorCode(err);
  const message = err instanceof Error ? err.message : String(err);
  return code !== undefined && !message.includes(code) ? `${code}: ${message}` : message;
}
