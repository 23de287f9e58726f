import type { Style } from "../core/style.ts";
import type { Redactor } from "../core/redact.ts";

/** Where a command writes. Everything passes through the redactor (invariant 5). */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  json(value: unknown): void;
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
  styles: { out: Style; err: Style },
  flags: { quiet: boolean; verbose: boolean },
): Io {
  const write = (s: NodeJS.WritableStream, t: string) => s.write(redactor.redact(t.endsWith("\n") ? t : `${t}\n`));
  return {
    out: (t) => write(streams.stdout, t),
    err: (t) => write(streams.stderr, t),
    json: (v) => write(streams.stdout, JSON.stringify(v, null, 2)),
    style: styles.out,
    errStyle: styles.err,
    stdinIsTTY: streams.stdinIsTTY,
    stderrIsTTY: streams.stderr.isTTY === true,
    env,
    redactor,
    quiet: flags.quiet,
    verbose: flags.verbose,
  };
}
