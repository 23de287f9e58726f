import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { alertMessage } from "../render.ts";
import { startAllChannels, type AllChannels } from "../testing/all-channels.ts";
import { downEvent, MINUTE, noAbort, T0 } from "../testing/fixtures.ts";

/**
 * An alert whose earlier attempt was cut off (nodeward killed during the send) goes out once more;
 * wherever it lands, the reader must be able to tell it may be a second copy.
 */
describe("a possible duplicate, as each channel delivers it", () => {
  let all: AllChannels;
  before(async () => {
    all = await startAllChannels();
  });
  after(async () => {
    await all.close();
  });

  const NOTE = /Possible duplicate: nodeward stopped while sending this alert and cannot tell whether it arrived, so it is sent again\./;

  const sendBoth = async (type: string) => {
    const sender = all.senders.get(type)!;
    const start = { http: all.rx.requests.length, mail: all.smtp.mails.length };
    for (const possibleDuplicate of [false, true]) {
      assert.deepEqual(await sender.send(alertMessage(downEvent(), T0 + 5 * MINUTE, {}, { possibleDuplicate }), noAbort()), { ok: true });
    }
    return { http: all.rx.requests.slice(start.http), mail: all.smtp.mails.slice(start.mail) };
  };

  it("webhook: the same id, possibleDuplicate true in the body and a header saying so", async () => {
    const { http } = await sendBoth("webhook");
    const [first, second] = http.map((r) => ({ body: JSON.parse(r.body) as { id: string; possibleDuplicate: boolean; text: string }, headers: r.headers }));
    assert.equal(first?.body.possibleDuplicate, false);
    assert.equal(first?.headers["x-nodeward-possible-duplicate"], undefined);
    assert.equal(second?.body.possibleDuplicate, true);
    assert.equal(second?.headers["x-nodeward-possible-duplicate"], "true");
    assert.equal(second?.body.id, first?.body.id);
    assert.equal(second?.headers["x-nodeward-delivery"], first?.headers["x-nodeward-delivery"]);
    assert.match(second?.body.text ?? "", NOTE);
  });

  it("discord: a visible note in the embed", async () => {
    const { http } = await sendBoth("discord");
    const embeds = http.map((r) => (JSON.parse(r.body) as { embeds: { title: string; description: string }[] }).embeds[0]!);
    assert.doesNotMatch(embeds[0]!.description, NOTE);
    assert.match(embeds[1]!.title, /\(possible duplicate\)$/);
    assert.match(embeds[1]!.description, NOTE);
  });

  it("telegram: a visible note in the message", async () => {
    const { http } = await sendBoth("telegram");
    const texts = http.map((r) => (JSON.parse(r.body) as { text: string }).text);
    assert.doesNotMatch(texts[0]!, NOTE);
    assert.match(texts[1]!, /^<b>DOWN: sn-ams-1 — EXPIRED in 58 min \(possible duplicate\)<\/b>/);
    assert.match(texts[1]!, NOTE);
  });

  it("slack: a visible note in the text and the blocks", async () => {
    const { http } = await sendBoth("slack");
    const bodies = http.map((r) => JSON.parse(r.body) as { text: string; blocks: { text?: { text: string } }[] });
    assert.doesNotMatch(bodies[0]!.text, NOTE);
    assert.match(bodies[1]!.text, NOTE);
    assert.match(bodies[1]!.blocks[1]?.text?.text ?? "", NOTE);
  });

  it("email: the subject and the body say so", async () => {
    const { mail } = await sendBoth("email");
    assert.equal(mail[0]?.headers.get("subject"), "DOWN: sn-ams-1 — EXPIRED in 58 min");
    assert.equal(mail[1]?.headers.get("subject"), "DOWN: sn-ams-1 — EXPIRED in 58 min (possible duplicate)");
    assert.match(mail[1]?.text ?? "", NOTE);
  });
});
