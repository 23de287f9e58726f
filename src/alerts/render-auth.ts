import type { AlertEvent } from "./event.ts";
import type { Content } from "./render-model.ts";
import { utcDateTime } from "./render-time.ts";

/** A dashboard sign-in with a backup code: fine if it was you (lost phone), an intrusion if not. */
export function backupCodeContent(e: Extract<AlertEvent, { kind: "backup-code-used" }>): Content {
  return {
    title: `Dashboard sign-in with a backup code: ${e.user}`,
    headline: `${e.user} signed in to the nodeward dashboard with a backup code at ${utcDateTime(e.at)}${e.ip === null ? "" : ` from ${e.ip}`}; ${e.remaining} unused codes left.`,
    severity: "warning",
    fields: [
      { label: "User", value: e.user },
      { label: "From", value: e.ip ?? "unknown" },
      { label: "Codes left", value: String(e.remaining) },
    ],
    action:
      e.remaining <= 2
        ? `if this was you, re-enroll your authenticator and run \`nodeward 2fa backup-codes ${e.user}\` (few codes left); if not, change the password and regenerate the codes now.`
        : `if this was not you, change the password and run \`nodeward 2fa backup-codes ${e.user}\` now.`,
  };
}
