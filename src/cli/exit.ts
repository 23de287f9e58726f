import { AppError, ConfigError } from "../core/errors.ts";
import type { Io } from "./io.ts";
import { formatIssues } from "../config/format.ts";

/** The exit codes of every command (PRODUCT.md): the only place errors become numbers. */
export const EXIT = { ok: 0, error: 1, changes: 2, config: 3 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Prints an error for a person (never a stack trace unless --verbose) and returns its exit code. */
export function reportError(e: unknown, io: Io): ExitCode {
  const s = io.errStyle;
  if (e instanceof ConfigError) {
    io.err(`${s.red("nodeward: invalid configuration")}${e.file ? ` (${e.file})` : ""}\n${formatIssues(e)}`);
    return EXIT.config;
  }
  if (e instanceof AppError) {
    io.err(`${s.red("nodeward: error:")} ${e.message}`);
    if (e.hint) io.err(`  ${s.dim("→")} ${e.hint}`);
    if (io.verbose) printCauses(e.cause, io);
    return e.code === "CONFIG_NOT_FOUND" ? EXIT.config : EXIT.error;
  }
  const message = e instanceof Error ? e.message : String(e);
  io.err(`${s.red("nodeward: internal error:")} ${message}`);
  io.err(`  ${s.dim("→")} this is a bug in nodeward; run again with --verbose and report what it prints`);
  if (io.verbose && e instanceof Error && e.stack) io.err(e.stack);
  return EXIT.error;
}

function printCauses(cause: unknown, io: Io): void {
  for (let c = cause, depth = 0; c !== undefined && depth < 5; depth++) {
    io.err(`  caused by: ${c instanceof Error ? `${c.name}: ${c.message}` : String(c)}`);
    c = c instanceof Error ? c.cause : undefined;
  }
}
