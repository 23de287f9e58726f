import type { AlertEvent, NetworkFacts, NodeRef, RewardClock } from "./event.ts";
import type { AlertField, Content, RenderOptions } from "./render-model.ts";
import { clockText, duration, utcDateTime, utcTime, wholeMinutes, type ClockText } from "./render-time.ts";

/** The messages about one node: which node, since when, the reward clock, and what to do. */

/** The network's view of a node has its own messages (render-network.ts). */
type NodeEvent = Exclude<Extract<AlertEvent, { node: NodeRef }>, NetworkFacts>;

const CONSOLE = "the Vultr console (or your host's console)";
const STATUS = "check `smartnode status` on the server: ENABLED is fine; EXPIRED or NEW_START_REQUIRED needs a new start from your wallet";

export function nodeContent(e: NodeEvent, now: number, options: RenderOptions): Content {
  const who = `${e.node.name} (${e.node.address})`;
  const node: AlertField = { label: "Node", value: who };
  switch (e.kind) {
    case "down":
    case "escalation": {
      const clock = clockText(e.clock, now);
      const fields = [node, { label: "Cause", value: e.cause }, ...downFacts(e.since, e.clock, clock, now)];
      if (e.kind === "down") {
        return {
          title: `DOWN: ${e.node.name}${suffix(clock.headline)}`,
          headline: `${who} is down: ${e.cause}.`,
          severity: "critical",
          fields,
          action: `check the server in ${CONSOLE}: is it running, is the disk full, did the daemon stop? ${rebootPlan(options)}`,
        };
      }
      return {
        title: `STILL DOWN ${duration(now - e.since)}: ${e.node.name}${suffix(clock.headline)}`,
        headline: `${who} is still down after ${duration(now - e.since)}: ${e.cause}.`,
        severity: "critical",
        fields,
        action: urgentAction(clock),
      };
    }
    case "recovered": {
      const back = e.since + e.downForMs;
      return {
        title: `RECOVERED: ${e.node.name} after ${duration(e.downForMs)}`,
        headline: `${who} is back up after ${duration(e.downForMs)} down. ${recoveryVerdict(e.downForMs, options)}`,
        severity: "ok",
        fields: [
          node,
          { label: "Down from", value: `${utcDateTime(e.since)} to ${utcTime(back, now)}` },
          { label: "Down for", value: duration(e.downForMs) },
        ],
        action: `${STATUS}.`,
      };
    }
    case "remediation": {
      const clock = clockText(e.clock, now);
      const verb = e.action === "reboot" ? "reboot" : "start";
      const fields = [node, { label: "Action", value: `${verb} ${e.outcome}` }, { label: "Detail", value: e.detail }, ...clockFacts(e.clock, clock, now)];
      if (e.outcome === "requested") {
        return {
          title: `${verb.toUpperCase()} REQUESTED: ${e.node.name}${suffix(clock.headline)}`,
          headline: `nodeward asked the provider to ${verb} ${who} (${e.detail}).`,
          severity: "warning",
          fields,
          action: `wait for the RECOVERED alert; if none comes within 10 min, open ${CONSOLE}.`,
        };
      }
      return {
        title: `${verb.toUpperCase()} FAILED: ${e.node.name}${suffix(clock.headline)}`,
        headline: `nodeward could not ${verb} ${who}: ${e.detail}.`,
        severity: "critical",
        fields,
        action: `${verb} it yourself in ${CONSOLE} now, before EXPIRED.`,
      };
    }
    case "firewall-blocks": {
      const clock = clockText(e.clock, now);
      return {
        title: `FIREWALL BLOCKS: ${e.node.name}${suffix(clock.headline)}`,
        headline: `The firewall of ${who} blocks what the node needs: ${e.detail}. Other nodes cannot reach it, so its pings are rejected.`,
        severity: "critical",
        fields: [node, { label: "Blocked", value: e.detail }, ...clockFacts(e.clock, clock, now)],
        action: "run `nodeward firewall plan` to see the fix, then `nodeward firewall apply`.",
      };
    }
    case "degraded":
      return {
        title: `DEGRADED: ${e.node.name}`,
        headline: `${who} answers but is degraded: ${e.reason}. It is not down, so the reward clock is not running yet.`,
        severity: "warning",
        fields: [node, { label: "Reason", value: e.reason }, { label: "Detected", value: utcDateTime(e.at) }],
        action: `run \`nodeward verify ${e.node.name}\` for the details, and ${STATUS}.`,
      };
  }
}

function suffix(headline: string): string {
  return headline === "" ? "" : ` — ${headline}`;
}

function downFacts(since: number, raw: RewardClock, clock: ClockText, now: number): AlertField[] {
  return [{ label: "Down since", value: `${utcDateTime(since)} (for ${duration(now - since)})` }, ...clockFacts(raw, clock, now)];
}

function clockFacts(raw: RewardClock, clock: ClockText, now: number): AlertField[] {
  const lastGood = raw.lastGoodAt === null ? "none seen" : `${utcTime(raw.lastGoodAt, now)} (${duration(now - raw.lastGoodAt)} ago)`;
  return [
    { label: "Last good ping", value: lastGood },
    { label: "EXPIRED", value: clock.expired },
    { label: "NEW_START_REQUIRED", value: clock.newStart },
  ];
}

function rebootPlan(options: RenderOptions): string {
  if (options.rebootAfterMinutes === null) return "Remediation is off: nodeward will not reboot it, you have to.";
  if (options.rebootAfterMinutes === undefined) return "If remediation is on, nodeward reboots it before EXPIRED; otherwise you have to.";
  return `nodeward will reboot it at ${options.rebootAfterMinutes} min down (remediation is on).`;
}

function urgentAction(clock: ClockText): string {
  switch (clock.passed) {
    case "none":
    case "unknown":
      return `act now, before EXPIRED: open ${CONSOLE} and restart the server or its daemon.`;
    case "expired":
      return `act now: the node is EXPIRED and unpaid. Restart it in ${CONSOLE} before NEW_START_REQUIRED.`;
    case "new-start":
      return `a payment cycle is lost. Get the server running in ${CONSOLE}, then start the node again from your wallet (start alias).`;
  }
}

function recoveryVerdict(downForMs: number, options: RenderOptions): string {
  if (options.expiry === undefined) return "Whether it passed EXPIRED depends on its last good ping:";
  const minutes = wholeMinutes(downForMs);
  const { expiredMinutes, newStartRequiredMinutes } = options.expiry;
  if (minutes >= newStartRequiredMinutes) return `It was down past NEW_START_REQUIRED (${newStartRequiredMinutes} min): a payment cycle is lost.`;
  if (minutes >= expiredMinutes) return `It was down past EXPIRED (${expiredMinutes} min): it was not paid meanwhile.`;
  // The outage is counted from the first failed probe; EXPIRED runs from the last good ping, a little earlier.
  if (minutes >= expiredMinutes - 10) return `It was down close to EXPIRED (${expiredMinutes} min): it may have expired.`;
  return `It came back before EXPIRED (${expiredMinutes} min): no payment should be lost.`;
}
