/**
 * Just enough HTTP/1.x to read one answer to one GET on a connection we close: status line,
 * headers, and a body framed by Content-Length, chunked encoding, or the end of the connection.
 * A pure function of the bytes received so far, re-run as more arrive (answers are a few hundred
 * bytes; everything is capped). The SAPI probe runs some 170 times a second in the watch daemon,
 * and node:http's agent, parser and streams cost more than the TCP connection itself.
 */

/** Status line and headers together. */
export const MAX_HEAD_BYTES = 16 * 1024;

export type HttpParse =
  /** Not complete yet: wait for more bytes. */
  | { kind: "more" }
  | { kind: "done"; status: number; body: Buffer }
  /** Not an HTTP answer we accept: garbage, malformed framing, or over the cap. */
  | { kind: "bad"; detail: string; status?: number }
  /** The connection ended before the answer was complete. */
  | { kind: "cut"; detail: string };

const HEAD_END = Buffer.from("\r\n\r\n");
const CRLF = Buffer.from("\r\n");
const STATUS_LINE = /^HTTP\/1\.[01] (\d{3})(?: |$)/;

/**
 * `raw`: every byte received so far; `ended`: the peer closed its side. `maxBody` caps the body
 * (after chunked decoding) whatever the framing says.
 */
export function parseHttpResponse(raw: Buffer, ended: boolean, maxBody: number): HttpParse {
  let at = 0;
  for (;;) {
    const head = readHead(raw, at, ended);
    if (head.kind !== "head") return head;
    // 1xx answers (100 Continue, 103 Early Hints) come before the real one; 101 would switch protocols.
    if (head.status >= 100 && head.status < 200 && head.status !== 101) {
      at = head.bodyStart;
      continue;
    }
    return readBody(raw, head, ended, maxBody);
  }
}

interface Head {
  kind: "head";
  status: number;
  bodyStart: number;
  contentLength: number | undefined;
  chunked: boolean;
}

function readHead(raw: Buffer, at: number, ended: boolean): Head | Exclude<HttpParse, { kind: "done" }> {
  const prefix = raw.subarray(at, at + 5).toString("latin1");
  if (!"HTTP/".startsWith(prefix.slice(0, 5)) || (prefix.length === 0 && ended && at > 0)) {
    return { kind: "bad", detail: `the answer is not HTTP: it starts with ${preview(raw.subarray(at, at + 40))}` };
  }
  const end = raw.indexOf(HEAD_END, at);
  if (end < 0) {
    if (raw.length - at > MAX_HEAD_BYTES) return { kind: "bad", detail: `the answer's headers are over ${MAX_HEAD_BYTES} bytes` };
    if (!ended) return { kind: "more" };
    return { kind: "cut", detail: raw.length === at ? "connection closed before any answer" : "connection closed in the middle of the headers" };
  }
  if (end - at > MAX_HEAD_BYTES) return { kind: "bad", detail: `the answer's headers are over ${MAX_HEAD_BYTES} bytes` };
  const lines = raw.subarray(at, end).toString("latin1").split("\r\n");
  const m = STATUS_LINE.exec(lines[0] ?? "");
  if (m === null) return { kind: "bad", detail: `the answer is not HTTP: status line ${preview(Buffer.from(lines[0] ?? "", "latin1"))}` };
  const status = Number(m[1]);
  let contentLength: number | undefined;
  let chunked = false;
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(":");
    if (colon <= 0) return { kind: "bad", detail: `malformed header line ${preview(Buffer.from(line, "latin1"))}`, status };
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === "content-length") {
      if (!/^\d{1,15}$/.test(value) || (contentLength !== undefined && contentLength !== Number(value))) {
        return { kind: "bad", detail: `invalid Content-Length ${JSON.stringify(value)}`, status };
      }
      contentLength = Number(value);
    } else if (name === "transfer-encoding") {
      chunked = value.toLowerCase().split(",").map((s) => s.trim()).includes("chunked");
    }
  }
  return { kind: "head", status, bodyStart: end + HEAD_END.length, contentLength, chunked };
}

function readBody(raw: Buffer, h: Head, ended: boolean, maxBody: number): HttpParse {
  const { status } = h;
  if (status === 204 || status === 304) return { kind: "done", status, body: Buffer.alloc(0) };
  if (h.chunked) return readChunked(raw, h.bodyStart, status, ended, maxBody);
  const available = raw.length - h.bodyStart;
  if (h.contentLength !== undefined) {
    if (h.contentLength > maxBody) return { kind: "bad", detail: `body of ${h.contentLength} bytes is over the ${maxBody}-byte cap`, status };
    if (available >= h.contentLength) return { kind: "done", status, body: raw.subarray(h.bodyStart, h.bodyStart + h.contentLength) };
    return ended ? { kind: "cut", detail: "connection closed in the middle of the body" } : { kind: "more" };
  }
  if (available > maxBody) return { kind: "bad", detail: `body is over the ${maxBody}-byte cap`, status };
  return ended ? { kind: "done", status, body: raw.subarray(h.bodyStart) } : { kind: "more" };
}

function readChunked(raw: Buffer, start: number, status: number, ended: boolean, maxBody: number): HttpParse {
  const parts: Buffer[] = [];
  let size = 0;
  let at = start;
  for (;;) {
    const eol = raw.indexOf(CRLF, at);
    if (eol < 0) {
      if (raw.length - at > 1024) return { kind: "bad", detail: "chunk size line over 1024 bytes", status };
      break;
    }
    const sizeText = raw.subarray(at, eol).toString("latin1").split(";")[0]!.trim();
    if (!/^[0-9a-fA-F]{1,8}$/.test(sizeText)) return { kind: "bad", detail: `malformed chunk size ${preview(Buffer.from(sizeText, "latin1"))}`, status };
    const n = parseInt(sizeText, 16);
    if (n === 0) return { kind: "done", status, body: Buffer.concat(parts, size) };
    if (size + n > maxBody) return { kind: "bad", detail: `body is over the ${maxBody}-byte cap`, status };
    const dataStart = eol + CRLF.length;
    if (raw.length < dataStart + n + CRLF.length) {
      if (raw.length - dataStart > maxBody) return { kind: "bad", detail: `body is over the ${maxBody}-byte cap`, status };
      break;
    }
    if (raw[dataStart + n] !== 0x0d || raw[dataStart + n + 1] !== 0x0a) return { kind: "bad", detail: "chunk not followed by CRLF", status };
    parts.push(raw.subarray(dataStart, dataStart + n));
    size += n;
    at = dataStart + n + CRLF.length;
  }
  return ended ? { kind: "cut", detail: "connection closed in the middle of the body" } : { kind: "more" };
}

function preview(bytes: Buffer): string {
  const text = bytes.toString("latin1").replace(/[^\x20-\x7e]/g, "·");
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}
