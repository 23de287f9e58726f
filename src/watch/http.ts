import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Registry } from "prom-client";
import { allowedNames, misdirected, refusedHost, type HostRule } from "./allowed-hosts.ts";

export interface WatchHttpRoutes {
  metrics: Registry;
  health: () => { ok: boolean; body: object };
  /** Further routes (the dashboard) get a turn first; return true when handled. */
  extra?: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
}

/**
 * /healthz and /metrics on the configured address (loopback by default). Every route, the
 * dashboard's too, answers only for the hosts it serves (allowed-hosts.ts); others get 421.
 */
export async function startWatchHttp(host: string, port: number, routes: WatchHttpRoutes, hosts: HostRule = { allowed: [], forwarded: false }): Promise<{ server: Server; url: string; close(): Promise<void> }> {
  const names = allowedNames(host, hosts);
  const server = createServer((req, res) => {
    void (async () => {
      try {
        const refused = refusedHost(req.headers, names, hosts.forwarded);
        if (refused !== null) {
          res.writeHead(421, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", connection: "close" });
          res.end(misdirected(refused, names));
          return;
        }
        if (routes.extra && (await routes.extra(req, res))) return;
        const path = (req.url ?? "/").split("?")[0];
        if (req.method === "GET" && path === "/healthz") {
          const h = routes.health();
          res.writeHead(h.ok ? 200 : 503, { "content-type": "application/json", "cache-control": "no-store" });
          res.end(JSON.stringify(h.body));
        } else if (req.method === "GET" && path === "/metrics") {
          const text = await routes.metrics.metrics();
          res.writeHead(200, { "content-type": routes.metrics.contentType });
          res.end(text);
        } else {
          res.writeHead(404, { "content-type": "text/plain" });
          res.end("not found\n");
        }
      } catch (e) {
        if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
        res.end(`error: ${(e as Error).message}\n`);
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const addr = server.address();
  const bound = typeof addr === "object" && addr !== null ? addr.port : port;
  const shown = host.includes(":") ? `[${host}]` : host;
  return {
    server,
    url: `http://${shown}:${bound}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
