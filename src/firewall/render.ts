import { oneLine } from "../core/safe-text.ts";
import type { Style } from "../core/style.ts";
import type { Change, Finding, Plan, PlanNote } from "./plan.ts";
import { countChanges } from "./plan.ts";
import { describeRule } from "./rule.ts";

/**
 * Plans and findings as text (Terraform-like) and as stable JSON. Pure. Descriptions, labels,
 * group ids and purposes come from the provider or the config: in text each passes through
 * `oneLine`, so a label can neither add nor erase a line of the plan an operator confirms.
 */

export function renderPlan(plan: Plan, s: Style): string {
  const head = plan.groupId === null
    ? `Firewall group "${oneLine(plan.description)}" (to be created), ${plan.selected} selected instance${plan.selected === 1 ? "" : "s"}`
    : `Firewall group "${oneLine(plan.description)}" (${oneLine(plan.groupId)}), ${plan.selected} selected instance${plan.selected === 1 ? "" : "s"}`;
  if (plan.changes.length === 0) return `${head}\n\n${s.green("No changes.")} The firewall matches the policy.\n`;
  const lines = plan.changes.map((c) => renderChange(c, s));
  const notes = plan.notes.map((n) => `${s.yellow("Note:")} ${describeNote(n)}\n`).join("");
  return `${head}\n\nnodeward will:\n\n${lines.join("\n")}\n\n${s.bold(planSummary(plan))}\n${notes}`;
}

function renderChange(c: Change, s: Style): string {
  switch (c.kind) {
    case "create-group":
      return `  ${s.green("+")} create group "${oneLine(c.description)}"`;
    case "create-rule":
      return `  ${s.green("+")} add rule    ${pad(oneLine(describeRule(c.rule)), 40)} ${s.dim(oneLine(c.purpose))}`;
    case "attach": {
      const from = c.fromGroupId === "" ? "no firewall group" : `group "${oneLine(c.fromDescription || c.fromGroupId)}"`;
      return `  ${s.yellow("~")} attach      ${pad(oneLine(c.label || c.instanceId), 40)} ${s.dim(`now on ${from}`)}`;
    }
    case "delete-rule":
      return `  ${s.red("-")} remove rule ${pad(oneLine(describeRule(c.rule)), 40)} ${s.dim(c.why === "duplicate" ? "duplicate" : "not in the policy (added outside nodeward)")}`;
  }
}

export function planSummary(plan: Plan): string {
  const n = countChanges(plan);
  const parts: string[] = [];
  if (n["create-group"] > 0) parts.push("1 group to create");
  parts.push(`${n["create-rule"]} rule${n["create-rule"] === 1 ? "" : "s"} to add`);
  parts.push(`${n.attach} instance${n.attach === 1 ? "" : "s"} to attach`);
  parts.push(`${n["delete-rule"]} rule${n["delete-rule"] === 1 ? "" : "s"} to remove`);
  return `Plan: ${parts.join(", ")}.`;
}

export function describeNote(n: PlanNote): string {
  switch (n.kind) {
    case "ssh-closed":
      return `after apply, SSH (tcp 22) no longer reaches the ${n.instances} instance${n.instances === 1 ? "" : "s"} being attached: log in through Vultr's web console, as the guide says, or add firewall.adminAccess for your own address first.`;
  }
}

export function describeFinding(f: Finding): string {
  switch (f.kind) {
    case "group-missing":
      return `firewall group "${f.description}" does not exist`;
    case "rule-missing":
      return `rule missing: ${describeRule(f.rule)} (${f.purpose})`;
    case "ipv6-uncovered":
      return `IPv6 instance ${f.label} has no v6 rule for ${f.missing.map((r) => `${r.protocol} ${r.port}`).join(", ")}`;
    case "rule-extra":
      return `rule added outside nodeward: ${describeRule(f.rule)}${f.toWorld ? " — open to the whole Internet" : ""}`;
    case "rule-duplicate":
      return `duplicate rule: ${describeRule(f.rule)}`;
    case "instance-unattached":
      return `instance ${f.label} is attached to no firewall group`;
    case "instance-other-group":
      return `instance ${f.label} is attached to another group "${f.description || f.groupId}"`;
  }
}

export function renderFindings(plan: Plan, s: Style): string {
  if (plan.findings.length === 0) return `${s.green("No drift.")} Firewall group "${oneLine(plan.description)}" matches the policy on ${plan.selected} instance${plan.selected === 1 ? "" : "s"}.\n`;
  const lines = plan.findings.map((f) => `  ${s.red("✗")} ${s.dim(pad(f.kind, 21))} ${oneLine(describeFinding(f))}`);
  return `${s.bold(`Drift: ${plan.findings.length} finding${plan.findings.length === 1 ? "" : "s"}`)} on firewall group "${oneLine(plan.description)}"\n\n${lines.join("\n")}\n\nRun \`nodeward firewall apply\` to fix.\n`;
}

/** The documented, stable JSON shape of a plan (docs/firewall.md). */
export function planToJson(plan: Plan): object {
  return {
    description: plan.description,
    groupId: plan.groupId,
    selected: plan.selected,
    changes: plan.changes,
    findings: plan.findings.map((f) => ({ ...f, message: describeFinding(f) })),
    notes: plan.notes.map((n) => ({ ...n, message: describeNote(n) })),
    summary: countChanges(plan),
  };
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + " ".repeat(n - s.length);
}
