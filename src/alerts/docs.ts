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
      "repeats what was delivered (only an alert whose send was cut off goes out once more, marked as a possible " +
      "duplicate: see Delivery above). A channel whose secret cannot be read or whose settings are wrong stops " +
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

/** How delivery behaves when things go wrong: order, failures, hostile text, restarts. */
export function deliveryDocs(): string {
  return [
    "## Delivery",
    "",
    "- **Order.** Each channel gets its alerts oldest first, so a recovery never arrives before its outage. While " +
      "an alert waits for a retry, the later alerts of that channel wait with it; other channels go on.",
    "- **Temporary failures** (no connection, a timeout, HTTP 408, 429 or 5xx, an SMTP 4xx reply) are retried with " +
      "backoff (Retry-After honoured) until `alerts.retry.maxAgeMinutes`.",
    "- **Permanent failures** give that alert up at once and never hold back the alerts behind it: the service " +
      "refused the message (another 4xx, an SMTP 5xx, a rejected login or recipient), the request is one HTTP " +
      "cannot carry, or the channel failed unexpectedly (a bug in nodeward: please report the log line). The log " +
      "says `alert KEY to \"CHANNEL\" given up: REASON`, the outbox keeps the reason, and the incident timeline on " +
      "the dashboard shows \"alert given up\".",
    "- **Outside text.** Node names, addresses, causes and user names come from the provider, the configuration " +
      "or the network. In messages each is shown on one line: line breaks and tabs become spaces, control " +
      "characters and direction overrides (U+202E and the like, which make `sn-` U+202E `gpj.exe` read as " +
      "`sn-exe.jpg`) become U+FFFD (the replacement character), and a name is cut at 100 characters, a cause at 400, so that no name can " +
      "push a message past a service's limits (Discord 6000 characters per message, Telegram 4096, Slack 150 in " +
      "a header and 3000 in a section) and be refused for good. Headers carry ASCII only: the webhook's " +
      "`X-Nodeward-Delivery` is percent-encoded, an e-mail's subject is one line of at most 200 characters. The " +
      "webhook's `event` keeps every string exactly as it was.",
    "- **Restarts and kill -9.** Each attempt is written to the outbox (and synced to disk) before the send " +
      "starts. When nodeward is killed, crashes or is stopped while a send is in flight, nobody knows whether the " +
      "service got it. The next delivery pass (at the next start, or the flush on shutdown) logs it and sends it " +
      "again, marked as a **possible duplicate**; once delivered it is never sent again. The mark: the title ends in `(possible duplicate)` " +
      "and the text in `(Possible duplicate: nodeward stopped while sending this alert and cannot tell whether it " +
      "arrived, so it is sent again.)`. The webhook repeats the same `id` and `X-Nodeward-Delivery`, with " +
      "`possibleDuplicate: true` and the header `X-Nodeward-Possible-Duplicate: true`, so a receiver that drops " +
      "repeated ids sees it once. Telegram, Slack and Discord cannot be asked whether a message arrived, and " +
      "their answer (with the message id an edit would need) never came, so the note is what they get. An alert " +
      "is never dropped because it may have arrived: a missed alert costs more than a second copy.",
  ].join("\n");
}
