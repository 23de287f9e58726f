import { z } from "zod";
import { AppError } from "../../core/errors.ts";
import { httpUrlSchema } from "../../config/http-url.ts";
import { resolveSecret, secretRefSchema } from "../../config/secret-ref.ts";
import { channelBaseShape, type AlertChannel } from "../channel.ts";
import { channelDocs } from "../channel-docs.ts";
import { clip } from "../clip.ts";
import { postJson, secondsToMs } from "../http-post.ts";
import type { AlertMessage } from "../render-model.ts";
import { isLoopback } from "../secret-url.ts";

export const telegramConfigSchema = z
  .strictObject({
    type: z.literal("telegram").describe('Channel type: "telegram".'),
    ...channelBaseShape,
    botToken: secretRefSchema.describe("The bot's token from @BotFather (123456789:AA…). A secret: prefer {env: NAME} or {file: PATH}."),
    chatId: z
      .union([
        z.number().int(),
        z.string().regex(/^(-?\d+|@[A-Za-z][A-Za-z0-9_]{3,})$/, { error: (iss) => `${JSON.stringify(iss.input)} is not a chat id (-1001234567890) or @channelname` }),
      ])
      .describe("Where to send: a chat id (groups are negative, -100… for supergroups and channels) or @channelname. Add the bot to the chat first."),
    threadId: z.number().int().positive().optional().describe("Topic (message thread) id, for a forum group."),
    apiBase: httpUrlSchema
      .default("https://api.telegram.org")
      .describe("Bot API base URL. Change it only for a self-hosted Bot API server."),
  })
  .describe("A Telegram chat, through a bot.");

export type TelegramConfig = z.infer<typeof telegramConfigSchema>;

/** HTML parse mode: only &, < and > need escaping; `code` spans become <code>. Telegram's limit is 4096 characters. */
export function telegramText(msg: AlertMessage): string {
  const title = clip(msg.title, 200);
  const body = clip(msg.text, 4000 - title.length);
  return `<b>${escapeHtml(title)}</b>\n\n${escapeHtml(body).replace(/`([^`\n]+)`/g, "<code>$1</code>")}`;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export const telegram = {
  type: "telegram",
  configSchema: telegramConfigSchema,
  docs: channelDocs(
    "telegram",
    "Sends each alert as a message from your bot: create the bot with @BotFather, add it to the group or channel, and put the " +
      "chat's id here (send a message in the chat, then open https://api.telegram.org/bot<token>/getUpdates to read it). " +
      "Rate limits (429) are retried after Telegram's retry_after; a wrong token (401), a chat the bot is not in (400, 403) " +
      "are not retried and show Telegram's reason.",
    telegramConfigSchema,
    "channels:\n  - type: telegram\n    name: ops-telegram\n    botToken: { file: ~/.config/nodeward/telegram.token }\n    chatId: -1001234567890",
  ),
  async create(config, deps) {
    const what = `alert channel "${config.name}" (telegram) botToken`;
    const { value: token, warnings } = await resolveSecret(config.botToken, what, deps.env, deps.redactor);
    if (!/^\d{5,}:[A-Za-z0-9_-]{30,}$/.test(token)) {
      throw new AppError("CONFIG_INVALID", `${what} does not look like a bot token (digits, a colon, then about 35 letters)`, {
        hint: "copy the token @BotFather gave you, e.g. 123456789:AAH…",
      });
    }
    const base = config.apiBase.replace(/\/+$/, "");
    if (base.startsWith("http:") && !isLoopback(new URL(base).hostname)) warnings.push(`alert channel "${config.name}" (telegram) apiBase uses plain http: the token crosses the network unencrypted`);
    const url = `${base}/bot${token}/sendMessage`;
    return {
      warnings,
      channel: {
        name: config.name,
        type: "telegram",
        send: (msg, signal) =>
          postJson(
            deps,
            {
              service: "Telegram",
              url,
              body: JSON.stringify({
                chat_id: config.chatId,
                ...(config.threadId === undefined ? {} : { message_thread_id: config.threadId }),
                text: telegramText(msg),
                parse_mode: "HTML",
                disable_web_page_preview: true,
              }),
              retryAfterFromBody: (json) => secondsToMs((json as { parameters?: { retry_after?: unknown } } | undefined)?.parameters?.retry_after),
            },
            signal,
          ),
      },
    };
  },
} satisfies AlertChannel<TelegramConfig>;
