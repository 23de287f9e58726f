import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createServer, type AddressInfo } from "node:net";
import { findCoin } from "../coins/index.ts";
import { startSimulatedNode, type SimulatedNode } from "../sim/smartnode/index.ts";
import { handshake, type HandshakeResult } from "./handshake.ts";
import { p2pParamsFor, type P2pParams } from "./params.ts";

const smartcash = p2pParamsFor(findCoin("smartcash")!) as P2pParams;
const FAST = { timeoutMs: 400 };

function brief(r: HandshakeResult): string {
  return r.status === "up" ? "up" : `down ${r.reason} in ${r.phase}`;
}

describe("handshake against the simulated SmartNode", () => {
  let node: SimulatedNode;
  before(async () => {
    node = await startSimulatedNode({ params: smartcash, sapiPort: false, height: 2_345_678, slowMs: 150 });
  });
  after(() => node.close());
  const target = () => ({ host: node.host, port: node.p2pPort });

  it("is up with the node's height, user agent, protocol and services", async () => {
    node.set({ behaviour: "normal" });
    const r = await handshake(target(), smartcash, FAST);
    assert.equal(r.status, "up", JSON.stringify(r));
    assert.deepEqual({ ...r, latencyMs: 0 }, {
      status: "up",
      latencyMs: 0,
      protocolVersion: 90035,
      userAgent: "/SmartCash Core:2.1.1/",
      services: "0000000000000005",
      startHeight: 2_345_678,
      relay: true,
    });
    assert.ok(r.latencyMs >= 0 && r.latencyMs < 400);
  });

  it("counts the completed handshake on the node once our verack arrives", async () => {
    node.set({ behaviour: "normal" });
    const before = node.stats().handshakes;
    await handshake(target(), smartcash, FAST);
    for (let i = 0; i < 50 && node.stats().handshakes === before; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(node.stats().handshakes, before + 1);
  });

  it("reports what the node says after set()", async () => {
    node.set({ behaviour: "normal", height: 7, userAgent: "/SmartCash Core:2.1.0/", protocolVersion: 90034 });
    const r = await handshake(target(), smartcash, FAST);
    node.set({ height: 2_345_678, userAgent: "/SmartCash Core:2.1.1/", protocolVersion: 90035 });
    assert.ok(r.status === "up");
    assert.deepEqual([r.startHeight, r.userAgent, r.protocolVersion], [7, "/SmartCash Core:2.1.0/", 90034]);
  });

  const cases: [string, Parameters<SimulatedNode["set"]>[0], string, RegExp][] = [
    ["a silent node times out waiting for its version", { behaviour: "silent" }, "down timeout in version", /no version within 400 ms/],
    ["a node answering with another network's magic is bad-magic", { behaviour: "wrong-magic" }, "down bad-magic in version", /expected magic 5ca1ab1e, got a35e54e1.*'version' frame/],
    ["a node framing like Bitcoin fails the Keccak checksum", { behaviour: "bitcoin-framing" }, "down bad-checksum in version", /sha256d checksum/],
    ["a node answering HTTP is garbage", { behaviour: "garbage" }, "down garbage in version", /not a P2P frame/],
    ["a node that resets is reset", { behaviour: "reset" }, "down reset in version", /ECONNRESET|EPIPE/],
    ["a node below our minimum protocol is protocol-too-old", { behaviour: "normal", protocolVersion: 90033 }, "down protocol-too-old in version", /90033.*90034/],
  ];
  for (const [name, settings, want, detail] of cases) {
    it(name, async () => {
      node.set(settings);
      const r = await handshake(target(), smartcash, FAST);
      node.set({ behaviour: "normal", protocolVersion: 90035 });
      assert.equal(brief(r), want, JSON.stringify(r));
      assert.match(r.status === "down" ? r.detail : "", detail);
    });
  }

  it("is up through a slow node when the delay fits the phase deadline", async () => {
    node.set({ behaviour: "slow" });
    const r = await handshake(target(), smartcash, FAST);
    node.set({ behaviour: "normal" });
    assert.equal(brief(r), "up");
    assert.ok(r.status === "up" && r.latencyMs >= 140, String(r.status === "up" && r.latencyMs));
  });

  it("times out in the version phase when the slow node is slower than the deadline", async () => {
    node.set({ behaviour: "slow" });
    const r = await handshake(target(), smartcash, { timeoutMs: 60 });
    node.set({ behaviour: "normal" });
    assert.equal(brief(r), "down timeout in version");
  });

  it("is rejected with 0x11 and SmartCash's reason when our protocol is too old", async () => {
    node.set({ behaviour: "normal" });
    const rejects = node.stats().rejects;
    const r = await handshake(target(), { ...smartcash, protocolVersion: 90033 }, FAST);
    assert.equal(brief(r), "down rejected in version");
    assert.ok(r.status === "down");
    assert.equal(r.rejectCode, 0x11);
    assert.equal(r.rejectReason, "Version must be 90034 or greater");
    assert.equal(node.stats().rejects, rejects + 1);
  });

  it("takes its phase deadlines from the injected clock", async () => {
    node.set({ behaviour: "silent" });
    let now = 1_000;
    const clock = { now: () => now, sleep: async (ms: number) => { await new Promise((r) => setTimeout(r, 20)); now += ms; } };
    const r = await handshake(target(), smartcash, { timeoutMs: 60_000, clock });
    node.set({ behaviour: "normal" });
    assert.equal(brief(r), "down timeout in version");
    assert.match(r.status === "down" ? r.detail : "", /^no version within 60000 ms$/);
  });

  it("stops with timeout/aborted when the caller aborts", async () => {
    node.set({ behaviour: "silent" });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 30);
    const r = await handshake(target(), smartcash, { timeoutMs: 5000, signal: ac.signal });
    node.set({ behaviour: "normal" });
    assert.equal(brief(r), "down timeout in version");
    assert.ok(r.status === "down" && r.detail === "aborted");
  });
});

describe("handshake on other addresses", () => {
  it("is up over IPv6 on ::1", async () => {
    const node = await startSimulatedNode({ host: "::1", params: smartcash, sapiPort: false });
    try {
      const r = await handshake({ host: "::1", port: node.p2pPort }, smartcash, FAST);
      assert.equal(brief(r), "up");
      const bracketed = await handshake({ host: "[::1]", port: node.p2pPort }, smartcash, FAST);
      assert.equal(brief(bracketed), "up");
    } finally {
      await node.close();
    }
  });

  it("is refused on a closed port", async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((r) => server.close(() => r()));
    const r = await handshake({ host: "127.0.0.1", port }, smartcash, FAST);
    assert.equal(brief(r), "down refused in connect");
  });

  it("rejects options nodeward got wrong instead of probing", async () => {
    await assert.rejects(handshake({ host: "127.0.0.1", port: 0 }, smartcash), /port must be 1–65535/);
    await assert.rejects(handshake({ host: "127.0.0.1", port: 9678 }, smartcash, { userAgent: "x".repeat(300) }), /at most 256 bytes/);
  });

  it("is closed when the peer hangs up without a word", async () => {
    const server = createServer((s) => s.resume().end());
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const r = await handshake({ host: "127.0.0.1", port: (server.address() as AddressInfo).port }, smartcash, FAST);
      assert.equal(brief(r), "down closed in version");
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
