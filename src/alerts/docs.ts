import { ALERT_KINDS } from "./channel.ts";
import { channelTypes } from "./channels/index.ts";

/**
 * The alert channels section of the docs, from the registry: one section per channel type with
 * its paragraph, its key table (generated from its schema) and an example.
 */
export function alertChannelsDocs(): string {
  return [
    "## Alert channels (`alerts:`)",
    "",
    "Every alert is stored in the outbox before it is sent, then delivered to every channel in " +
      "`alerts.channels` (or only the kinds a channel lists in `events`), retried with backoff for " +
      "`alerts.retry.maxAgeMinutes` (default 1440) when the service fails, and sent once: a restart never " +
      "repeats what was delivered. A channel whose secret cannot be read or whose settings are wrong stops " +
      "`nodeward watch` from starting; it is never switched off quietly. `nodeward alerts test [NAME]` sends a " +
      "test alert to each channel and shows what each service answered.",
    "",
    `Kinds: ${ALERT_KINDS.map((k) => `\`${k}\``).join(", ")}. Secrets (webhook URLs, tokens, passwords) take ` +
      "inline text, `{env: NAME}` or `{file: PATH}`; they are redacted from every log and error, however short (under six " +
      "characters as whole tokens) and in every form they travel in: percent- or form-encoded, JSON- or HTML-escaped, " +
      "base64 (an SMTP login's AUTH PLAIN too). Every command that " +
      "reads nodeward.yaml warns once when the file holds an inline secret and group or others can read it (it names " +
      "the keys, never the values, and says `chmod 600`), as it does for a `{file: PATH}` secret.",
    "",
    ...channelTypes.map((c) => c.docs),
  ].join("\n");
}
