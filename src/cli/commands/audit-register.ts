import type { Command } from "commander";
import type { AttestationId } from "../../audit/attest.ts";
import { loadConfigFor, openFirewallProvider } from "../context.ts";
import type { GlobalOptions, Io } from "../io.ts";
import { parseFormat, runAudit } from "./audit.ts";

type Act = (fn: (opts: GlobalOptions & Record<string, unknown>, args: string[]) => Promise<number>) => (...args: unknown[]) => Promise<void>;

/** `nodeward audit`, registered from main.ts in one call. */
export function registerAuditCommand(program: Command, ctx: { io: () => Io; act: Act }): void {
  program.command("audit").description("check every step of the hardening guide at once: pass / fail / attention / cannot check per node, with evidence and fix (exit 2 on a failure)")
    .option("--format <format>", "text, json, md or html (--json is --format json)")
    .option("--out <file>", "write the report to FILE instead of standard output")
    .option("--strict", "attention and cannot-check fail the audit too (exit 2)")
    .option("--attest-2fa", "record that every Vultr user has two-factor on (the API cannot show it)")
    .option("--attest-api-key", "record that the API key has only the firewall and server permissions and an IP allow list")
    .option("--conf <path>", "the node's smartcash.conf, for the host checks (RPC bound to localhost)")
    .option("--on-node", "run the host checks on this machine (the node itself, as root)")
    .option("--wallet <path>", "wallet.dat to check: encrypted, permissions, backups")
    .action(ctx.act(async (o) => {
      const io = ctx.io();
      const format = parseFormat(o.format === undefined ? undefined : String(o.format), o.json === true);
      const { config, file } = await loadConfigFor(io, o);
      const attest: AttestationId[] = [...(o.attest2fa === true ? ["vultr-2fa" as const] : []), ...(o.attestApiKey === true ? ["api-key-scope" as const] : [])];
      return runAudit({
        io, config, configFile: file, format, strict: o.strict === true, attest,
        provider: () => openFirewallProvider(config, io),
        ...(o.out === undefined ? {} : { out: String(o.out) }),
        ...(o.conf === undefined ? {} : { conf: String(o.conf) }),
        ...(o.onNode === true ? { onNode: true } : {}),
        ...(o.wallet === undefined ? {} : { wallet: String(o.wallet) }),
      });
    }));
}
