import { createInterface } from "node:readline/promises";
import { AppError } from "../core/errors.ts";
import type { Io } from "./io.ts";

/** Asks "yes" on a terminal; elsewhere only --yes may approve a change. */
export async function confirm(io: Io, question: string, yes: boolean): Promise<boolean> {
  if (yes) return true;
  if (!io.stdinIsTTY) {
    throw new AppError("USAGE", "refusing to change the firewall without confirmation: standard input is not a terminal", {
      hint: "review `nodeward firewall plan`, then run `nodeward firewall apply --yes`",
    });
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${question} Only "yes" is accepted: `);
    return answer.trim().toLowerCase() === "yes";
  } finally {
    rl.close();
  }
}
