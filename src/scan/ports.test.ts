import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { smartcash } from "../coins/smartcash.ts";
import { parsePorts, probeOrder, tcpPortsOf, TOP_TCP_PORTS } from "./ports.ts";

describe("parsePorts", () => {
  const ok: Array<[string, number[] | undefined, number[]]> = [
    ["22", undefined, [22]],
    ["22,80,443", undefined, [22, 80, 443]],
    ["443, 22 ,80", undefined, [22, 80, 443]],
    ["8000-8003", undefined, [8000, 8001, 8002, 8003]],
    ["8000 - 8001", undefined, [8000, 8001]],
    ["80,22,80,79-81", undefined, [22, 79, 80, 81]],
    ["1", undefined, [1]],
    ["65535", undefined, [65535]],
    ["5-5", undefined, [5]],
    ["coin", [9678, 8080], [8080, 9678]],
    ["coin,22", [9678, 8080], [22, 8080, 9678]],
    ["COIN", [9678], [9678]],
  ];
  for (const [spec, coin, expected] of ok) {
    it(`reads "${spec}"${coin ? ` with coin ports ${coin.join(",")}` : ""} as ${expected.join(",")}`, () => {
      assert.deepEqual(parsePorts(spec, coin), expected);
    });
  }

  it("reads all as every port from 1 to 65535", () => {
    const all = parsePorts("all");
    assert.ok(Array.isArray(all));
    assert.equal(all.length, 65535);
    assert.equal(all[0], 1);
    assert.equal(all.at(-1), 65535);
  });

  it("reads top as the built-in list, sorted, with the masternode ports in it", () => {
    const top = parsePorts("top");
    assert.ok(Array.isArray(top));
    assert.equal(top.length, TOP_TCP_PORTS.length);
    for (const p of [22, 80, 443, 3389, 8080, 9678, 9679, 9999]) assert.ok(top.includes(p), String(p));
    assert.deepEqual(top, [...top].sort((a, b) => a - b));
  });

  it("keeps the top list free of duplicates and inside the port range", () => {
    assert.equal(new Set(TOP_TCP_PORTS).size, TOP_TCP_PORTS.length);
    assert.ok(TOP_TCP_PORTS.every((p) => Number.isInteger(p) && p >= 1 && p <= 65535));
    assert.ok(TOP_TCP_PORTS.length >= 100);
  });

  it("merges all with anything else without duplicates", () => {
    const r = parsePorts("top,all,22");
    assert.ok(Array.isArray(r));
    assert.equal(r.length, 65535);
  });

  const bad: Array<[string, number[] | undefined, RegExp]> = [
    ["", undefined, /no ports given/],
    [" , ", undefined, /no ports given/],
    ["0", undefined, /0 is not a TCP port; ports are 1–65535/],
    ["65536", undefined, /65536 is not a TCP port/],
    ["22,,80", undefined, /empty item/],
    ["90-80", undefined, /runs backwards; write 80-90/],
    ["8000:8080", undefined, /with a dash, e\.g\. 8000-8080/],
    ["ssh", undefined, /"ssh": not a port/],
    ["-5", undefined, /not a port/],
    ["1e3", undefined, /not a port/],
    ["coin", undefined, /"coin" needs a coin profile/],
    ["coin", [], /"coin" needs a coin profile/],
    ["coin", [70000], /the coin's port 70000 is not a TCP port/],
  ];
  for (const [spec, coin, message] of bad) {
    it(`refuses "${spec}"${coin ? ` with coin ports [${coin.join(",")}]` : ""} with a clear error`, () => {
      const r = parsePorts(spec, coin);
      assert.ok(!Array.isArray(r), `expected an error, got ${JSON.stringify(r)}`);
      assert.match(r.error, message);
    });
  }
});

describe("tcpPortsOf", () => {
  it("takes SmartCash's P2P and SAPI ports from its profile", () => {
    assert.deepEqual(tcpPortsOf(smartcash.ports), [8080, 9678]);
  });

  it("expands ranges and leaves UDP out", () => {
    assert.deepEqual(
      tcpPortsOf([
        { protocol: "tcp", port: 8000, portEnd: 8002, purpose: "x", why: "x" },
        { protocol: "udp", port: 53, purpose: "x", why: "x" },
        { protocol: "tcp", port: 8001, purpose: "x", why: "x" },
      ]),
      [8000, 8001, 8002],
    );
  });
});

describe("probeOrder", () => {
  it("sends the common ports first, then the rest ascending, each exactly once", () => {
    const order = probeOrder([1, 2, 22, 80, 9678, 40000, 3]);
    assert.deepEqual(order, [9678, 80, 22, 1, 2, 3, 40000]);
  });

  it("keeps every port of a full scan", () => {
    const all = parsePorts("all");
    assert.ok(Array.isArray(all));
    const order = probeOrder(all);
    assert.equal(order.length, 65535);
    assert.equal(new Set(order).size, 65535);
    assert.equal(order[0], 9678);
  });
});
