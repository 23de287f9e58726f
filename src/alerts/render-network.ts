import type { AlertEvent, NetworkAlertKind } from "./event.ts";
import type { AlertField, Content, RenderOptions } from "./render-model.ts";
import { duration, utcDateTime, utcTime } from "./render-time.ts";

/**
 * The messages about what the SmartCash network says of a node (netview/): its state on the peers
 * asked, the ping it rests on, the marks the network counts from that ping, and what to do. The
 * marks are worked out at send time from the ping, so a retried alert still counts right.
 */

type NetworkEvent = Extract<AlertEvent, { kind: "network-expired" | "network-new-start-required" | "unseen-by-network" | "network-ok" }>;

/** SmartCash's marks (profile.expiry) when the daemon does not pass the coin's. */
const DEFAULT_MARKS = { expiredMinutes: 65, newStartRequiredMinutes: 120 };

const CHECKS =
  "is SAPI port 8080 open to the world (peers refuse the pings of a node they cannot reach there), is smartcashd running and synced, is the server's clock right (NTP)";
const CAUSES =
  "is the smartnode started (`smartcash-cli smartnode status` on the server), is `externalip` in smartcash.conf the server's public IP, " +
  "does `smartnodeprivkey` match the key in the wallet's smartnode.conf, is SAPI port 8080 open to the world";

export function networkContent(e: NetworkEvent, now: number, options: RenderOptions): Content {
  const who = `${e.node.name} (${e.node.address})`;
  const marks = options.expiry ?? DEFAULT_MARKS;
  const start = `start it from the collateral wallet: \`smartnode start-alias ${e.alias}\` in its debug console (or Start alias on the SmartNodes tab)`;
  const ping = pingText(e.lastPingAt, now);
  switch (e.kind) {
    case "network-expired": {
      if (e.state === "UPDATE_REQUIRED") {
        return {
          title: `NETWORK UPDATE_REQUIRED: ${e.node.name}`,
          headline: `The SmartCash network has ${who} UPDATE_REQUIRED since ${utcTime(e.since, now)}: it announced a protocol the network no longer pays. It is not paid.`,
          severity: "critical",
          fields: facts(e, now, marks),
          action: `update smartcashd on the server to the current release, then ${start}.`,
        };
      }
      const newStart = e.lastPingAt === null ? null : e.lastPingAt + marks.newStartRequiredMinutes * 60_000;
      const later = newStart === null ? `after ${marks.newStartRequiredMinutes} min without a ping` : newStart > now ? `at ${utcTime(newStart, now)} (in ${duration(newStart - now)})` : "now";
      return {
        title: `NETWORK EXPIRED: ${e.node.name}`,
        headline: `The SmartCash network has ${who} EXPIRED since ${utcTime(e.since, now)}: the last ping it accepted is ${ping}. It is not paid while expired.`,
        severity: "critical",
        fields: facts(e, now, marks),
        action: `the network stopped counting its pings: ${CHECKS}? Once a ping is accepted it is ENABLED again; it will need a new start from the wallet ${later} (NEW_START_REQUIRED).`,
      };
    }
    case "network-new-start-required":
      return {
        title: `NETWORK NEW_START_REQUIRED: ${e.node.name}`,
        headline: `The SmartCash network has ${who} NEW_START_REQUIRED since ${utcTime(e.since, now)}: the last ping it accepted is ${ping}. Peers refuse its pings until it is started again, and its place in the payment queue is lost.`,
        severity: "critical",
        fields: facts(e, now, marks),
        action: `${start}. Check the node first (${CAUSES}), or the new start expires again.`,
      };
    case "unseen-by-network": {
      const headline =
        e.state === "UNLISTED"
          ? `nodeward reaches ${who}, but none of the peers that answered lists it: the network does not count it, so it is not paid.`
          : `nodeward reaches ${who}, but the network has had no ping from it since ${ping}.${expiredIn(e, now, marks)}`;
      return {
        title: `UNSEEN BY THE NETWORK: ${e.node.name}`,
        headline,
        severity: "critical",
        fields: facts(e, now, marks),
        action: `the server answers but its smartnode does not reach the network: ${CAUSES}? A node never started, or NEW_START_REQUIRED, needs: ${start}.`,
      };
    }
    case "network-ok":
      return {
        title: `NETWORK OK: ${e.node.name} (${e.state})`,
        headline: `The SmartCash network counts ${who} again: ${e.state}, last ping ${ping}, after ${CLEARED[e.cleared]} since ${utcTime(e.since, now)} (${duration(e.at - e.since)}).`,
        severity: "ok",
        fields: facts(e, now, marks),
        action: e.state === "PRE_ENABLED" ? "nothing: PRE_ENABLED turns ENABLED by itself 20 min after the start." : "nothing.",
      };
  }
}

const CLEARED: Record<NetworkAlertKind, string> = {
  "network-expired": "being EXPIRED",
  "network-new-start-required": "being NEW_START_REQUIRED",
  "unseen-by-network": "being unseen by the network",
};

function pingText(at: number | null, now: number): string {
  return at === null ? "none (no peer has a ping from it)" : `${utcTime(at, now)} (${duration(now - at)} ago)`;
}

function expiredAt(e: NetworkEvent, marks: { expiredMinutes: number }): number | null {
  if (e.lastPingAt !== null) return e.lastPingAt + marks.expiredMinutes * 60_000;
  return e.minutesToExpired === null ? null : e.at + e.minutesToExpired * 60_000;
}

function expiredIn(e: NetworkEvent, now: number, marks: { expiredMinutes: number }): string {
  const at = expiredAt(e, marks);
  if (at === null) return "";
  return at > now ? ` The network marks it EXPIRED in ${duration(at - now)} (at ${utcTime(at, now)}).` : " The network counts it EXPIRED now.";
}

function facts(e: NetworkEvent, now: number, marks: { expiredMinutes: number }): AlertField[] {
  const at = expiredAt(e, marks);
  const expired = at === null ? "unknown" : at > now ? `in ${duration(at - now)} (at ${utcTime(at, now)}), as the network counts it` : `passed at ${utcTime(at, now)}`;
  return [
    { label: "Node", value: `${e.node.name} (${e.node.address})` },
    { label: "Alias", value: e.alias },
    { label: "Collateral", value: e.outpoint },
    { label: "Network state", value: e.state },
    { label: "Last ping", value: pingText(e.lastPingAt, now) },
    { label: "EXPIRED", value: expired },
    { label: "Since", value: utcDateTime(e.since) },
    ...(e.detail === "" ? [] : [{ label: "Detail", value: e.detail }]),
  ];
}
