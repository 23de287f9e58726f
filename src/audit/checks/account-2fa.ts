import type { AuditContext } from "../context.ts";
import type { AuditCheck } from "../model.ts";
import { attestedOutcome } from "./attested.ts";

export const account2fa: AuditCheck<AuditContext> = {
  id: "account.2fa",
  step: "account",
  title: "Two-factor on the Vultr account",
  passes: "The operator has attested, within audit.attestationMaxAgeDays, that every user of the Vultr account logs in with two-factor. The API cannot show it, so the audit asks once and records the answer with its date.",
  run: async (ctx) => [attestedOutcome("vultr-2fa", ctx.attestation("vultr-2fa"), "the Vultr API does not expose two-factor status")],
};
