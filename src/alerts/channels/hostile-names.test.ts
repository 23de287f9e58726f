import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { dedupeKey } from "../event.ts";
import { alertMessage } from "../render.ts";
import { startAllChannels, type AllChannels } from "../testing/all-channels.ts";
import { MINUTE, noAbort, T0 } from "../testing/fixtures.ts";
import { HOSTILE_NAMES, hostileEvents } from "../testing/hostile.ts";
import type { Receiver } from "../testing/http-receiver.ts";
import { discordProblems, mailProblems, slackProblems, telegramProblems, textProblems } from "../testing/service-limits.ts";
import type { SmtpReceiver } from "../testing/smtp-receiver.ts";

/**
 * Every channel, real receivers on loopback, and node names nobody should have to expect:
 * each alert must be accepted by the receiver and keep within what the real service accepts
 * (header bytes, message limits, valid text), since a message refused once is refused forever.
 */

const MAIL_HEADERS = ["from", "to", "subject", "message-id", "content-transfer-encoding", "date", "mime-version", "content-type", "references", "x-priority", "x-msmail-priority", "importance"];

const sha256 = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");

describe("every channel with hostile node names", () => {
  let all: AllChannels;
  before(async () => {
    all = await startAllChannels();
  });
  after(async () => {
    await all.close();
  });

  const send = async (type: string, name: string, check: (kind: string, request: () => unknown) => void) => {
    const sender = all.senders.get(type)!;
    const { rx, smtp } = all;
    for (const event of hostileEvents(name)) {
      const before = { http: rx.requests.length, mail: smtp.mails.length };
      const r = await sender.send(alertMessage(event, T0 + 45 * MINUTE), noAbort());
      assert.deepEqual(r, { ok: true }, `${event.kind}: ${JSON.stringify(r)}`);
      check(event.kind, () => (type === "email" ? smtp.mails[before.mail] : rx.requests[before.http]));
    }
  };

  for (const { what, name } of HOSTILE_NAMES) {
    it(`webhook: sends only ASCII headers, the delivery id recoverable from them, and the event unchanged (${what})`, async () => {
      await send("webhook", name, (kind, request) => {
        const req = request() as Receiver["requests"][number];
        const body = JSON.parse(req.body) as { id: string; event: { kind: string } };
        for (const [h, v] of Object.entries(req.headers)) assert.match(String(v), /^[\x20-\x7e]*$/, `${kind}: header ${h}`);
        const delivery = String(req.headers["x-nodeward-delivery"]);
        assert.ok(delivery.length <= 256, `${kind}: delivery header of ${delivery.length} characters`);
        const decoded = delivery.startsWith("sha256-") ? delivery : decodeURIComponent(delivery);
        assert.equal(decoded, delivery.startsWith("sha256-") ? `sha256-${sha256(body.id)}` : body.id, kind);
        const event = hostileEvents(name).find((e) => e.kind === kind)!;
        assert.equal(body.id, dedupeKey(event));
        assert.deepEqual(body.event, event);
      });
    });

    it(`discord: keeps every embed within Discord's limits (${what})`, async () => {
      await send("discord", name, (kind, request) => {
        const req = request() as Receiver["requests"][number];
        assert.deepEqual(discordProblems(JSON.parse(req.body) as Parameters<typeof discordProblems>[0]), [], kind);
      });
    });

    it(`telegram: sends valid HTML within 4096 characters (${what})`, async () => {
      await send("telegram", name, (kind, request) => {
        const req = request() as Receiver["requests"][number];
        assert.deepEqual(telegramProblems(JSON.parse(req.body) as Parameters<typeof telegramProblems>[0]), [], kind);
      });
    });

    it(`slack: keeps every block within Slack's limits (${what})`, async () => {
      await send("slack", name, (kind, request) => {
        const req = request() as Receiver["requests"][number];
        assert.deepEqual(slackProblems(JSON.parse(req.body) as Parameters<typeof slackProblems>[0]), [], kind);
      });
    });

    it(`email: writes one clean subject line and no header of its own making (${what})`, async () => {
      await send("email", name, (kind, request) => {
        const mail = request() as SmtpReceiver["mails"][number];
        assert.deepEqual(mailProblems(mail.raw, mail.headers.get("subject"), MAIL_HEADERS), [], kind);
        assert.deepEqual(textProblems(mail.text, "text"), [], kind);
      });
    });
  }
});
