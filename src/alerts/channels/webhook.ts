import { createHmac } from "node:crypto";
import { z } from "zod";
import { resolveSecret, secretRefSchema, secretUrlRefSchema } from "../../config/secret-ref.ts";
import { channelBaseShape, type AlertChannel } from "../channel.ts";
import { channelDocs } from "../channel-docs.ts";
import { postJson } from "../http-post.ts";
import type { AlertMessage } from "../render-model.ts";
import { resolveSecretUrl } from "../secret-url.ts";

const headerName = z
  .string()
  .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, { error: (iss) => `${JSON.stringify(iss.input)} is not an HTTP header name` })
  .refine((h) => !/^(x-nodeward-|content-type$|content-length$|host$)/i.test(h), { error: (iss) => `${JSON.stringify(iss.input)} is set by nodeward` });

export const webhookConfigSchema = z
  .strictObject({
    type: z.literal("webhook").describe('Channel type: "webhook".'),
    ...channelBaseShape,
    url: secretUrlRefSchema.describe("Where to POST the JSON. A secret when it carries a token: {env: NAME} or {file: PATH} keep it out of this file."),
    secret: secretRefSchema
      .optional()
      .describe("Signing key: each request carries X-Nodeward-Signature: sha256=<hex HMAC-SHA256 of the raw body>. Strongly recommended."),
    headers: z
      .record(headerName, secretRefSchema)
      .optional()
      .describe("Extra request headers, e.g. Authorization. Values are secrets (inline, {env} or {file}) and are redacted from every log."),
  })
  .describe("Any HTTP endpoint: nodeward POSTs the event as JSON, signed.");

export type WebhookConfig = z.infer<typeof webhookConfigSchema>;

/** The body: the event as data, the rendered text, and a stable id receivers use to drop duplicates. */
export function webhookBody(msg: AlertMessage, channel: string, sentAt: number): string {
  return JSON.stringify({
    version: 1,
    id: msg.dedupeKey,
    channel,
    sentAt: new Date(sentAt).toISOString(),
    event: msg.event,
    title: msg.title,
    text: msg.text,
    severity: msg.severity,
    fields: msg.fields,
  });
}

export function webhookSignature(secret: string, rawBody: string): string {
  return `sha256=${createHmac("sha256", secret).update(rawBody, "utf8").digest("hex")}`;
}

export const webhook = {
  type: "webhook",
  configSchema: webhookConfigSchema,
  docs: channelDocs(
    "webhook",
    "POSTs each alert as JSON: `{version: 1, id, channel, sentAt, event, title, text, severity, fields}`, where `event` is the " +
      "alert's data (kind, node, incidentId, since, reward clock in ms) and `id` is stable per incident event, so a receiver can " +
      "drop the duplicates an at-least-once delivery may bring. Headers: `X-Nodeward-Event` (the kind), `X-Nodeward-Delivery` " +
      "(the id), `X-Nodeward-Timestamp` (Unix seconds) and, with `secret`, `X-Nodeward-Signature: sha256=<hex>`: the HMAC-SHA256 " +
      "of the raw body; compare it in constant time and check `sentAt` is recent. Any 2xx is success; 429, 408 and 5xx are " +
      "retried with backoff (Retry-After honoured); other 4xx are not.",
    webhookConfigSchema,
    "channels:\n  - type: webhook\n    name: pager\n    url: https://hooks.example.com/nodeward\n    secret: { env: NODEWARD_WEBHOOK_SECRET }\n" +
      "    headers:\n      Authorization: { env: NODEWARD_WEBHOOK_AUTH }",
  ),
  async create(config, deps) {
    const label = `alert channel "${config.name}" (webhook)`;
    const { url, warnings } = await resolveSecretUrl(config.url, `${label} url`, deps);
    let secret: string | null = null;
    if (config.secret !== undefined) {
      const r = await resolveSecret(config.secret, `${label} secret`, deps.env, deps.redactor);
      secret = r.value;
      warnings.push(...r.warnings);
    } else {
      warnings.push(`${label} has no secret: receivers cannot tell nodeward's requests from anyone else's`);
    }
    const extra: Record<string, string> = {};
    for (const [name, ref] of Object.entries(config.headers ?? {})) {
      const r = await resolveSecret(ref, `${label} header ${name}`, deps.env, deps.redactor);
      extra[name] = r.value;
      warnings.push(...r.warnings);
    }
    return {
      warnings,
      channel: {
        name: config.name,
        type: "webhook",
        send: (msg, signal) => {
          const now = deps.clock.now();
          const body = webhookBody(msg, config.name, now);
          const headers: Record<string, string> = {
            ...extra,
            "x-nodeward-event": msg.event.kind,
            "x-nodeward-delivery": msg.dedupeKey,
            "x-nodeward-timestamp": String(Math.floor(now / 1000)),
          };
          if (secret !== null) headers["x-nodeward-signature"] = webhookSignature(secret, body);
          return postJson(deps, { service: "Webhook", url: url.href, body, headers }, signal);
        },
      },
    };
  },
} satisfies AlertChannel<WebhookConfig>;
