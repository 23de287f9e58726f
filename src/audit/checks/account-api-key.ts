import type { AuditContext } from "../context.ts";
import type { AuditCheck } from "../model.ts";
import { attestedOutcome } from "./attested.ts";

export const accountApiKey: AuditCheck<AuditContext> = {
  id: "account.api-key",
  step: "account",
  title: "API key limited to firewall and servers, with an IP allow list",
  passes: "The operator has attested that nodeward's key belongs to a user with only the firewall and server permissions and an IP allow list. Neither can be read through the API with the key itself, so the audit asks.",
  run: async (ctx) => [attestedOutcome("api-key-scope", ctx.attestation("api-key-scope"), "a key's permissions and IP allow list cannot be read through the API")],
};
