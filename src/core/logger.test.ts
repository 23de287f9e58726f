import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { createLogger, prettyLine } from "./logger.ts";
import { Redactor } from "./redact.ts";

function capture() {
  const lines: string[] = [];
  const out = new Writable({ write(c: Buffer, _e, cb) { lines.push(c.toString()); cb(); } });
  return { lines, out };
}

describe("the logger", () => {
  it("writes JSON lines with the secrets redacted", async () => {
    const r = new Redactor();
    r.add("hunter2-super-secret-token");
    const { lines, out } = capture();
    const log = createLogger({ level: "info", pretty: false, redactor: r, out });
    log.info({ url: "https://hooks.example/hunter2-super-secret-token" }, "sent");
    log.debug("hidden");
    await new Promise((res) => setImmediate(res));
    assert.equal(lines.length, 1);
    const o = JSON.parse(lines[0]!) as { level: string; msg: string; url: string };
    assert.equal(o.level, "info");
    assert.equal(o.url, "https://hooks.example/[REDACTED]");
  });

  it("prints a short line on a terminal", () => {
    assert.equal(prettyLine('{"time":"2026-11-26T12:00:01.000Z","level":"warn","msg":"node down","node":"sn-1","minutesLeft":50}'), "12:00:01 WARN  node down  node=sn-1 minutesLeft=50\n");
  });

  it("shows the controls of a hostile node name on a terminal instead of sending them", () => {
    const json = JSON.stringify({ time: "2026-11-26T12:00:01.000Z", level: "warn", msg: "node down\u001b[2J", node: "evil\u001b]0;PWNED\u0007\r\nFAKE", tags: ["\u202e"] });
    assert.equal(prettyLine(json), String.raw`12:00:01 WARN  node down\e[2J  node=evil\e]0;PWNED\a\r\nFAKE tags=["\u202e"]` + "\n");
  });
});
