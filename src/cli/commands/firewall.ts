import type { Clock } from "../../core/clock.ts";
import { applyPlan } from "../../firewall/apply.ts";
import { preparePlan, type PlanRequest } from "../../firewall/prepare.ts";
import type { FirewallProvider } from "../../firewall/provider.ts";
import { planToJson, renderFindings, renderPlan } from "../../firewall/render.ts";
import type { Io } from "../io.ts";
import { confirm } from "../confirm.ts";
import { EXIT, type ExitCode } from "../exit.ts";
import { applyProgress } from "../progress.ts";

export interface FirewallRun {
  io: Io;
  provider: FirewallProvider;
  request: PlanRequest;
  clock: Clock;
  json: boolean;
  signal?: AbortSignal;
}

/** `firewall plan`: exit 0 when nothing to do, 2 when there are changes. */
export async function firewallPlan(run: FirewallRun): Promise<ExitCode> {
  const { plan } = await preparePlan(run.provider, run.request, run.signal);
  if (run.json) run.io.json(planToJson(plan));
  else run.io.out(renderPlan(plan, run.io.style));
  return plan.changes.length === 0 ? EXIT.ok : EXIT.changes;
}

/** `firewall drift`: the plan's differences, named; exit 2 when any. */
export async function firewallDrift(run: FirewallRun): Promise<ExitCode> {
  const { plan } = await preparePlan(run.provider, run.request, run.signal);
  if (run.json) run.io.json(planToJson(plan));
  else run.io.out(renderFindings(plan, run.io.style));
  return plan.findings.length === 0 ? EXIT.ok : EXIT.changes;
}

export interface ApplyRun extends FirewallRun {
  yes: boolean;
  attachConcurrency: number;
  attachTimeoutMs: number;
  pollIntervalMs?: number;
}

/** `firewall apply`: plan, confirm, execute in the safe order, then re-read to prove convergence. */
export async function firewallApply(run: ApplyRun): Promise<ExitCode> {
  const { io } = run;
  const prepared = await preparePlan(run.provider, run.request, run.signal);
  if (prepared.plan.changes.length === 0) {
    if (run.json) io.json({ plan: planToJson(prepared.plan), applied: null, converged: true });
    else io.out(renderPlan(prepared.plan, io.style));
    return EXIT.ok;
  }
  if (!run.json) io.out(renderPlan(prepared.plan, io.style));
  if (!(await confirm(io, "Apply these changes?", run.yes))) {
    io.err("Nothing changed.");
    return EXIT.error;
  }
  const progress = applyProgress(io);
  let result;
  try {
    result = await applyPlan(prepared, {
      provider: run.provider,
      clock: run.clock,
      signal: run.signal,
      onEvent: progress.onEvent,
      attachConcurrency: run.attachConcurrency,
      attachTimeoutMs: run.attachTimeoutMs,
      pollIntervalMs: run.pollIntervalMs,
    });
  } finally {
    progress.done();
  }
  const after = await preparePlan(run.provider, run.request, run.signal);
  const converged = after.plan.changes.length === 0;
  if (run.json) {
    io.json({ plan: planToJson(prepared.plan), applied: result, converged });
  } else if (converged) {
    io.out(io.style.green(`Applied: ${count(result.rulesCreated, "rule")} added, ${count(result.attached, "instance")} attached, ${count(result.rulesDeleted, "rule")} removed. Re-read: the firewall matches the policy.`));
  } else {
    io.out(io.style.yellow(`Applied, but a re-read still shows ${after.plan.changes.length} change(s) — someone may be editing the group. Run \`nodeward firewall plan\`.`));
  }
  return converged ? EXIT.ok : EXIT.changes;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
