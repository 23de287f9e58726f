/**
 * A webhook receiver for the benchmarks: like src/alerts/testing/http-receiver.ts, but every
 * request is stamped with its arrival time (wall clock and monotonic) the moment its body is
 * complete, so detection latency is measured where the alert lands, not when someone polls.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";

export interface ReceivedAlert {
  /** Date.now() at arrival. */
  at: number;
  /** performance.now() at arrival. */
  mono: number;
  kind: string;
  /** The node's name (label) for node events; "" otherwise. */
  node: string;
  body: { event: { kind: string; at: number; node?: { name: string; address: string }; since?: number; cause?: string } };
}

export interface AlertReceiver {
  origin: string;
  alerts: ReceivedAlert[];
  /** Resolves with the first alert (already received or arriving later) that matches, or null after `timeoutMs`. */
  waitFor(match: (a: ReceivedAlert) => boolean, timeoutMs: number): Promise<ReceivedAlert | null>;
  close(): Promise<void>;
}

export async function startAlertReceiver(): Promise<AlertReceiver> {
  const alerts: ReceivedAlert[] = [];
  const waiters = new Set<(a: ReceivedAlert) => void>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const mono = performance.now();
      const at = Date.now();
      res.writeHead(204).end();
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as ReceivedAlert["body"];
        const a: ReceivedAlert = { at, mono, kind: body.event.kind, node: body.event.node?.name ?? "", body };
        alerts.push(a);
        for (const w of [...waiters]) w(a);
      } catch {
        // Not an alert: ignored (the benchmark counts alerts only).
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    alerts,
    waitFor: (match, timeoutMs) => {
      const already = alerts.find(match);
      if (already !== undefined) return Promise.resolve(already);
      return new Promise((resolve) => {
        const done = (a: ReceivedAlert | null) => {
          clearTimeout(timer);
          waiters.delete(check);
          resolve(a);
        };
        const check = (a: ReceivedAlert) => {
          if (match(a)) done(a);
        };
        const timer = setTimeout(() => done(null), timeoutMs);
        waiters.add(check);
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
