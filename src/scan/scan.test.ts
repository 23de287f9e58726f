import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:net";
import { isAppError } from "../core/errors.ts";
import { closedPort, hasIpv6Loopback, listenOn } from "./loopback.test-support.ts";
import { scanHost, scanHostFamilies } from "./scan.ts";
import type { ScanProgress } from "./types.ts";

/** Real sockets against loopback only: listeners this test starts, ports it just released. */
for (const host of ["127.0.0.1", "::1"] as const) {
  describe(`scanHost on ${host}`, () => {
    let server: Server | undefined;
    let openPort = 0;
    let shutPort = 0;
    let skip: string | false = false;

    before(async () => {
      if (host === "::1" && !(await hasIpv6Loopback())) {
        skip = "this machine has no ::1";
        return;
      }
      server = createServer((s) => s.destroy());
      openPort = await listenOn(server, host);
      shutPort = await closedPort(host);
    });
    after(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

    it("reads the listening port as open and the released one as closed", async (t) => {
      if (skip) return t.skip(skip);
      const progress: ScanProgress[] = [];
      const r = await scanHost(host, { ports: [shutPort, openPort], onProgress: (p) => progress.push(p) });
      assert.equal(r.host, host);
      assert.equal(r.address, host);
      assert.equal(r.family, host === "::1" ? 6 : 4);
      assert.equal(r.aborted, false);
      assert.deepEqual(
        r.ports.map((p) => ({ port: p.port, state: p.state, reason: p.reason, tries: p.tries })),
        [
          { port: shutPort, state: "closed", reason: "refused", tries: 1 },
          { port: openPort, state: "open", reason: "connected", tries: 1 },
        ].sort((a, b) => a.port - b.port),
      );
      assert.ok(r.rttMs !== undefined && r.rttMs >= 0 && r.rttMs < 1000, String(r.rttMs));
      assert.deepEqual(progress.at(-1), { done: 2, total: 2, open: 1 });
      assert.ok(r.probes >= 2 && r.probes <= 3, `${r.probes} probes (2, or 3 with one timing ping)`);
    });

    it("resolves quickly, with only decided ports, when aborted mid-scan", async (t) => {
      if (skip) return t.skip(skip);
      const ac = new AbortController();
      const started = Date.now();
      const r = await scanHost(host, {
        ports: Array.from({ length: 65535 }, (_, i) => i + 1),
        concurrency: 8,
        signal: ac.signal,
        onProgress: (p) => {
          if (p.done === 200) ac.abort();
        },
      });
      assert.equal(r.aborted, true);
      assert.ok(r.ports.length >= 200 && r.ports.length < 65535, String(r.ports.length));
      assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
      for (let i = 1; i < r.ports.length; i += 1) assert.ok(r.ports[i - 1]!.port < r.ports[i]!.port);
    });
  });
}

describe("scanHost options and names", () => {
  it("refuses an empty port list before sending anything", async () => {
    await assert.rejects(scanHost("127.0.0.1", { ports: [] }), (e: unknown) => isAppError(e) && e.code === "USAGE");
  });

  it("scans localhost by name, once per family it resolves to", async () => {
    const free = await closedPort("127.0.0.1");
    const reports = await scanHostFamilies("localhost", { ports: [free] });
    assert.ok(reports.length >= 1 && reports.length <= 2);
    assert.ok(reports.every((r) => r.host === "localhost" && r.ports.length === 1));
    assert.deepEqual(
      reports.map((r) => r.family),
      [...reports.map((r) => r.family)].sort(),
    );
  });

  it("uses the concurrency it was given and says so in the report", async () => {
    const free = await closedPort("127.0.0.1");
    const r = await scanHost("127.0.0.1", { ports: [free], concurrency: 3 });
    assert.equal(r.concurrency, 3);
  });
});
