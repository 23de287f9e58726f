import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { allowedNames, hostName, misdirected, refusedHost } from "./allowed-hosts.ts";

describe("allowed hosts", () => {
  it("reads the name out of a Host header, refusing what is not one", () => {
    const cases: [string, string | null][] = [
      ["127.0.0.1:9797", "127.0.0.1"],
      ["LocalHost", "localhost"],
      ["[::1]:9797", "::1"],
      ["[2001:DB8::1]", "2001:db8::1"],
      ["nodes.example.", "nodes.example"],
      ["", null],
      [" ", null],
      ["a b", null],
      ["127.0.0.1:9797@evil.example", null],
      ["evil.example/x", null],
      ["[evil.example]:80", null],
      ["host:99999999", null],
    ];
    for (const [header, name] of cases) assert.equal(hostName(header), name, JSON.stringify(header));
  });

  it("answers localhost, the listen host, IP literals and configured names, and nothing that only starts or ends like them", () => {
    const names = allowedNames("watcher.lan", { allowed: ["Nodes.Example."], forwarded: false });
    assert.deepEqual([...names].sort(), ["localhost", "nodes.example", "watcher.lan"]);
    for (const ok of ["localhost:1", "watcher.lan:9797", "nodes.example", "10.0.0.1", "[fe80::1]:9797"]) assert.equal(refusedHost({ host: ok }, names, false), null, ok);
    for (const bad of ["127.0.0.1.evil.example", "localhost.evil.example", "evil-nodes.example", "nodes.example.evil", ""]) assert.equal(refusedHost({ host: bad }, names, false), bad, bad);
    assert.equal(refusedHost({}, names, false), "", "no Host at all");
    assert.deepEqual([...allowedNames("0.0.0.0", { allowed: [], forwarded: false })], ["localhost"], "an IP listen address adds no name");
  });

  it("checks every forwarded host only behind a trusted proxy", () => {
    const names = allowedNames("127.0.0.1", { allowed: ["nodes.example"], forwarded: true });
    assert.equal(refusedHost({ host: "127.0.0.1:9797", "x-forwarded-host": "evil.example" }, names, false), null, "not trusted: ignored");
    assert.equal(refusedHost({ host: "127.0.0.1:9797", "x-forwarded-host": "evil.example" }, names, true), "evil.example");
    assert.equal(refusedHost({ host: "127.0.0.1:9797", "x-forwarded-host": "nodes.example, evil.example" }, names, true), " evil.example");
    assert.equal(refusedHost({ host: "127.0.0.1:9797", "x-forwarded-host": "nodes.example:443" }, names, true), null);
  });

  it("says what came, what is answered and what to do, with the value made printable and short", () => {
    const text = misdirected(`evil\u001b]0;x\u0007${"a".repeat(300)}`, new Set(["localhost"]));
    assert.match(text, /^Refused: this server does not answer for Host "evil\?\]0;x\?a+"; it answers for IP addresses and localhost \(any port\)\. .*watch\.allowedHosts/);
    assert.ok(text.length < 400);
    assert.match(misdirected("", new Set(["localhost"])), /for Host \(none\)/);
  });
});
