import { AppError } from "../core/errors.ts";
import type { CommandRunner } from "./runner.ts";
import { TABLE_REF } from "./ruleset.ts";

/** nftables through the runner: read nodeward's table, check and load files. */

export type LoadedTable = { exists: false } | { exists: true; listing: string };

export async function readTable(runner: CommandRunner): Promise<LoadedTable> {
  const r = await runner.run("nft", ["list", "table", ...TABLE_REF.split(" ")]);
  if (r.code === 0) return { exists: true, listing: r.stdout.endsWith("\n") ? r.stdout : `${r.stdout}\n` };
  if (/No such file or directory/i.test(r.stderr)) return { exists: false };
  throw nftError(runner, ["list", "table", TABLE_REF], r.stderr);
}

/** `nft -c -f -`: parses and checks against the kernel without changing anything. null when fine, else nft's message. */
export async function checkRuleset(runner: CommandRunner, text: string): Promise<string | null> {
  const r = await runner.run("nft", ["-c", "-f", "-"], { input: text });
  if (r.code === null) throw nftError(runner, ["-c", "-f", "-"], r.stderr);
  return r.code === 0 ? null : (r.stderr.trim() || `nft exited ${String(r.code)}`);
}

/** `nft -f FILE`: one transaction; when it fails nothing changed. null when loaded, else nft's message. */
export async function loadRulesetFile(runner: CommandRunner, file: string): Promise<string | null> {
  const r = await runner.run("nft", ["-f", file]);
  return r.code === 0 ? null : (r.stderr.trim() || `nft exited ${String(r.code)}`);
}

export function nftError(runner: CommandRunner, args: readonly string[], stderr: string): AppError {
  return new AppError("HOST_COMMAND_FAILED", `\`${runner.describe("nft", args)}\` failed: ${stderr.trim() || "no message"}`, {
    hint: "host commands run on the node itself, as root, with nftables installed (apt-get install nftables)",
  });
}
