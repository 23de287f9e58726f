import { createHash } from "node:crypto";
import { z } from "zod";
import { portNumberSchema } from "../../config/port-spec.ts";
import { resolveSecret, secretRefSchema } from "../../config/secret-ref.ts";
import { channelBaseShape, type AlertChannel } from "../channel.ts";
import { channelDocs } from "../channel-docs.ts";
import { displayLine } from "../clip.ts";
import type { AlertMessage } from "../render-model.ts";
import { isLoopback } from "../secret-url.ts";
import { smtpFailure } from "./smtp-failure.ts";
import { sendOverSmtp, type SmtpServer } from "./smtp-session.ts";

const address = z.string().trim().regex(/^[^\s@<>]+@[^\s@<>]+$/, { error: (iss) => `${JSON.stringify(iss.input)} is not an e-mail address` });

export const emailConfigSchema = z
  .strictObject({
    type: z.literal("email").describe('Channel type: "email".'),
    ...channelBaseShape,
    host: z.string().trim().min(1).describe("SMTP server host name, e.g. smtp.fastmail.com."),
    port: portNumberSchema.optional().describe("SMTP port; default 465 with security tls, 587 with starttls, 25 with none."),
    security: z
      .enum(["starttls", "tls", "none"])
      .default("starttls")
      .describe('"starttls" (port 587, upgrade required), "tls" (port 465, TLS from the start), "none" (plain; only for a relay on localhost).'),
    auth: z
      .strictObject({
        user: z.string().min(1).describe("SMTP user name."),
        password: secretRefSchema.describe("SMTP password or app password. A secret: prefer {env: NAME} or {file: PATH}."),
      })
      .optional()
      .describe("Log in before sending; omit for a relay that does not ask."),
    from: z
      .string()
      .trim()
      .regex(/^([^<>]*<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/, { error: (iss) => `${JSON.stringify(iss.input)} is not an address like alerts@example.com or "nodeward <alerts@example.com>"` })
      .describe('Sender: "alerts@example.com" or "nodeward <alerts@example.com>"; many servers require their own domain.'),
    to: z.array(address).min(1, { error: "list at least one recipient" }).describe("Recipients."),
  })
  .describe("E-mail through an SMTP server: plain text, subject = the alert's title.");

export type EmailConfig = z.infer<typeof emailConfigSchema>;

const DEFAULT_PORT = { tls: 465, starttls: 587, none: 25 } as const;

const URGENT = { "X-Priority": "1 (Highest)", "X-MSMail-Priority": "High", Importance: "High" };

/** Long enough for any title nodeward writes; short enough that no mail client or server balks. */
const SUBJECT_MAX = 200;

/**
 * The mail: subject is the title (one line, no control characters: nodemailer encodes non-ASCII
 * but passes NUL and ESC through raw), the body the plain text; alerts of one incident share a
 * References header.
 */
export function emailMail(msg: AlertMessage, config: Pick<EmailConfig, "from" | "to">): Record<string, unknown> & { subject: string; text: string } {
  const incident = "incidentId" in msg.event ? referenceId(msg.event.incidentId) : null;
  return {
    from: config.from,
    to: config.to,
    subject: displayLine(msg.title, SUBJECT_MAX),
    text: `${msg.text}\n\n-- \nnodeward watch · alert ${displayLine(msg.dedupeKey, 200)}\n`,
    ...(msg.severity === "critical" ? { headers: URGENT } : {}),
    ...(incident === null ? {} : { references: [`<incident-${incident}@nodeward.invalid>`] }),
  };
}

/**
 * The incident id as the local part of a message id: a message id cannot be folded, so one past
 * 64 characters (a 10 KB node name in it) would break the 998-octet line limit and have the mail
 * refused; it becomes its SHA-256 instead.
 */
function referenceId(incidentId: string): string {
  const safe = incidentId.replace(/[^A-Za-z0-9._-]/g, "_");
  return safe.length <= 64 ? safe : `sha256-${createHash("sha256").update(incidentId, "utf8").digest("hex")}`;
}

export const email = {
  type: "email",
  configSchema: emailConfigSchema,
  docs: channelDocs(
    "email",
    "Sends each alert as a plain-text e-mail whose subject is the alert's title (\"DOWN: sn-1 — EXPIRED in 51 min\"); alerts " +
      "about one incident share a References header so mail clients thread them. Temporary SMTP failures (4xx replies, " +
      "timeouts, refused connections) are retried with backoff; permanent ones (5xx, a rejected login or recipient) are not. " +
      "With a provider such as Gmail or Fastmail use an app password.",
    emailConfigSchema,
    "channels:\n  - type: email\n    name: ops-mail\n    host: smtp.fastmail.com\n    security: starttls\n" +
      "    auth: { user: me@example.com, password: { env: NODEWARD_SMTP_PASSWORD } }\n    from: nodeward <me@example.com>\n    to: [me@example.com]",
  ),
  async create(config, deps) {
    const label = `alert channel "${config.name}" (email)`;
    const warnings: string[] = [];
    let auth: { user: string; pass: string } | undefined;
    if (config.auth !== undefined) {
      const r = await resolveSecret(config.auth.password, `${label} auth.password`, deps.env, deps.redactor);
      deps.redactor.addLogin(config.auth.user, r.value); // AUTH PLAIN / LOGIN carry it base64-encoded
      auth = { user: config.auth.user, pass: r.value };
      warnings.push(...r.warnings);
      if (config.security === "none" && !isLoopback(config.host)) warnings.push(`${label} sends its password unencrypted (security: none) to ${config.host}`);
    }
    const server: SmtpServer = { host: config.host, port: config.port ?? DEFAULT_PORT[config.security], security: config.security, ...(auth === undefined ? {} : { auth }) };
    const where = `SMTP ${server.host}:${server.port}`;
    return {
      warnings,
      channel: {
        name: config.name,
        type: "email",
        send: async (msg, signal) => {
          try {
            await sendOverSmtp(server, emailMail(msg, config), signal);
            return { ok: true };
          } catch (e) {
            return smtpFailure(e, signal, where, deps.redactor);
          }
        },
      },
    };
  },
} satisfies AlertChannel<EmailConfig>;
