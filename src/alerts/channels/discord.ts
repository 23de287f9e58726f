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

/** The webhook body: one embed (limits: title 256, description 4096, 25 fields of 256/1024). */
export function discordPayload(msg: AlertMessage, mention: string | undefined): Record<string, unknown> {
  const embed = {
    title: clip(msg.title, 256),
    description: clip(msg.summary, 4096),
    color: DISCORD_COLORS[msg.severity],
    fields: msg.fields.slice(0, 25).map((f) => ({ name: clip(f.label, 256), value: clip(f.value, 1024) })),
    timestamp: new Date(msg.event.at).toISOString(),
  };
  return mention !== undefined && msg.severity === "critical" ? { content: mention, embeds: [embed] } : { embeds: [embed] };
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
