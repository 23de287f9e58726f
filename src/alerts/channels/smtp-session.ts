import MailComposer from "nodemailer/lib/mail-composer/index.js";
import type Mail from "nodemailer/lib/mailer/index.js";
import SMTPConnection from "nodemailer/lib/smtp-connection/index.js";

/**
 * One SMTP session per mail — connect, STARTTLS or TLS, log in, send, QUIT — on nodemailer's
 * connection and composer. Used instead of its transport because the transport cannot be
 * cancelled: here an abort closes the connection and its timers at once.
 */

export interface SmtpServer {
  host: string;
  port: number;
  security: "starttls" | "tls" | "none";
  auth?: { user: string; pass: string };
}

export async function sendOverSmtp(server: SmtpServer, mail: Mail.Options, signal: AbortSignal): Promise<void> {
  if (signal.aborted) throw signal.reason;
  const conn = new SMTPConnection({
    host: server.host,
    port: server.port,
    secure: server.security === "tls",
    requireTLS: server.security === "starttls",
    ignoreTLS: server.security === "none",
    // Below the dispatcher's 20 s send deadline; the deadline itself aborts sooner when it fires.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  let fail: (e: unknown) => void = () => undefined;
  const failed = new Promise<never>((_resolve, reject) => {
    fail = reject;
  });
  failed.catch(() => undefined);
  const onAbort = () => {
    fail(signal.reason);
    conn.close();
  };
  signal.addEventListener("abort", onAbort, { once: true });
  conn.on("error", (e) => fail(e));
  conn.once("end", () => fail(Object.assign(new Error("the server closed the connection"), { code: "ECONNECTION" })));
  const step = <T>(run: (done: (err: unknown, value?: T) => void) => void): Promise<T> =>
    Promise.race([failed, new Promise<T>((resolve, reject) => run((err, value) => (err ? reject(err) : resolve(value as T))))]);
  try {
    await step<void>((done) => conn.connect((err) => done(err)));
    if (server.auth !== undefined) await step<void>((done) => conn.login(server.auth!, (err) => done(err)));
    const node = new MailComposer(mail).compile();
    const raw = await node.build();
    await step<SMTPConnection.SentMessageInfo>((done) => conn.send(node.getEnvelope(), raw, (err, info) => done(err, info)));
    conn.quit();
  } catch (e) {
    conn.close();
    throw e;
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
}
