import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { startReceiver } from "../src/alerts/testing/http-receiver.ts";

/**
 * Issue 12, item 9: kill -9 during a send delivered the same alert twice, the second copy looking
 * like a new alert. A real sender process (test/fixtures/alert-sender.ts: SQLite outbox, webhook
 * channel, dispatcher) posts to a real receiver that holds the request open; the process is
 * killed with SIGKILL while the request is in flight, then started again on the same database.
 */
const ROOT = new URL("..", import.meta.url).pathname;
const SENDER = join(ROOT, "test", "fixtures", "alert-sender.ts");

interface Run {
  child: ChildProcess;
  out: () => string;
}

function start(path: string, url: string): Run {
  const child = spawn(process.execPath, ["--import", "tsx", SENDER, path, url], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
  return { child, out: () => out };
}

async function finish(run: Run): Promise<string> {
  const guard = setTimeout(() => run.child.kill("SIGKILL"), 60_000);
  const [code] = (await once(run.child, "exit")) as [number | null];
  clearTimeout(guard);
  assert.equal(code, 0, run.out());
  return run.out();
}

const until = async (what: string, cond: () => boolean, ms = 60_000) => {
  for (const end = Date.now() + ms; !cond(); ) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe("alert delivery killed with SIGKILL during the send", () => {
  it("sends the alert once more after the restart, marked as a possible duplicate with the same id, and never a third time", { timeout: 180_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "nodeward-alert-kill-"));
    const path = join(dir, "nodeward.db");
    const rx = await startReceiver({ status: 204 });
    const url = `${rx.origin}/hook`;
    try {
      rx.replies.push("hang");
      const killed = start(path, url);
      await until("the first request to reach the receiver", () => rx.requests.length === 1);
      killed.child.kill("SIGKILL");
      const [, signal] = (await once(killed.child, "exit")) as [number | null, string | null];
      assert.equal(signal, "SIGKILL", killed.out());
      assert.doesNotMatch(killed.out(), /^done/m, "the first sender never finished");

      const raw = new Database(path, { readonly: true });
      const open = raw.prepare("SELECT sending_at IS NOT NULL AS open, sent_at FROM outbox").all();
      raw.close();
      assert.deepEqual(open, [{ open: 1, sent_at: null }], "the attempt was recorded before the send and left open by the kill");

      const second = await finish(start(path, url));
      assert.match(second, /^queued 0$/m, "the alert was not queued anew");
      assert.match(second, /to "hook": the attempt started at .* was cut off \(nodeward stopped during the send\): it may have arrived; sending it again, marked as a possible duplicate/);
      assert.match(second, /^done \{"sent":1,"failed":0,"dead":0,"deferred":0,"remaining":0\}$/m);
      assert.equal(rx.requests.length, 2);
      const [first, again] = rx.requests.map((r) => ({ body: JSON.parse(r.body) as { id: string; possibleDuplicate: boolean; text: string }, headers: r.headers }));
      assert.equal(first!.body.possibleDuplicate, false);
      assert.equal(first!.headers["x-nodeward-possible-duplicate"], undefined);
      assert.equal(again!.body.possibleDuplicate, true);
      assert.equal(again!.headers["x-nodeward-possible-duplicate"], "true");
      assert.equal(again!.body.id, first!.body.id, "the same delivery id: a receiver that dedupes drops it");
      assert.equal(again!.headers["x-nodeward-delivery"], first!.headers["x-nodeward-delivery"]);
      assert.match(again!.body.text, /Possible duplicate: nodeward stopped while sending this alert/);

      const third = await finish(start(path, url));
      assert.match(third, /^done \{"sent":0,"failed":0,"dead":0,"deferred":0,"remaining":0\}$/m);
      assert.equal(rx.requests.length, 2, "not delivered a third time");
    } finally {
      await rx.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
