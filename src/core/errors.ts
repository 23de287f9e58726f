/**
 * The one error model. Expected outcomes are values (see each capability's result types);
 * these are thrown only when the program or its environment fails. Only `cli/` turns them
 * into exit codes. Messages say what was expected, what came, and what to do — and never
 * carry a secret (see core/redact.ts).
 */

export type ErrorCode =
  | "CONFIG_INVALID"
  | "CONFIG_NOT_FOUND"
  | "SECRET_MISSING"
  | "PROVIDER_AUTH"
  | "PROVIDER_HTTP"
  | "PROVIDER_UNREACHABLE"
  | "PROVIDER_BAD_RESPONSE"
  | "PROVIDER_TIMEOUT"
  | "SELECTION_EMPTY"
  | "GROUP_AMBIGUOUS"
  | "APPLY_UNSAFE"
  | "APPLY_FAILED"
  | "ABORTED"
  | "USAGE"
  /** A file nodeward reads or writes at an operator's request could not be (not the config: CONFIG_*). */
  | "IO"
  | "STORE"
  | "HOST_COMMAND_FAILED"
  | "ALERT_CHANNEL_INVALID"
  | "WALLET"
  | "AUTH"
  | "INTERNAL";

export interface AppErrorOptions {
  cause?: unknown;
  /** One line telling the operator what to do next. */
  hint?: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.hint = options.hint;
  }
}

/** One problem found in the configuration, located by its dotted path and, when known, its line. */
export interface ConfigIssue {
  path: string;
  message: string;
  line?: number;
  column?: number;
}

export class ConfigError extends AppError {
  readonly issues: readonly ConfigIssue[];
  readonly file: string | undefined;

  constructor(issues: readonly ConfigIssue[], file?: string, options: AppErrorOptions = {}) {
    const where = file ? ` in ${file}` : "";
    super("CONFIG_INVALID", `${issues.length} problem${issues.length === 1 ? "" : "s"}${where}`, options);
    this.name = "ConfigError";
    this.issues = issues;
    this.file = file;
  }
}

/** An HTTP answer from a provider that was not a success. `path` never holds credentials. */
export class ProviderHttpError extends AppError {
  readonly provider: string;
  readonly status: number;
  readonly method: string;
  readonly path: string;

  constructor(
    fields: { provider: string; status: number; method: string; path: string; message: string; code?: ErrorCode },
    options: AppErrorOptions = {},
  ) {
    super(fields.code ?? "PROVIDER_HTTP", fields.message, options);
    this.name = "ProviderHttpError";
    this.provider = fields.provider;
    this.status = fields.status;
    this.method = fields.method;
    this.path = fields.path;
  }
}

/** "Should never happen": a bug in nodeward, not in the operator's setup. */
export class InternalError extends AppError {
  constructor(message: string, options: AppErrorOptions = {}) {
    super("INTERNAL", message, options);
    this.name = "InternalError";
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
