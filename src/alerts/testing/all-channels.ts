import type { ChannelSender } from "../channel.ts";
import { discord, discordConfigSchema } from "../channels/discord.ts";
import { email, emailConfigSchema } from "../channels/email.ts";
import { slack, slackConfigSchema } from "../channels/slack.ts";
import { telegram, telegramConfigSchema } from "../channels/telegram.ts";
import { webhook, webhookConfigSchema } from "../channels/webhook.ts";
import { channelDeps } from "./fixtures.ts";
import { startReceiver, type Receiver } from "./http-receiver.ts";
import { startSmtpReceiver, type SmtpReceiver } from "./smtp-receiver.ts";

/**
 * Test support only: one configured channel of every type, each pointed at a real receiver on
 * loopback (an HTTP server for the four HTTP services, an SMTP server for e-mail).
 */

export interface AllChannels {
  /** By channel type: "discord", "telegram", "slack", "webhook", "email". */
  senders: Map<string, ChannelSender>;
  rx: Receiver;
  smtp: SmtpReceiver;
  close(): Promise<void>;
}

const TG_TOKEN = "7012345678:AAHk3xQp9ZrT2vLm8NwB5cYd1eFgJhKs4Uo";
const SMTP_LOGIN = { user: "alerts", pass: "smtp-pass-7f3k2" };

export async function startAllChannels(): Promise<AllChannels> {
  const rx = await startReceiver({ status: 200, headers: { "content-type": "application/json" }, body: '{"ok":true,"result":{"message_id":1}}' });
  const smtp = await startSmtpReceiver(SMTP_LOGIN);
  const deps = channelDeps({ TG: TG_TOKEN, PW: SMTP_LOGIN.pass });
  const senders = new Map<string, ChannelSender>();
  const add = (s: ChannelSender) => senders.set(s.type, s);
  add((await discord.create(discordConfigSchema.parse({ type: "discord", name: "dc", webhookUrl: `${rx.origin}/discord/1234567890/tok-abcdefghijklmnopqrstuvwxyz`, mention: "@here" }), deps)).channel);
  add((await telegram.create(telegramConfigSchema.parse({ type: "telegram", name: "tg", botToken: { env: "TG" }, chatId: -1001234567890, apiBase: `${rx.origin}/telegram` }), deps)).channel);
  add((await slack.create(slackConfigSchema.parse({ type: "slack", name: "sl", webhookUrl: `${rx.origin}/slack/T0123ABCD/B0456EFGH/q8Zr3VtYw1XkLm5NbP7sDj2H` }), deps)).channel);
  add((await webhook.create(webhookConfigSchema.parse({ type: "webhook", name: "wh", url: `${rx.origin}/webhook`, secret: "whsec_4f9c2a7e1b8d3f6a0c5e9b2d7f1a4c8e" }), deps)).channel);
  const mail = emailConfigSchema.parse({ type: "email", name: "em", host: "127.0.0.1", port: smtp.port, security: "none", auth: { user: SMTP_LOGIN.user, password: { env: "PW" } }, from: "nodeward <alerts@example.com>", to: ["op@example.com"] });
  add((await email.create(mail, deps)).channel);
  return {
    senders,
    rx,
    smtp,
    close: async () => {
      await rx.close();
      await smtp.close();
    },
  };
}
