import { createHash, createHmac } from "node:crypto";
import { z } from "zod";
import { resolveSecret, secretRefSchema, secretUrlRefSchema } from "../../config/secret-ref.ts";
import { channelBaseShape, type AlertChannel } from "../channel.ts";
import { AppError } from "../../core/errors.ts";
import { channelDocs } from "../channel-docs.ts";
import { wellFormed } from "../clip.ts";
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

/**
 * The body: the event as data, the rendered text, and a stable id receivers use to drop duplicates;
 * `possibleDuplicate` is true when an earlier attempt was cut off and this may be a second copy.
 */
export function webhookBody(msg: AlertMessage, channel: string, sentAt: number): string {
  return JSON.stringify({
    version: 1,
    id: msg.dedupeKey,
    possibleDuplicate: msg.possibleDuplicate,
    channel,
    sentAt: new Date(sentAt).toISOString(),
    event: msg.event,
    title: msg.title,
    text: msg.text,
    severity: msg.severity,
    fields: msg.fields,
  });
}

const DELIVERY_HEADER_MAX = 200;

/**
 * The delivery id as a header value: HTTP headers carry bytes, and fetch refuses anything outside
 * Latin-1 and any control character, so the id (which holds node names) is percent-encoded as
 * UTF-8, every byte outside printable ASCII and "%" itself; decodeURIComponent gives the body's
 * `id` back. An id longer than 200 encoded characters is sent as "sha256-" + the hex SHA-256 of
 * its UTF-8 (servers cap header sizes; a 10 KB node name must not get the request refused).
 */
export function deliveryHeader(id: string): string {
  const utf8 = Buffer.from(wellFormed(id), "utf8");
  let encoded = "";
  for (const byte of utf8) {
    encoded += byte > 0x20 && byte < 0x7f && byte !== 0x25 ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return encoded.length <= DELIVERY_HEADER_MAX ? encoded : `sha256-${createHash("sha256").update(utf8).digest("hex")}`;
}

export function webhookSignature(secret: string, rawBody: string): string {
  return `sha256=${createHmac("sha256", secret).update(rawBody, "utf8").digest("hex")}`;
}

export const webhook = {
  type: "webhook",
  configSchema: webhookConfigSchema,
  docs: channelDocs(
    "webhook",
    "POSTs each alert as JSON: `{version: 1, id, possibleDuplicate, channel, sentAt, event, title, text, severity, fields}`, where " +
      "`event` is the alert's data (kind, node, incidentId, since, reward clock in ms) and `id` is stable per incident event, so a " +
      "receiver can drop the duplicates an at-least-once delivery may bring. `possibleDuplicate` is true (and the header " +
      "`X-Nodeward-Possible-Duplicate: true` is sent) when nodeward stopped during an earlier attempt of the same alert and cannot " +
      "tell whether it arrived: the same `id` then means the same alert. Headers: `X-Nodeward-Event` (the kind), `X-Nodeward-Delivery` " +
      "(the id, percent-encoded to ASCII: `decodeURIComponent` gives `id` back; an id past 200 encoded characters is sent as " +
      "`sha256-<hex of its UTF-8>`), `X-Nodeward-Timestamp` (Unix seconds) and, with `secret`, `X-Nodeward-Signature: sha256=<hex>`: the HMAC-SHA256 " +
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
      if (!/^[\x20-\x7e]*$/.test(r.value) || r.value.trim() !== r.value) {
        // The value is a secret: say what is wrong with it, never what it is.
        throw new AppError("CONFIG_INVALID", `${label} header ${name} holds a line break, a control character, a character outside ASCII or spaces at its ends; HTTP cannot send it`, {
          hint: "a header value is one line of printable ASCII; percent- or base64-encode anything else",
        });
      }
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
            "x-nodeward-delivery": deliveryHeader(msg.dedupeKey),
            "x-nodeward-timestamp": String(Math.floor(now / 1000)),
          };
          if (msg.possibleDuplicate) headers["x-nodeward-possible-duplicate"] = "true";
          if (secret !== null) headers["x-nodeward-signature"] = webhookSignature(secret, body);
          return postJson(deps, { service: "Webhook", url: url.href, body, headers }, signal);
        },
      },
    };
  },
} satisfies AlertChannel<WebhookConfig>;
