import { z } from "zod";
import { secretUrlRefSchema } from "../../config/secret-ref.ts";
import { channelBaseShape, type AlertChannel } from "../channel.ts";
import { channelDocs } from "../channel-docs.ts";
import { clip } from "../clip.ts";
import { postJson, secondsToMs } from "../http-post.ts";
import type { AlertMessage, Severity } from "../render-model.ts";
import { isLoopback, resolveSecretUrl } from "../secret-url.ts";

export const discordConfigSchema = z
  .strictObject({
    type: z.literal("discord").describe('Channel type: "discord".'),
    ...channelBaseShape,
    webhookUrl: secretUrlRefSchema.describe(
      "The channel's webhook URL (Server Settings → Integrations → Webhooks → Copy Webhook URL). A secret: prefer {env: NAME} or {file: PATH}.",
    ),
    mention: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .optional()
      .describe('Put before critical alerts so people are pinged, e.g. "@here" or "<@&ROLE_ID>".'),
  })
  .describe("A Discord channel, through an incoming webhook.");

export type DiscordConfig = z.infer<typeof discordConfigSchema>;

/** Discord's embed colours per severity. */
export const DISCORD_COLORS: Record<Severity, number> = { critical: 0xed4245, warning: 0xe67e22, info: 0x3498db, ok: 0x57f287 };

/** Discord counts the characters of every embed's title, description, field names and values together. */
const EMBED_TOTAL = 6000;

/**
 * The webhook body: one embed within Discord's limits (title 256, description 4096, 25 fields of
 * 256/1024, 6000 in all; a field may not be blank), else Discord answers 400 for good. The
 * description gets what the title and fields leave; fields that would not fit are left out.
 */
export function discordPayload(msg: AlertMessage, mention: string | undefined): Record<string, unknown> {
  const title = clip(msg.title, 256);
  const fields: { name: string; value: string }[] = [];
  let used = title.length;
  for (const f of msg.fields.slice(0, 25)) {
    const field = { name: clip(nonBlank(f.label), 256), value: clip(nonBlank(f.value), 1024) };
    // Keep room for a description that says what happened.
    if (used + field.name.length + field.value.length > EMBED_TOTAL - 500) break;
    fields.push(field);
    used += field.name.length + field.value.length;
  }
  const embed = {
    title,
    description: clip(nonBlank(msg.summary), Math.min(4096, EMBED_TOTAL - used)),
    color: DISCORD_COLORS[msg.severity],
    fields,
    timestamp: new Date(msg.event.at).toISOString(),
  };
  return mention !== undefined && msg.severity === "critical" ? { content: mention, embeds: [embed] } : { embeds: [embed] };
}

function nonBlank(s: string): string {
  return s.trim() === "" ? "—" : s;
}

const DISCORD_HOSTS = new Set(["discord.com", "discordapp.com", "ptb.discord.com", "canary.discord.com"]);

export const discord = {
  type: "discord",
  configSchema: discordConfigSchema,
  docs: channelDocs(
    "discord",
    "Posts each alert as an embed coloured by severity (red critical, orange warning, blue info, green recovered) with the node, " +
      "since when, the minutes left before EXPIRED and NEW_START_REQUIRED, and what to do. Create the webhook in the channel's " +
      "settings (Integrations → Webhooks). Rate limits (HTTP 429) are retried after the time Discord asks for; a deleted webhook " +
      "(404) or a rejected message (400) is not retried.",
    discordConfigSchema,
    "channels:\n  - type: discord\n    name: ops-discord\n    webhookUrl: { env: NODEWARD_DISCORD_WEBHOOK }\n    mention: \"@here\"",
  ),
  async create(config, deps) {
    const what = `alert channel "${config.name}" (discord) webhookUrl`;
    const { url, warnings } = await resolveSecretUrl(config.webhookUrl, what, deps);
    if (!DISCORD_HOSTS.has(url.hostname) && !isLoopback(url.hostname)) {
      warnings.push(`${what} points at ${url.hostname}, not discord.com: check it is a Discord webhook URL`);
    }
    return {
      warnings,
      channel: {
        name: config.name,
        type: "discord",
        send: (msg, signal) =>
          postJson(
            deps,
            {
              service: "Discord",
              url: url.href,
              body: JSON.stringify(discordPayload(msg, config.mention)),
              retryAfterFromBody: (json) => secondsToMs((json as { retry_after?: unknown } | undefined)?.retry_after),
            },
            signal,
          ),
      },
    };
  },
} satisfies AlertChannel<DiscordConfig>;
