import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { netviewSchema, parseService } from "./config.ts";

describe("netview config", () => {
  it("refuses a peer whose port is not 1–65535, naming it", () => {
    for (const peer of ["198.51.100.7:0", "198.51.100.7:99999"]) {
      const r = netviewSchema.safeParse({ peers: [peer] });
      assert.equal(r.success, false);
      assert.match(r.error!.issues[0]!.message, /out of range 1–65535/);
    }
    assert.deepEqual(netviewSchema.parse({ peers: ["[2001:db8::7]:9678", "seed.example:9678"] }).peers, ["[2001:db8::7]:9678", "seed.example:9678"]);
  });

  it("keeps a hostile peer string short in its message", () => {
    const r = netviewSchema.safeParse({ peers: [`${"x".repeat(10_000)}\r\n:9678`] });
    assert.equal(r.success, false);
    assert.ok(r.error!.issues[0]!.message.length < 200);
  });

  it("parses smartnode.conf's IP:port, IPv6 in brackets", () => {
    assert.deepEqual(parseService("203.0.113.5:9678"), { ok: true, ip: "203.0.113.5", port: 9678 });
    assert.deepEqual(parseService("[2001:db8::5]:9678"), { ok: true, ip: "2001:db8::5", port: 9678 });
    assert.equal(parseService("203.0.113.5").ok, false);
    assert.equal(parseService("999.0.113.5:9678").ok, false);
    assert.equal(parseService("203.0.113.5:70000").ok, false);
  });
});
