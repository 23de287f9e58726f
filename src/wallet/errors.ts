import { AppError, type AppErrorOptions } from "../core/errors.ts";

/** A wallet or backup problem the operator can act on: one line, with a hint. Never holds a secret. */
export class WalletError extends AppError {
  constructor(message: string, options: AppErrorOptions = {}) {
    super("WALLET", message, options);
    this.name = "WalletError";
  }
}
