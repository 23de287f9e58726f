/**
 * The simulated node's SAPI: `GET /v1/client/status` answers with the fields of SmartCash's
 * client_status (src/sapi/sapi_common.cpp): started, uptime, version (CLIENT_VERSION, a number),
 * protocolversion, blocks, time, timeoffset, connections {in, out}, testnet. Anything else is 404.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface SapiStatusBody {
  started: number;
  uptime: number;
  version: number;
  protocolversion: number;
  blocks: number;
  time: number;
  timeoffset: number;
  connections: { in: number; out: number };
  testnet: boolean;
}

export const STATUS_PATH = "/v1/client/status";

/** "/SmartCash Core:2.1.1/" → 2010100 (clientversion.h: 1000000·major + 10000·minor + 100·revision + build). */
export function clientVersionOf(userAgent: string): number {
  const m = /:(\d+)\.(\d+)\.(\d+)(?:\.(\d+))?/.exec(userAgent);
  if (m === null) return 0;
  const [major, minor, revision, build] = [m[1], m[2], m[3], m[4]].map((x) => Number(x ?? 0)) as [number, number, number, number];
  return major * 1_000_000 + minor * 10_000 + revision * 100 + build;
}

export interface SapiListener {
  port: number;
  close(): Promise<void>;
}

export async function listenSapi(host: string, port: number, status: () => SapiStatusBody): Promise<SapiListener> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    const body = req.method === "GET" && path === STATUS_PATH ? JSON.stringify(status()) : undefined;
    res.setHeader("Connection", "close");
    if (body === undefined) {
      res.writeHead(404, { "Content-Type": "application/json" }).end(JSON.stringify({ error: { code: 404, message: "Not found" } }));
    } else {
      res.writeHead(200, { "Content-Type": "application/json" }).end(body);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
