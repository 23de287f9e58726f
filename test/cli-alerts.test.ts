import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { startReceiver } from "../src/alerts/testing/http-receiver.ts";
import { runCli, tempProject } from "./helpers/cli.ts";

const base = "version: 1\ncoin: smartcash\nnodes: { tags: [smartnode] }\n";

describe("nodeward alerts test", () => {
  it("sends a test alert to each channel and says what each answered", async () => {
    const ok = await startReceiver({ status: 204 });
    const broken = await startReceiver({ status: 403, body: "forbidden" });
    const p = tempProject(`${base}alerts:
  channels:
    - { type: webhook, name: good, url: "${ok.origin}/hook", secret: { env: HOOK_SECRET } }
    - { type: slack, name: bad, webhookUrl: "${broken.origin}/services/T000/B000/XXXXXXXXXXXXXXXXXXXXXXXX" }
`);
    try {
      const r = await runCli(["alerts", "test"], { cwd: p.dir, env: { HOOK_SECRET: "s3cret-hmac-key-0123456789" } });
      assert.equal(r.code, 1, "one channel failed");
      assert.match(r.stdout, /sent\s+good \(webhook\)/);
      assert.match(r.stdout, /failed\s+bad \(slack\): .*403/);
      assert.equal(ok.requests.length, 1);
      assert.match(ok.requests[0]!.headers["x-nodeward-signature"] as string, /^sha256=[0-9a-f]{64}$/);
      assert.equal((JSON.parse(ok.requests[0]!.body) as { event: { kind: string } }).event.kind, "test");
      assert.equal((r.stdout + r.stderr).includes("XXXXXXXXXXXXXXXXXXXXXXXX"), false, "the webhook URL's secret part is never printed");

      const one = await runCli(["alerts", "test", "good"], { cwd: p.dir, env: { HOOK_SECRET: "s3cret-hmac-key-0123456789" } });
      assert.equal(one.code, 0, one.stderr);
    } finally {
      p.cleanup();
      await ok.close();
      await broken.close();
    }
  });

  it("refuses to start with a channel whose secret cannot be read, naming the channel", async () => {
    const p = tempProject(`${base}alerts:\n  channels:\n    - { type: discord, name: ops, webhookUrl: { env: NOT_SET_ANYWHERE } }\n`);
    try {
      const r = await runCli(["alerts", "test"], { cwd: p.dir });
      assert.equal(r.code, 1);
      assert.match(r.stderr, /ops/);
      assert.match(r.stderr, /NOT_SET_ANYWHERE/);
    } finally {
      p.cleanup();
    }
  });
});
