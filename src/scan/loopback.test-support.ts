import { createServer, type Server } from "node:net";

/**
 * Loopback endpoints for the scanner's own tests: a server listening on an ephemeral port, a
 * port that nobody listens on, and whether ::1 exists on this machine. Loopback only.
 */

export function listenOn(server: Server, host: "127.0.0.1" | "::1", port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host, port, ipv6Only: host === "::1" }, () => {
      server.off("error", reject);
      const addr = server.address();
      if (addr === null || typeof addr === "string") reject(new Error("the server has no TCP address"));
      else resolve(addr.port);
    });
  });
}

/** A port that was free a moment ago: bound, then released. Nobody else is expected to take it. */
export async function closedPort(host: "127.0.0.1" | "::1"): Promise<number> {
  const s = createServer();
  const port = await listenOn(s, host);
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/** Whether this machine has ::1 (some containers run without IPv6). */
export async function hasIpv6Loopback(): Promise<boolean> {
  const s = createServer();
  try {
    await listenOn(s, "::1");
    return true;
  } catch {
    return false;
  } finally {
    s.close();
  }
}
