import { Command, CommanderError } from "commander";
import { systemClock } from "../core/clock.ts";
import { Redactor } from "../core/redact.ts";
import { wantsColor } from "../core/style.ts";
import { makeIo, type GlobalOptions, type Io } from "./io.ts";
import { EXIT, reportError } from "./exit.ts";
import { loadConfigFor, openFirewallProvider, planRequestFromConfig } from "./context.ts";
import { firewallApply, firewallDrift, firewallPlan } from "./commands/firewall.ts";
import { configCheck, initConfig } from "./commands/config.ts";
import { runSim } from "./commands/sim.ts";
import { runProbe } from "./commands/probe.ts";
import { runVerify } from "./commands/verify.ts";
import { runScan } from "./commands/scan.ts";
import { runAlertsTest, runWatchCommand } from "./commands/watch.ts";
import { runStoreInit } from "./commands/store-init.ts";
import { runStatus } from "./commands/status.ts";
import { run2faBackupCodes, run2faEnroll, runUserAdd, runUserList, runUserUnlock } from "./commands/user.ts";
import { AppError } from "../core/errors.ts";
import { runDemo } from "./demo/story.ts";
import { registerAuditCommand } from "./commands/audit-register.ts";
import { registerHostCommands } from "./commands/host-register.ts";
import { registerWalletCommands } from "./commands/wallet.ts";
import { registerStoreMigrate } from "./commands/store.ts";
import { registerImportCommand } from "./commands/import.ts";
import { registerNetviewCommand } from "./commands/netview.ts";
import { VERSION } from "./version.ts";

/** argv → command → exit code. The only place errors become exit codes. */
export async function run(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const redactor = new Redactor();
  let io: Io = ioFor({}, env, redactor);
  let code: number = EXIT.ok;
  const program = new Command("nodeward")
    .description("Hardens and guards masternode servers: firewall as code on Vultr, verified from outside.")
    .version(VERSION)
    .option("-c, --config <file>", "configuration file (default: $NODEWARD_CONFIG or ./nodeward.yaml)")
    .option("--json", "machine-readable output on stdout")
    .option("-q, --quiet", "only results and errors")
    .option("-v, --verbose", "more detail, including error causes")
    .option("--no-color", "no colour (NO_COLOR is honoured too)")
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (t) => io.out(t.trimEnd()), writeErr: (t) => io.err(t.trimEnd()) });
  program.hook("preAction", (_p, action) => {
    io = ioFor(action.optsWithGlobals<GlobalOptions>(), env, redactor);
  });
  const act = (fn: (opts: GlobalOptions & Record<string, unknown>, args: string[]) => Promise<number>) =>
    async (...args: unknown[]) => {
      const cmd = args[args.length - 1] as Command;
      code = await fn(cmd.optsWithGlobals(), cmd.args);
    };

  program.command("init").description("write a commented starter nodeward.yaml")
    .option("--force", "overwrite an existing file")
    .action(act((o) => initConfig(io, o.config, o.force === true)));

  program.command("config").description("configuration").command("check").description("validate nodeward.yaml: every problem at once, with its line")
    .action(act((o) => configCheck(io, o)));

  const fw = program.command("firewall").description("the cloud firewall group: plan, apply, drift");
  const firewallRun = async (o: GlobalOptions) => {
    const { config } = await loadConfigFor(io, o);
    const provider = await openFirewallProvider(config, io, systemClock);
    return { config, run: { io, provider, request: planRequestFromConfig(config), clock: systemClock, json: o.json === true } };
  };
  fw.command("plan").description("show what apply would change (exit 0 none, 2 changes)")
    .action(act(async (o) => firewallPlan((await firewallRun(o)).run)));
  fw.command("drift").description("name every difference from the policy, for CI and cron (exit 0 none, 2 drift)")
    .action(act(async (o) => firewallDrift((await firewallRun(o)).run)));
  fw.command("apply").description("apply the plan in the safe order, asking first")
    .option("-y, --yes", "do not ask for confirmation")
    .action(act(async (o) => {
      const { config, run } = await firewallRun(o);
      return firewallApply({ ...run, yes: o.yes === true, attachConcurrency: config.firewall.attachConcurrency, attachTimeoutMs: config.firewall.attachTimeoutSeconds * 1000 });
    }));

  program.command("verify").description("prove each node from outside: only the policy's ports answer, handshake and SAPI healthy (exit 2 on findings)")
    .argument("[node...]", "labels, instance ids, static host names or addresses (default: every selected node and static host)")
    .option("--ports <spec>", 'ports scanned besides the coin\'s: "top", "all", "coin" or "22,80,8000-8100" (default: verify.ports)')
    .action(act(async (o, args) => {
      const { config } = await loadConfigFor(io, o);
      const provider = await openFirewallProvider(config, io, systemClock);
      return runVerify({ io, config, provider, json: o.json === true, nodes: args, ...(o.ports === undefined ? {} : { ports: String(o.ports) }) });
    }));

  program.command("scan").description("TCP connect scan of one host: open, closed (RST) or filtered (no answer), like nmap -sT")
    .argument("<host>", "address or name")
    .option("--ports <spec>", '"top", "all", "coin", or e.g. "22,80,8000-8100"', "top")
    .option("--coin <id>", 'coin whose ports "coin" means', "smartcash")
    .option("--family <f>", "4, 6, both, or any (the first address a name resolves to)", "any")
    .option("--all", "list filtered ports too")
    .action(act((o, args) => {
      const family = String(o.family);
      if (!["4", "6", "both", "any"].includes(family)) throw new AppError("USAGE", `--family must be 4, 6, both or any, got ${family}`);
      return runScan(io, args[0] ?? "", { ports: String(o.ports), coin: String(o.coin), family: family as "4" | "6" | "both" | "any", json: o.json === true, all: o.all === true });
    }));

  program.command("probe").description("prove a node speaks its coin's protocol: P2P handshake, and SAPI status (exit 2 when down)")
    .argument("<host[:port]>", "address or name, optional P2P port (default: the coin's)")
    .option("--coin <id>", "coin profile", "smartcash")
    .option("--timeout <ms>", "deadline of each phase", "5000")
    .option("--no-sapi", "skip the SAPI status request")
    .option("--sapi-port <n>", "SAPI port (default: the coin's, 8080 for SmartCash)")
    .action(act((o, args) => runProbe(io, args[0] ?? "", {
      coin: String(o.coin), timeoutMs: Number(o.timeout), sapi: o.sapi !== false, json: o.json === true,
      ...(o.sapiPort === undefined ? {} : { sapiPort: Number(o.sapiPort) }),
    })));

  registerNetviewCommand(program, { io: () => io, act });

  program.command("watch").description("the daemon: probe every node, alert long before the 65-minute expiry, reboot if allowed, serve /metrics")
    .option("--vantage <name>", "this watcher's name in a fleet sharing one PostgreSQL store (default: watch.vantage.name, else the host name)")
    .action(act((o) => runWatchCommand(io, o, typeof o["vantage"] === "string" ? o["vantage"] : undefined)));

  program.command("status").description("what the watch daemon knows: each node's health and, when down, the minutes left before EXPIRED (exit 2 when down)")
    .action(act((o) => runStatus(io, o)));

  const store = program.command("store").description("the watch history's store (a fleet's PostgreSQL, docs/fleet.md)");
  store.command("init").description("create or upgrade the schema of the PostgreSQL store (run it as the database's owner role)")
    .option("--url <url>", "postgres://USER@HOST:PORT/DATABASE (default: store.url of the config); no password in it")
    .option("--password-env <name>", "environment variable holding the password (with --url)")
    .option("--password-file <path>", "file holding the password (with --url)")
    .action(act((o) => runStoreInit(io, o, { url: o["url"] as string | undefined, passwordEnv: o["passwordEnv"] as string | undefined, passwordFile: o["passwordFile"] as string | undefined })));
  registerStoreMigrate(store, { io: () => io, act });

  program.command("alerts").description("alert channels").command("test").description("send a test alert to every channel (or the named one)")
    .argument("[channel]", "a channel name from alerts.channels")
    .action(act((o, args) => runAlertsTest(io, o, args[0])));

  program.command("sim").description("serve the Vultr API simulator on loopback (no account needed)")
    .option("--port <n>", "port (default: a free one)", "0")
    .option("--instances <n>", "instances to seed", "12")
    .option("--seed <n>", "seed for the fleet", "1")
    .option("--attach-delay <ms>", "delay before a PATCHed firewall group becomes visible", "1500")
    .option("--rate-limit <n>", "requests per second before 429 (0 = off)", "30")
    .option("--latency <ms>", "added to every answer", "0")
    .option("--error-rate <p>", "probability of a 500 answer", "0")
    .option("--drop-rate <p>", "probability of a dropped connection", "0")
    .action(act((o) => runSim(io, {
      port: Number(o.port), instances: Number(o.instances), seed: Number(o.seed), attachDelayMs: Number(o.attachDelay),
      rateLimit: Number(o.rateLimit), latencyMs: Number(o.latency), errorRate: Number(o.errorRate), dropRate: Number(o.dropRate),
    })));

  registerAuditCommand(program, { io: () => io, act });
  registerImportCommand(program, { io: () => io, act });

  const user = program.command("user").description("dashboard users (stored in the watch database)");
  user.command("add").description("add a dashboard user; the password is prompted twice, never taken from argv")
    .argument("<name>", "user name: a-z, 0-9, . _ -")
    .action(act((o, args) => runUserAdd({ io, opts: o }, args[0] ?? "")));
  user.command("list").description("users, whether 2FA is enrolled, backup codes left, lockouts")
    .action(act((o) => runUserList({ io, opts: o })));
  user.command("unlock").description("lift a lockout after too many failed sign-ins")
    .argument("<name>", "user name")
    .action(act((o, args) => runUserUnlock({ io, opts: o }, args[0] ?? "")));
  const twofa = program.command("2fa").description("two-factor sign-in (TOTP, Google Authenticator) for dashboard users");
  twofa.command("enroll").description("new authenticator secret: QR code in the terminal, active after one valid code; prints 10 backup codes")
    .argument("<name>", "user name")
    .action(act((o, args) => run2faEnroll({ io, opts: o }, args[0] ?? "")));
  twofa.command("backup-codes").description("10 new single-use backup codes; the old ones stop working")
    .argument("<name>", "user name")
    .action(act((o, args) => run2faBackupCodes({ io, opts: o }, args[0] ?? "")));

  program.command("demo").description("the whole story on the embedded simulator: exposure, audit, plan, apply, verify, drift, watch, audit again")
    .action(act(() => runDemo(io)));

  registerHostCommands(program, { io: () => io, act });
  registerWalletCommands(program, { io: () => io, act });

  try {
    await program.parseAsync([...argv], { from: "user" });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.exitCode === 0 ? EXIT.ok : EXIT.error;
    }
    return reportError(e, io);
  }
}

function ioFor(o: GlobalOptions, env: NodeJS.ProcessEnv, redactor: Redactor): Io {
  const color = (stream: { isTTY?: boolean }) => o.color !== false && wantsColor(stream, env);
  return makeIo(
    { stdout: process.stdout, stderr: process.stderr, stdinIsTTY: process.stdin.isTTY === true },
    env,
    redactor,
    { out: color(process.stdout), err: color(process.stderr) },
    { quiet: o.quiet === true, verbose: o.verbose === true },
  );
}
