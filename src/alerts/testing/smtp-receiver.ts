import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

/**
 * Test support only: a real SMTP server (smtp-server) on 127.0.0.1, port 0, plain (no STARTTLS),
 * with AUTH PLAIN/LOGIN checked against one user. Records each message with its envelope and
 * decodes the headers and text body enough to assert on them.
 */

export interface ReceivedMail {
  mailFrom: string;
  rcptTo: string[];
  headers: Map<string, string>;
  text: string;
  raw: string;
}

export interface SmtpReceiver {
  port: number;
  mails: ReceivedMail[];
  /** Reply codes for the next RCPT TO commands ("550 no such user"), in order. */
  rcptReplies: { code: number; message: string }[];
  close(): Promise<void>;
}

export async function startSmtpReceiver(login: { user: string; pass: string }): Promise<SmtpReceiver> {
  const mails: ReceivedMail[] = [];
  const rcptReplies: { code: number; message: string }[] = [];
  const server = new SMTPServer({
    disabledCommands: ["STARTTLS"],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, cb) {
      if (auth.username === login.user && auth.password === login.pass) cb(null, { user: auth.username });
      else cb(Object.assign(new Error("Authentication credentials invalid"), { responseCode: 535 }));
    },
    onRcptTo(_address, _session, cb) {
      const reply = rcptReplies.shift();
      if (reply === undefined) cb();
      else cb(Object.assign(new Error(reply.message), { responseCode: reply.code }));
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        const from = session.envelope.mailFrom;
        mails.push({ mailFrom: from === false ? "" : from.address, rcptTo: session.envelope.rcptTo.map((r) => r.address), ...parseMail(raw), raw });
        cb(null);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return { port, mails, rcptReplies, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

function parseMail(raw: string): { headers: Map<string, string>; text: string } {
  const split = raw.indexOf("\r\n\r\n");
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, " ");
  const headers = new Map<string, string>();
  for (const line of head.split("\r\n")) {
    const colon = line.indexOf(":");
    headers.set(line.slice(0, colon).toLowerCase(), decodeWords(line.slice(colon + 1).trim()));
  }
  const body = raw.slice(split + 4);
  const encoding = headers.get("content-transfer-encoding")?.toLowerCase();
  const text =
    encoding === "base64"
      ? Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8")
      : encoding === "quoted-printable"
        ? decodeQp(body)
        : body;
  return { headers, text: text.replace(/\r\n/g, "\n") };
}

function decodeQp(s: string): string {
  const bytes = s.replace(/=\r\n/g, "").replace(/=([0-9A-F]{2})/gi, (_m, h: string) => `%${h}`);
  return decodeURIComponent(bytes.replace(/%(?![0-9A-F]{2})/gi, "%25"));
}

/** RFC 2047 encoded words, UTF-8 only (what nodemailer writes). */
function decodeWords(s: string): string {
  return s
    .replace(/\?=\s+=\?/g, "?==?")
    .replace(/=\?utf-8\?([QB])\?([^?]*)\?=/gi, (_m, enc: string, data: string) =>
      enc.toUpperCase() === "B" ? Buffer.from(data, "base64").toString("utf8") : decodeQp(data.replace(/_/g, " ")),
    );
}
