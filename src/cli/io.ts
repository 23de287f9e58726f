import type { Style } from "../core/style.ts";
import type { Redactor } from "../core/redact.ts";
import { jsonText } from "../core/safe-text.ts";
import { terminalEdge, type TerminalEdge } from "./terminal.ts";

/**
 * Where a command writes. Everything passes through the redactor (invariant 5), then the terminal
 * edge (cli/terminal.ts): no control character of outside text reaches the terminal raw.
 */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  json(value: unknown): void;
  /** Rewrites the current stderr line in place (a progress line on a terminal); no line feed added. */
  live(text: string): void;
  readonly style: Style;
  readonly errStyle: Style;
  readonly stdinIsTTY: boolean;
  readonly stderrIsTTY: boolean;
  readonly env: NodeJS.ProcessEnv;
  readonly redactor: Redactor;
  readonly quiet: boolean;
  readonly verbose: boolean;
}

export interface GlobalOptions {
  config?: string;
  json?: boolean;
  quiet?: boolean;
  verbose?: boolean;
  color?: boolean;
}

export function makeIo(
  streams: { stdout: NodeJS.WritableStream & { isTTY?: boolean }; stderr: NodeJS.WritableStream & { isTTY?: boolean }; stdinIsTTY: boolean },
  env: NodeJS.ProcessEnv,
  redactor: Redactor,
  colors: { out: boolean; err: boolean },
  flags: { quiet: boolean; verbose: boolean },
  edge: TerminalEdge = terminalEdge(),
): Io {
  const write = (s: NodeJS.WritableStream, t: string) => s.write(edge.render(redactor.redact(t.endsWith("\n") ? t : `${t}\n`)));
  return {
    out: (t) => write(streams.stdout, t),
    err: (t) => write(streams.stderr, t),
    json: (v) => streams.stdout.write(`${jsonText(redactor.redact(JSON.stringify(v, null, 2)))}\n`),
    live: (t) => streams.stderr.write(`\r\u001b[2K${edge.render(redactor.redact(t))}`),
    style: edge.style(colors.out),
    errStyle: edge.style(colors.err),
    stdinIsTTY: streams.stdinIsTTY,
    stderrIsTTY: streams.stderr.isTTY === true,
    env,
    redactor,
    quiet: flags.quiet,
    verbose: flags.verbose,
  };
}
