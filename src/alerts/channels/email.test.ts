import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:net";
import type { AddressInfo, Socket } from "node:net";
import { SMTPServer } from "smtp-server";
import { AppError } from "../../core/errors.ts";
import { alertMessage } from "../render.ts";
import { channelDeps, downEvent, MINUTE, noAbort, recoveredEvent, T0 } from "../testing/fixtures.ts";
import { startSmtpReceiver, type SmtpReceiver } from "../testing/smtp-receiver.ts";
import { email, emailConfigSchema } from "./email.ts";

const PASSWORD = "app-pw-Qm7Zt2Xv9Lk4";

describe("email channel", () => {
  let smtp: SmtpReceiver;
  before(async () => {
    smtp = await startSmtpReceiver({ user: "alerts@example.com", pass: PASSWORD });
  });
  after(async () => {
    await smtp.close();
  });

  const make = (extra: Record<string, unknown> = {}, env: Record<string, string> = { SMTP_PW: PASSWORD }) => {
    const config = emailConfigSchema.parse({
      type: "email",
      name: "ops-mail",
      host: "127.0.0.1",
      port: smtp.port,
      security: "none",
      auth: { user: "alerts@example.com", password: { env: "SMTP_PW" } },
      from: "nodeward <alerts@example.com>",
      to: ["op@example.com", "backup@example.org"],
      ...extra,
    });
    return email.create(config, channelDeps(env));
  };

  it("delivers from, to, subject = title and the plain text body through a real SMTP server", async () => {
    const { channel, warnings } = await make();
    assert.deepEqual(warnings, []);
    const msg = alertMessage(downEvent(), T0 + 12 * MINUTE);
    assert.deepEqual(await channel.send(msg, noAbort()), { ok: true });
    const mail = smtp.mails.at(-1)!;
    assert.equal(mail.mailFrom, "alerts@example.com");
    assert.deepEqual(mail.rcptTo, ["op@example.com", "backup@example.org"]);
    assert.equal(mail.headers.get("from"), "nodeward <alerts@example.com>");
    assert.equal(mail.headers.get("to"), "op@example.com, backup@example.org");
    assert.equal(mail.headers.get("subject"), "DOWN: sn-ams-1 — EXPIRED in 51 min");
    assert.match(mail.headers.get("content-type") ?? "", /^text\/plain/);
    assert.equal(mail.headers.get("references"), "<incident-inc-1@nodeward.invalid>");
    assert.equal(mail.headers.get("x-priority"), "1 (Highest)");
    assert.equal(mail.text, `${msg.text}\n\n-- \nnodeward watch · alert inc-1:down\n`);
  });

  it("threads the recovery with the outage and does not flag it urgent", async () => {
    const { channel } = await make();
    assert.deepEqual(await channel.send(alertMessage(recoveredEvent(), T0 + 23 * MINUTE), noAbort()), { ok: true });
    const mail = smtp.mails.at(-1)!;
    assert.equal(mail.headers.get("subject"), "RECOVERED: sn-ams-1 after 23 min");
    assert.equal(mail.headers.get("references"), "<incident-inc-1@nodeward.invalid>");
    assert.equal(mail.headers.get("x-priority"), undefined);
  });

  it("does not retry a rejected login and never shows the password", async () => {
    const { channel } = await make({}, { SMTP_PW: "wrong-password-123" });
    const r = await channel.send(alertMessage(downEvent(), T0), noAbort());
    assert.ok(!r.ok && !r.retryable, JSON.stringify(r));
    assert.match(r.error, new RegExp(`^SMTP 127\\.0\\.0\\.1:${smtp.port} refused \\(EAUTH\\): .*535`));
    assert.ok(!r.error.includes("wrong-password-123"));
  });

  it("retries a temporary 4xx recipient refusal and gives up on a permanent 5xx one", async () => {
    const { channel } = await make({ to: ["op@example.com"] });
    smtp.rcptReplies.push({ code: 451, message: "try again later" });
    const temporary = await channel.send(alertMessage(downEvent(), T0), noAbort());
    assert.ok(!temporary.ok && temporary.retryable, JSON.stringify(temporary));
    smtp.rcptReplies.push({ code: 550, message: "no such user" });
    const permanent = await channel.send(alertMessage(downEvent(), T0), noAbort());
    assert.ok(!permanent.ok && !permanent.retryable, JSON.stringify(permanent));
  });

  it("retries when the server refuses the connection", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { channel } = await make({ port });
    const r = await channel.send(alertMessage(downEvent(), T0), noAbort());
    assert.ok(!r.ok && r.retryable && /unreachable \((ESOCKET|ECONNECTION)\)/.test(r.error), JSON.stringify(r));
  });

  it("stops waiting when the send timeout fires, and says so", async () => {
    const sockets: Socket[] = [];
    const silent = createServer((s) => sockets.push(s));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { channel } = await make({ port: (silent.address() as AddressInfo).port });
    const r = await channel.send(alertMessage(downEvent(), T0), AbortSignal.timeout(100));
    assert.ok(!r.ok && r.retryable && /no answer within the send timeout/.test(r.error), JSON.stringify(r));
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  it("requires STARTTLS with security: starttls, and does not retry a server that lacks it", async () => {
    const { channel } = await make({ security: "starttls" });
    const r = await channel.send(alertMessage(downEvent(), T0), noAbort());
    assert.ok(!r.ok && !r.retryable, JSON.stringify(r));
    assert.match(r.error, /ETLS/);
  });

  it("verifies the certificate of a STARTTLS server", async () => {
    // smtp-server's built-in certificate is self-signed for localhost: it must be refused.
    const tls = new SMTPServer({ authOptional: true, logger: false });
    await new Promise<void>((resolve) => tls.listen(0, "127.0.0.1", resolve));
    const { channel } = await make({ security: "starttls", port: (tls.server.address() as AddressInfo).port, auth: undefined });
    const r = await channel.send(alertMessage(downEvent(), T0), noAbort());
    await new Promise<void>((resolve) => tls.close(() => resolve()));
    assert.ok(!r.ok && /certificate/.test(r.error), JSON.stringify(r));
  });

  it("refuses to start when the password variable is unset, naming the channel", async () => {
    await assert.rejects(make({}, {}), (e: unknown) => e instanceof AppError && e.code === "SECRET_MISSING" && /"ops-mail" \(email\) auth\.password/.test(e.message));
  });

  it("warns when a password would cross the network in clear", async () => {
    const config = emailConfigSchema.parse({ type: "email", name: "m", host: "mail.example.com", security: "none", auth: { user: "u", password: PASSWORD }, from: "a@example.com", to: ["b@example.com"] });
    const { warnings } = await email.create(config, channelDeps({}));
    assert.match(warnings.join("\n"), /unencrypted \(security: none\) to mail\.example\.com/);
  });

  it("rejects a recipient that is not an address", () => {
    const r = emailConfigSchema.safeParse({ type: "email", name: "m", host: "h", from: "a@example.com", to: ["not an address"] });
    assert.equal(r.success, false);
  });
});
