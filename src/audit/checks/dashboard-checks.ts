import type { AuditContext } from "../context.ts";
import type { AuditCheck, CheckOutcome } from "../model.ts";
import type { DashboardUser } from "../ports.ts";
import { fromProvided } from "./provided.ts";

const NOT_GIVEN = "run the audit where the dashboard's database is (the watch daemon's host), with the same config";

function dashboardCheck(id: string, title: string, passes: string, judge: (u: DashboardUser) => CheckOutcome): AuditCheck<AuditContext> {
  return {
    id,
    step: "dashboard",
    title,
    passes,
    run: (ctx) =>
      fromProvided(ctx.dashboard, NOT_GIVEN, async (probe) => {
        const users = await probe.list(ctx.signal);
        if (users.length === 0) return [{ status: "pass", evidence: `no dashboard user in ${probe.source}: nobody can log in` }];
        return users.map((u) => ({ node: u.name, ...judge(u) }));
      }),
  };
}

export const dashboard2fa = dashboardCheck("dashboard.2fa", "Two-factor for every dashboard user", "Every user of nodeward's dashboard has TOTP enrolled.", (u) =>
  u.totpEnrolled
    ? { status: "pass", evidence: "TOTP enrolled" }
    : { status: "fail", evidence: "no TOTP enrolled: a password alone opens the dashboard", fix: `run \`nodeward 2fa enroll ${u.name}\`` },
);

export const dashboardBackupCodes = dashboardCheck("dashboard.backup-codes", "Backup codes left", "Every dashboard user still has unused single-use backup codes.", (u) => {
  if (u.backupCodesRemaining === 0) return { status: "fail", evidence: "no backup code left: losing the phone locks this user out", fix: `run \`nodeward 2fa backup-codes ${u.name}\` and keep them offline` };
  if (u.backupCodesRemaining <= 2) return { status: "attention", evidence: `${u.backupCodesRemaining} backup codes left`, fix: `run \`nodeward 2fa backup-codes ${u.name}\` for a fresh set` };
  return { status: "pass", evidence: `${u.backupCodesRemaining} backup codes left` };
});
