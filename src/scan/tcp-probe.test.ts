import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:net";
import { tcpProbe } from "./tcp-probe.ts";
import { closedPort, listenOn } from "./loopback.test-support.ts";

describe("tcpProbe on loopback", () => {
  let server: Server;
  let port: number;
  let accepted = 0;

  before(async () => {
    server = createServer((s) => {
      accepted += 1;
      s.on("error", () => undefined);
      s.destroy();
    });
    port = await listenOn(server, "127.0.0.1");
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("reads a listening port as open, connected, with a round trip", async () => {
    const out = await tcpProbe({ address: "127.0.0.1", family: 4 }, port, 2000, new AbortController().signal);
    assert.equal(out.kind, "answer");
    assert.ok(out.kind === "answer" && out.state === "open" && out.reason === "connected" && out.timing && out.rttMs >= 0);
  });

  it("reads a port nobody listens on as closed, refused", async () => {
    const free = await closedPort("127.0.0.1");
    const out = await tcpProbe({ address: "127.0.0.1", family: 4 }, free, 2000, new AbortController().signal);
    assert.deepEqual(out.kind === "answer" ? [out.state, out.reason, out.timing] : out, ["closed", "refused", true]);
  });

  it("closes the connection it opened, so the server sees it end", async () => {
    const before = accepted;
    await tcpProbe({ address: "127.0.0.1", family: 4 }, port, 2000, new AbortController().signal);
    for (let i = 0; i < 50 && accepted === before; i += 1) await new Promise((r) => setTimeout(r, 10));
    assert.equal(accepted, before + 1);
  });

  it("sends nothing when the signal is already aborted", async () => {
    const out = await tcpProbe({ address: "127.0.0.1", family: 4 }, port, 2000, AbortSignal.abort());
    assert.deepEqual(out, { kind: "aborted" });
  });
});
