import { connect } from "node:net";

/** True when any of the targets accepts a TCP connection within the timeout: the watcher is online. */
export async function canReachAny(targets: readonly { host: string; port: number }[], timeoutMs = 3000): Promise<boolean> {
  const attempts = targets.map(
    (t) =>
      new Promise<boolean>((resolve) => {
        const sock = connect({ host: t.host, port: t.port });
        const done = (ok: boolean) => {
          sock.destroy();
          resolve(ok);
        };
        sock.setTimeout(timeoutMs, () => done(false));
        sock.once("connect", () => done(true));
        sock.once("error", () => done(false));
      }),
  );
  return (await Promise.all(attempts)).some(Boolean);
}

/** "host:port" or "[v6]:port" → parts; the provider's base URL → its host and port. */
export function selfCheckTargets(configured: readonly string[] | undefined, baseUrl: string): { host: string; port: number }[] {
  if (configured !== undefined) {
    return configured.map((t) => {
      const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(t);
      return { host: m?.[1] ?? t, port: Number(m?.[2] ?? 443) };
    });
  }
  const u = new URL(baseUrl);
  return [{ host: u.hostname.replace(/^\[|\]$/g, ""), port: Number(u.port || (u.protocol === "https:" ? 443 : 80)) }];
}
