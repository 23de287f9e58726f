import type { Command } from "commander";
import type { Config } from "../../config/schema.ts";
import { AppError } from "../../core/errors.ts";
import { loadConfigFor } from "../context.ts";
import type { GlobalOptions, Io } from "../io.ts";
import { cloudInitCommand, expandHome, hostApply, hostAuditConf, hostConfirm, hostPlan, hostRollback, hostStatusCommand } from "./host.ts";

/** `nodeward host …` and `nodeward cloud-init`, registered from main.ts in one call. */

type Act = (fn: (opts: GlobalOptions & Record<string, unknown>, args: string[]) => Promise<number>) => (...args: unknown[]) => Promise<void>;

export function registerHostCommands(program: Command, ctx: { io: () => Io; act: Act }): void {
  const { act } = ctx;
  const load = async (o: GlobalOptions) => {
    const io = ctx.io();
    const { config } = await loadConfigFor(io, o);
    return { io, config, json: o.json === true };
  };
  const host = program.command("host").description("on the node itself, as root: nftables lock-down with automatic rollback, sshd, daemon config audit");
  host.command("plan").description("print the host ruleset and its diff against what is loaded (exit 0 none, 2 changes)")
    .action(act(async (o) => hostPlan(await load(o))));
  host.command("apply").description("load the ruleset atomically and start the rollback timer; `host confirm` keeps it")
    .option("--ssh <mode>", "off, admin-only or unchanged (default: lockdown.ssh)")
    .option("--rollback-seconds <n>", "seconds until the previous ruleset comes back unless confirmed (default: lockdown.rollbackSeconds)")
    .option("--force", "apply even when the lock-out guard says you would be shut out")
    .action(act(async (o) => hostApply(await load(o), { ...(o.ssh === undefined ? {} : { ssh: String(o.ssh) }), ...(o.rollbackSeconds === undefined ? {} : { rollbackSeconds: String(o.rollbackSeconds) }), force: o.force === true })));
  host.command("confirm").description("keep what `host apply` loaded: cancel the rollback, then persist it for reboots")
    .action(act(async (o) => hostConfirm(await load(o))));
  host.command("rollback").description("restore the ruleset (and SSH setting) from before the pending apply, now")
    .option("--state-dir <dir>", "state directory (default: lockdown.stateDir)")
    .option("--at <ms>", "wait until this time (ms since 1970) first — used by the rollback timer")
    .option("--if-unconfirmed <token>", "only if this apply is still pending — used by the rollback timer")
    .action(act(async (o) => {
      const stateDir = o.stateDir === undefined ? (await load(o)).config.lockdown.stateDir : String(o.stateDir);
      return hostRollback(ctx.io(), {
        stateDir: expandHome(stateDir), json: o.json === true,
        ...(o.at === undefined ? {} : { at: String(o.at) }), ...(o.ifUnconfirmed === undefined ? {} : { ifUnconfirmed: String(o.ifUnconfirmed) }),
      });
    }));
  host.command("audit-conf").description("check the coin daemon's config (smartcash.conf): RPC binding, SAPI, SmartNode keys (exit 2 on findings)")
    .argument("[path]", "the config file (default: lockdown.daemonConf)")
    .action(act(async (o, args) => {
      const io = ctx.io();
      let config: Config | null = null;
      try {
        config = (await loadConfigFor(io, o)).config;
      } catch (e) {
        if (!(e instanceof AppError && e.code === "CONFIG_NOT_FOUND" && args[0] !== undefined)) throw e;
      }
      return hostAuditConf(io, config, args[0], o.json === true);
    }));
  host.command("status").description("read-only: is the ruleset loaded and current, SSH state, daemon config findings (exit 2 when not all fine)")
    .action(act(async (o) => hostStatusCommand(await load(o))));
  program.command("cloud-init").description("print #cloud-config user-data that starts a new instance with the host ruleset and SSH setting")
    .option("--ssh <mode>", "off, admin-only or unchanged (default: lockdown.ssh)")
    .action(act(async (o) => cloudInitCommand(await load(o), o.ssh === undefined ? undefined : String(o.ssh))));
}
