import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AttestationId } from "../../audit/attest.ts";
import { systemClock } from "../../core/clock.ts";
import { AppError } from "../../core/errors.ts";
import { parseConfigText } from "../../config/load.ts";
import { readExposure } from "../../firewall/exposure.ts";
import { preparePlan } from "../../firewall/prepare.ts";
import { isAnywhere, ruleKey } from "../../firewall/rule.ts";
import { createVultrProvider } from "../../providers/vultr/adapter.ts";
import { startSim } from "../../sim/server.ts";
import { netnsAvailable } from "../../sim/world/netns.ts";
import { startWorld, type World } from "../../sim/world/world.ts";
import { findCoin } from "../../coins/index.ts";
import { runVerify } from "../commands/verify.ts";
import { watchChapter } from "./watch-chapter.ts";
import { auditChapter } from "./audit-chapter.ts";
import { seedDemoFleet } from "./fleet.ts";
import { demoCollateral, demoSmartnodes } from "./collateral.ts";
import type { Io } from "../io.ts";
import { planRequestFromConfig } from "../context.ts";
import { firewallApply, firewallDrift, firewallPlan, type FirewallRun } from "../commands/firewall.ts";
import { EXIT, type ExitCode } from "../exit.ts";

const demoConfig = (baseUrl: string, dir: string, smartnodes: string) => `# the demo's nodeward.yaml — the same file an operator writes
version: 1
provider:
  type: vultr
  baseUrl: ${baseUrl}
coin: smartcash
nodes:
  tags: [smartnode]
firewall:
  description: SmartNodes Only
watch:
  database: ${join(dir, "nodeward.db")}
smartnodes:
${smartnodes}
audit:
  stateDir: ${join(dir, "state")}
`;

/** `npm run demo`: the firewall story on the embedded simulator, in plain words. No account, no network. */
export async function runDemo(io: Io): Promise<ExitCode> {
  const s = io.style;
  const say = (title: string) => io.out(`\n${s.bold(s.cyan(`━━ ${title}`))}\n`);
  const sim = await startSim({ attachDelayMs: 600, faults: { latencyMs: 5 } });
  const dir = mkdtempSync(join(tmpdir(), "nodeward-demo-"));
  let world: World | undefined;
  try {
    const fleet = seedDemoFleet(sim.state);
    const can = await netnsAvailable();
    world = can.ok ? await startWorld({ state: sim.state, coin: findCoin("smartcash")!, height: 2_712_345, collateralOf: demoCollateral }) : undefined;
    io.redactor.add(sim.apiKey);
    const { config } = parseConfigText(demoConfig(sim.url, dir, demoSmartnodes(sim.state)), "demo nodeward.yaml");
    const provider = createVultrProvider({ baseUrl: sim.url, apiKey: sim.apiKey, maxRequestsPerSecond: config.provider.maxRequestsPerSecond, timeoutMs: 10_000, clock: systemClock, redactor: io.redactor });
    const run: FirewallRun = { io, provider, request: planRequestFromConfig(config), clock: systemClock, json: false };
    const expect = (got: ExitCode, want: ExitCode, step: string) => {
      if (got !== want) throw new AppError("INTERNAL", `demo step "${step}" exited ${got}, expected ${want}`);
    };

    say("1. A Vultr account as many operators have it (simulated on loopback)");
    io.out(`${fleet.nodes} SmartNodes tagged "smartnode" (${fleet.ipv6} with IPv6), plus ${fleet.others} other servers nodeward must not touch.`);
    const { actual, selected, policy } = await preparePlan(provider, run.request);
    const required = policy.rules.filter((d) => d.role === "required" && d.rule.ipType === "v4");
    const exposure = await readExposure(provider, selected, actual.groups);
    for (const e of exposure.sort((a, b) => a.instance.label.localeCompare(b.instance.label))) {
      const who = `${e.instance.label.padEnd(11)} ${e.instance.mainIp.padEnd(12)} ${e.instance.v6MainIp === "" ? "" : "+IPv6 "}`;
      if (e.kind === "unprotected") {
        io.out(`  ${s.red("✗")} ${who}no firewall group: every port reaches the server`);
      } else {
        const world = e.rules.filter(isAnywhere).map((r) => `${r.protocol} ${r.port}`);
        const have = new Set(e.rules.map(ruleKey));
        const lacking = required.filter((d) => !have.has(ruleKey(d.rule))).map((d) => `${d.rule.port} (${d.purpose})`);
        io.out(`  ${s.yellow("!")} ${who}group "${e.description}": open to the world ${world.join(", ")}${lacking.length > 0 ? `; ${s.red(`closed: ${lacking.join(", ")} — the node will expire`)}` : ""}`);
      }
    }

    const verify = async (step: string, want: ExitCode) => {
      if (world === undefined) {
        io.out(s.yellow(`(skipped: proving it from outside needs a network namespace — ${can.ok ? "" : can.reason})`));
        return;
      }
      await world.synced();
      expect(await runVerify({ io, config, provider, json: false, nodes: [] }), want, step);
    };

    say("2. nodeward verify — the same fleet seen from the Internet: port scan, SmartCash handshake, SAPI");
    io.out(s.dim("Each simulated node is a real host in a network namespace; a real nftables ruleset there follows the simulator's firewall state.\n"));
    await verify("verify before", EXIT.changes);

    const audit = (step: string, want: ExitCode, opts: { summaryOnly: boolean; attest: AttestationId[] }) =>
      auditChapter({ io, config, provider, step, want, expect, ...opts, ...(world === undefined ? { skipOutside: can.ok ? "" : can.reason } : {}) });

    say("3. nodeward audit — every step of the hardening guide at once, before hardening");
    await audit("audit before", EXIT.changes, { summaryOnly: true, attest: [] });

    say("4. nodeward firewall plan — what the hardening guide asks for, computed");
    io.out(s.dim("Policy: coin smartcash → TCP 9678 (P2P) and TCP 8080 (SAPI: since SmartCash 2.0 peers drop a node's ping unless 8080 answers); no SSH (console only); IPv6 rules because some nodes have IPv6.\n"));
    expect(await firewallPlan(run), EXIT.changes, "plan");

    say("5. nodeward firewall apply --yes — group, rules, read-back, attach, wait until visible, stray rules last");
    const before = sim.stats().writes;
    expect(await firewallApply({ ...run, yes: true, attachConcurrency: config.firewall.attachConcurrency, attachTimeoutMs: 60_000, pollIntervalMs: 300 }), EXIT.ok, "apply");
    io.out(s.dim(`(${sim.stats().writes - before} write calls to the API)`));

    say("6. nodeward verify — proof from outside: only 9678 and 8080 answer, everything else is filtered");
    await verify("verify after", EXIT.ok);

    say("7. Run it again: nothing to do, zero write calls");
    const writes = sim.stats().writes;
    expect(await firewallPlan(run), EXIT.ok, "second plan");
    io.out(`Write calls made by the second run: ${sim.stats().writes - writes}`);

    say('8. Someone opens SSH to the world "in the Vultr web UI"');
    const group = sim.state.groups().find((g) => g.description === config.firewall.description);
    if (group === undefined) throw new AppError("INTERNAL", "demo: the group apply created is missing");
    sim.state.addRule(group.id, { ip_type: "v4", protocol: "tcp", port: "22", subnet: "0.0.0.0", subnet_size: 0, notes: "quick fix, remove later" });
    io.out("Added: tcp 22 from 0.0.0.0/0 on the group, outside nodeward.");

    say("9. nodeward firewall drift — what CI or cron runs every hour (exit 2 = drift)");
    expect(await firewallDrift(run), EXIT.changes, "drift");

    say("10. nodeward firewall apply --yes — back to the policy");
    expect(await firewallApply({ ...run, yes: true, attachConcurrency: 8, attachTimeoutMs: 60_000, pollIntervalMs: 300 }), EXIT.ok, "re-apply");

    say("11. nodeward watch — every node kept inside SmartCash's 65-minute window");
    if (world === undefined) io.out(s.yellow(`(skipped: the watched nodes live in a network namespace — ${can.ok ? "" : can.reason})`));
    else await watchChapter(io, sim, world, provider, join(dir, "nodeward.db"));

    say("12. nodeward audit --attest-2fa --attest-api-key — the whole guide again, after hardening");
    io.out(s.dim("The operator attests what the Vultr API cannot show (2FA on the account, the API key's scope); host, wallet and dashboard checks run on the node with --on-node, --conf, --wallet.\n"));
    await audit("audit after", EXIT.ok, { summaryOnly: false, attest: ["vultr-2fa", "api-key-scope"] });

    io.out(`\n${s.green("Demo complete.")} Try it on your own account: \`nodeward init\`, set VULTR_API_KEY, then \`nodeward audit\` and \`nodeward firewall plan\`.`);
    return EXIT.ok;
  } finally {
    await world?.close();
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
