import { Writable } from "node:stream";
import { pino, type Logger as PinoLogger } from "pino";
import type { Redactor } from "./redact.ts";
import { oneLine } from "./safe-text.ts";

/**
 * Structured logs (pino): JSON lines for machines, a short readable line on a terminal. Every
 * line passes through the redactor after serialisation, so no secret reaches a log (invariant 5).
 */
export type Logger = PinoLogger;
export type LogLevel = "debug" | "info" | "warn" | "error";

export function createLogger(opts: { level: LogLevel; pretty: boolean; redactor: Redactor; out?: NodeJS.WritableStream }): Logger {
  const out = opts.out ?? process.stderr;
  const dest = opts.pretty ? prettyStream(out) : out;
  return pino(
    {
      level: opts.level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      hooks: { streamWrite: (s) => opts.redactor.redact(s) },
    },
    dest as pino.DestinationStream,
  );
}

const LEVEL_TAG: Record<string, string> = { debug: "DEBUG", info: "INFO ", warn: "WARN ", error: "ERROR", fatal: "FATAL", trace: "TRACE" };

/** "12:00:01 INFO  node down  node=sn-ewr-001 cause=p2p timeout"; controls in values are shown, not sent to the terminal. */
export function prettyLine(json: string): string {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return `${oneLine(json)}\n`;
  }
  const { time, level, msg, ...rest } = o;
  const t = typeof time === "string" ? time.slice(11, 19) : "";
  const fields = Object.entries(rest).map(([k, v]) => `${k}=${oneLine(typeof v === "string" ? v : JSON.stringify(v))}`).join(" ");
  return `${t} ${LEVEL_TAG[String(level)] ?? String(level)} ${oneLine(String(msg ?? ""))}${fields ? `  ${fields}` : ""}\n`;
}

function prettyStream(out: NodeJS.WritableStream): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString("utf8").split("\n")) if (line.trim() !== "") out.write(prettyLine(line));
      cb();
    },
  });
}
