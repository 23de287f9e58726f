import { z } from "zod";

/** The `audit:` section of nodeward.yaml (added to configSchema in config/schema.ts). */
export const auditConfigSchema = z
  .strictObject({
    stateDir: z
      .string()
      .trim()
      .min(1)
      .optional()
      .describe("Directory where the audit keeps the operator's attestations (attestations.json; ~ expands). Default: $XDG_STATE_HOME/nodeward, else ~/.local/state/nodeward."),
    attestationMaxAgeDays: z
      .number()
      .int()
      .min(1)
      .max(3650)
      .default(90)
      .describe("Days an attestation (2FA on the Vultr account, the API key's scope) counts before the audit asks again or reminds."),
  })
  .describe("`nodeward audit`: the checklist over every step of the hardening guide (docs/audit.md).");
