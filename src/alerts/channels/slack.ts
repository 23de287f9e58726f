import { z } from "zod";
import { secretUrlRefSchema } from "../../config/secret-ref.ts";
import { channelBaseShape, type AlertChannel } from "../channel.ts";
import { channelDocs } from "../channel-docs.ts";
import { clip } from "../clip.ts";
import { postJson } from "../http-post.ts";
import type { AlertMessage, Severity } from "../render-model.ts";
import { isLoopback, resolveSecretUrl } from "../secret-url.ts";

export const slackConfigSchema = z
  .strictObject({
    type: z.literal("slack").describe('Channel type: "slack".'),
    ...channelBaseShape,
    webhookUrl: secretUrlRefSchema.describe(
      "The incoming webhook URL (https://hooks.slack.com/services/…), from a Slack app with Incoming Webhooks. A secret: prefer {env: NAME} or {file: PATH}.",
    ),
    blocks: z
      .boolean()
      .default(true)
      .describe("Send Block Kit layout besides the text. Set false for Slack-compatible services that only read `text` (Mattermost, Rocket.Chat)."),
  })
  .describe("A Slack channel, through an incoming webhook.");

export type SlackConfig = z.infer<typeof slackConfigSchema>;

const MARKS: Record<Severity, string> = { critical: ":red_circle:", warning: ":large_orange_circle:", info: ":large_blue_circle:", ok: ":large_green_circle:" };

/** mrkdwn: &, < and > are escaped; `code` spans stay as they are. */
function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Clipped after escaping (the limits count what Slack receives), without leaving half an entity at the cut. */
function clipEscaped(s: string, max: number): string {
  const c = clip(s, max);
  return c === s ? c : c.replace(/&[a-z]{0,3}…$/, "…");
}

/** The webhook body: `text` (notifications, and the whole message without blocks) plus header, summary and fields blocks. */
export function slackPayload(msg: AlertMessage, withBlocks: boolean): Record<string, unknown> {
  const text = clipEscaped(esc(`${msg.title}\n\n${msg.text}`), 3000);
  if (!withBlocks) return { text };
  const blocks: unknown[] = [
    { type: "header", text: { type: "plain_text", text: clip(`${MARKS[msg.severity]} ${msg.title}`, 150), emoji: true } },
    { type: "section", text: { type: "mrkdwn", text: clipEscaped(esc(msg.summary), 3000) } },
  ];
  if (msg.fields.length > 0) {
    blocks.push({ type: "section", fields: msg.fields.slice(0, 10).map((f) => ({ type: "mrkdwn", text: clipEscaped(`*${esc(f.label)}*\n${esc(f.value)}`, 2000) })) });
  }
  return { text, blocks };
}

export const slack = {
  type: "slack",
  configSchema: slackConfigSchema,
  docs: channelDocs(
    "slack",
    "Posts each alert to the channel an incoming webhook belongs to: a header marked by severity, what happened and what to do, " +
      "and the facts (node, since when, minutes left before EXPIRED and NEW_START_REQUIRED) as fields. Create a Slack app, " +
      "turn on Incoming Webhooks and add one for the channel. Rate limits (429) are retried after Retry-After; a revoked " +
      "webhook or archived channel (403, 404, 410) is not retried.",
    slackConfigSchema,
    "channels:\n  - type: slack\n    name: ops-slack\n    webhookUrl: { env: NODEWARD_SLACK_WEBHOOK }\n    events: [down, escalation, recovered, remediation, firewall-blocks]",
  ),
  async create(config, deps) {
    const what = `alert channel "${config.name}" (slack) webhookUrl`;
    const { url, warnings } = await resolveSecretUrl(config.webhookUrl, what, deps);
    if (config.blocks && url.hostname !== "hooks.slack.com" && !isLoopback(url.hostname)) {
      warnings.push(`${what} points at ${url.hostname}, not hooks.slack.com: if it is a Slack-compatible service, set blocks: false`);
    }
    return {
      warnings,
      channel: {
        name: config.name,
        type: "slack",
        send: (msg, signal) => postJson(deps, { service: "Slack", url: url.href, body: JSON.stringify(slackPayload(msg, config.blocks)) }, signal),
      },
    };
  },
} satisfies AlertChannel<SlackConfig>;
