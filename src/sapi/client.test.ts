import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createServer as createHttpServer, type RequestListener } from "node:http";
import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from "node:net";
import { findCoin } from "../coins/index.ts";
import { p2pParamsFor, type P2pParams } from "../p2p/params.ts";
import { startSimulatedNode, type SimulatedNode } from "../sim/smartnode/index.ts";
import { sapiStatus, type SapiResult } from "./client.ts";

const smartcash = p2pParamsFor(findCoin("smartcash")!) as P2pParams;

function brief(r: SapiResult): string {
  return r.status === "up" ? "up" : `down ${r.reason}${r.httpStatus ? ` ${r.httpStatus}` : ""}`;
}

/** A loopback server that tracks its sockets so close() never waits on a client. */
async function listen(server: Server): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

describe("SAPI status against the simulated SmartNode", () => {
  let node: SimulatedNode;
  before(async () => {
    node = await startSimulatedNode({ params: smartcash, height: 2_600_000 });
  });
  after(() => node.close());

  it("is up with version, protocol, blocks and connections", async () => {
    const r = await sapiStatus({ host: node.host, port: node.sapiPort! });
    assert.equal(brief(r), "up", JSON.stringify(r));
    assert.ok(r.status === "up");
    assert.deepEqual([r.version, r.protocolVersion, r.blocks, r.connections], ["2.1.1", 90035, 2_600_000, { in: 0, out: 8 }]);
    assert.ok(typeof r.uptime === "number" && r.uptime >= 0);
  });

  it("follows the node's height", async () => {
    node.set({ height: 2_600_001 });
    const r = await sapiStatus({ host: node.host, port: node.sapiPort! });
    assert.ok(r.status === "up" && r.blocks === 2_600_001);
  });

  it("reports another path as http-status 404", async () => {
    const r = await sapiStatus({ host: node.host, port: node.sapiPort! }, { path: "/v1/client/nothing" });
    assert.equal(brief(r), "down http-status 404");
  });

  it("is up over IPv6 on ::1, bracketed or not", async () => {
    const v6 = await startSimulatedNode({ host: "::1", params: smartcash });
    try {
      assert.equal(brief(await sapiStatus({ host: "::1", port: v6.sapiPort! })), "up");
      assert.equal(brief(await sapiStatus({ host: "[::1]", port: v6.sapiPort! })), "up");
    } finally {
      await v6.close();
    }
  });
});

describe("SAPI status against servers that misbehave", () => {
  const http = (handler: RequestListener) => listen(createHttpServer(handler));
  const json = (body: string, status = 200): RequestListener => (_req, res) => res.writeHead(status, { "Content-Type": "application/json" }).end(body);
  const cases: [string, () => ReturnType<typeof listen>, string, RegExp][] = [
    ["a 500 is http-status", () => http(json("{}", 500)), "down http-status 500", /HTTP 500/],
    ["HTML is bad-body", () => http((_q, s) => s.end("<html>hello</html>")), "down bad-body 200", /not JSON/],
    ["JSON without blocks is bad-body", () => http(json(JSON.stringify({ version: 2010100, connections: 3 }))), "down bad-body 200", /blocks/],
    ["a body over 64 KiB is bad-body", () => http(json(JSON.stringify({ pad: "x".repeat(70_000) }))), "down bad-body 200", /cap/],
    ["a chunked body over 64 KiB is bad-body", () => http((_q, s) => { s.write("x".repeat(40_000)); s.end("y".repeat(40_000)); }), "down bad-body 200", /cap/],
    ["an answer that is not HTTP is bad-body", () => listen(createTcpServer((s) => s.resume().end("SSH-2.0-OpenSSH_9.6\r\n"))), "down bad-body", /not HTTP/],
    ["a reset before answering is reset", () => listen(createTcpServer((s) => s.once("data", () => s.resetAndDestroy()))), "down reset", /ECONNRESET/],
    ["a server that never answers is timeout", () => listen(createTcpServer((s) => s.resume())), "down timeout", /300 ms/],
    ["a body cut short is reset", () => http((_q, s) => { s.writeHead(200, { "Content-Length": "100" }); s.write("{"); setTimeout(() => s.destroy(), 20); }), "down reset", /middle of the body|aborted|ECONNRESET/],
  ];
  for (const [name, start, want, detail] of cases) {
    it(name, async () => {
      const server = await start();
      try {
        const r = await sapiStatus({ host: "127.0.0.1", port: server.port }, { timeoutMs: 300 });
        assert.equal(brief(r), want, JSON.stringify(r));
        assert.match(r.status === "down" ? r.detail : "", detail);
      } finally {
        await server.close();
      }
    });
  }

  it("accepts a version string, a plain connection count and extra fields", async () => {
    const server = await http(json(JSON.stringify({ version: "2.1.1-custom", blocks: 5, connections: 12, extra: { nested: true } })));
    try {
      const r = await sapiStatus({ host: "127.0.0.1", port: server.port });
      assert.deepEqual({ ...r, latencyMs: 0 }, { status: "up", latencyMs: 0, version: "2.1.1-custom", blocks: 5, connections: 12 });
    } finally {
      await server.close();
    }
  });

  it("is refused on a closed port", async () => {
    const server = await listen(createTcpServer());
    await server.close();
    assert.equal(brief(await sapiStatus({ host: "127.0.0.1", port: server.port })), "down refused");
  });

  it("stops with timeout/aborted when the caller aborts", async () => {
    const server = await listen(createTcpServer((s) => s.resume()));
    try {
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 20);
      const r = await sapiStatus({ host: "127.0.0.1", port: server.port }, { signal: ac.signal });
      assert.ok(r.status === "down" && r.reason === "timeout" && r.detail === "aborted");
    } finally {
      await server.close();
    }
  });
});
