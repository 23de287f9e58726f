import { isIP } from "node:net";

/**
 * Which Host headers the watch server answers (DNS rebinding: a page on evil.example whose name
 * is re-pointed at 127.0.0.1 reaches the daemon "same-origin" through the browser, e.g. at the far
 * end of an `ssh -L` tunnel; its requests then say `Host: evil.example`). Answered, on any port:
 * - "localhost" and the listen address's host (a name only the operator chose);
 * - any IP literal (127.0.0.1, [::1], 203.0.113.4): no DNS answer can make a browser send one for
 *   an attacker's page, and Prometheus scrapes by IP:port;
 * - the names in `watch.allowedHosts` (a reverse proxy's public name, say).
 * The port is not compared: rebinding changes the name, never needs the port, and a tunnel may
 * listen on another local port than watch.listen. Pure: no I/O.
 */

export interface HostRule {
  /** The names (no port) answered besides localhost, the listen host and IP literals; compared case-insensitively. */
  allowed: readonly string[];
  /** A trusted proxy forwards: X-Forwarded-Host, when sent, must be answered too. */
  forwarded: boolean;
}

/** The host part of a Host header value ("name", "name:port", "[v6]:port"), lower-case, without a trailing dot; null when malformed. */
export function hostName(header: string): string | null {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^\s:/@[\]]+))(?::(\d{1,5}))?$/.exec(header.trim());
  if (m === null) return null;
  if (m[1] !== undefined) return isIP(m[1]) === 6 ? m[1].toLowerCase() : null;
  return m[2]!.toLowerCase().replace(/\.$/, "");
}

/** The names answered besides IP literals. */
export function allowedNames(listenHost: string, rule: HostRule): Set<string> {
  return new Set(["localhost", listenHost, ...rule.allowed].map((h) => h.toLowerCase().replace(/\.$/, "")).filter((h) => isIP(h.replace(/^\[|\]$/g, "")) === 0));
}

/** Null when the request's Host (and forwarded host) is answered; otherwise the value refused ("" when missing). */
export function refusedHost(headers: { host?: string | undefined; "x-forwarded-host"?: string | string[] | undefined }, names: ReadonlySet<string>, forwarded: boolean): string | null {
  const values = [headers.host ?? ""];
  const xfh = headers["x-forwarded-host"];
  if (forwarded && xfh !== undefined) values.push(...(Array.isArray(xfh) ? xfh : [xfh]).flatMap((v) => v.split(",")));
  for (const v of values) {
    const name = hostName(v);
    if (name === null || !(isIP(name) !== 0 || names.has(name))) return v;
  }
  return null;
}

/** The plain-text answer to a refused Host: what came, what is answered, what to do. */
export function misdirected(value: string, names: ReadonlySet<string>): string {
  const shown = value.trim() === "" ? "(none)" : JSON.stringify(value.replace(/[^\x20-\x7e]/g, "?").slice(0, 100));
  return (
    `Refused: this server does not answer for Host ${shown}; it answers for IP addresses and ${[...names].join(", ")} (any port). ` +
    "If you reach nodeward under that name on purpose (a reverse proxy's name), add it to watch.allowedHosts in nodeward.yaml.\n"
  );
}
