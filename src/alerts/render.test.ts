import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { AlertEvent } from "./event.ts";
import { renderAlert, type RenderOptions } from "./render.ts";
import { downEvent, MINUTE, NODE, rewardClock, T0 } from "./testing/fixtures.ts";

const SMARTCASH: RenderOptions = { rebootAfterMinutes: 30, expiry: { expiredMinutes: 65, newStartRequiredMinutes: 120 } };
const clock = rewardClock(); // last good 14:03, EXPIRED 15:08, NEW_START_REQUIRED 16:03
const incident = { node: NODE, incidentId: "inc-1" };

interface Case {
  name: string;
  event: AlertEvent;
  /** Minutes after T0 (14:05 UTC). */
  at: number;
  options?: RenderOptions;
  title: string;
  severity: string;
  /** Every one must appear in the text. */
  says: (string | RegExp)[];
}

const cases: Case[] = [
  {
    name: "down: which node, since when, minutes left to both marks, what to do with remediation on",
    event: downEvent(),
    at: 12,
    options: SMARTCASH,
    title: "DOWN: sn-ams-1 — EXPIRED in 51 min",
    severity: "critical",
    says: [
      "sn-ams-1 (203.0.113.7) is down: p2p timeout.",
      "Down since: 2025-01-02 14:05 UTC (for 12 min)",
      "Last good ping: 14:03 UTC (14 min ago)",
      "EXPIRED: in 51 min (at 15:08 UTC)",
      "NEW_START_REQUIRED: in 106 min (at 16:03 UTC)",
      /What to do: check the server in the Vultr console .* nodeward will reboot it at 30 min down \(remediation is on\)\./,
      "(Delivered late: raised at 14:05 UTC, 12 min ago.)",
    ],
  },
  {
    name: "down, just raised, remediation off: no late note, says nobody will reboot it",
    event: downEvent(),
    at: 0,
    options: { rebootAfterMinutes: null },
    title: "DOWN: sn-ams-1 — EXPIRED in 63 min",
    severity: "critical",
    says: ["(for under 1 min)", "Remediation is off: nodeward will not reboot it, you have to."],
  },
  {
    name: "down with no good ping ever seen: the clock is unknown",
    event: { ...(downEvent() as Extract<AlertEvent, { kind: "down" }>), clock: { lastGoodAt: null, expiresAt: null, newStartAt: null } },
    at: 1,
    title: "DOWN: sn-ams-1",
    severity: "critical",
    says: ["Last good ping: none seen", "EXPIRED: unknown (no good ping seen since the watcher started)", "If remediation is on, nodeward reboots it before EXPIRED"],
  },
  {
    name: "escalation before EXPIRED: act now",
    event: { kind: "escalation", at: T0 + 40 * MINUTE, ...incident, since: T0, minutesDown: 40, cause: "p2p timeout", clock },
    at: 40,
    title: "STILL DOWN 40 min: sn-ams-1 — EXPIRED in 23 min",
    severity: "critical",
    says: ["is still down after 40 min: p2p timeout.", "EXPIRED: in 23 min (at 15:08 UTC)", "What to do: act now, before EXPIRED"],
  },
  {
    name: "escalation past EXPIRED: says it is unpaid and counts down to NEW_START_REQUIRED",
    event: { kind: "escalation", at: T0 + 80 * MINUTE, ...incident, since: T0, minutesDown: 80, cause: "sapi refused", clock },
    at: 80,
    title: "STILL DOWN 80 min: sn-ams-1 — EXPIRED, NEW_START_REQUIRED in 38 min",
    severity: "critical",
    says: ["EXPIRED: passed at 15:08 UTC (17 min ago): not paid while expired", "NEW_START_REQUIRED: in 38 min (at 16:03 UTC)", "the node is EXPIRED and unpaid"],
  },
  {
    name: "escalation past NEW_START_REQUIRED: a cycle is lost, start it from the wallet",
    event: { kind: "escalation", at: T0 + 125 * MINUTE, ...incident, since: T0, minutesDown: 120, cause: "p2p timeout", clock },
    at: 125,
    title: "STILL DOWN 2 h 05 min: sn-ams-1 — NEW_START_REQUIRED",
    severity: "critical",
    says: ["NEW_START_REQUIRED: passed at 16:03 UTC (7 min ago): needs a new start from the wallet", "start the node again from your wallet"],
  },
  {
    name: "recovered before EXPIRED: how long it was down, no payment lost, check smartnode status",
    event: { kind: "recovered", at: T0 + 23 * MINUTE, ...incident, since: T0, downForMs: 23 * MINUTE },
    at: 23,
    options: SMARTCASH,
    title: "RECOVERED: sn-ams-1 after 23 min",
    severity: "ok",
    says: ["is back up after 23 min down. It came back before EXPIRED (65 min)", "Down from: 2025-01-02 14:05 UTC to 14:28 UTC", "check `smartnode status`"],
  },
  {
    name: "recovered close to EXPIRED: it may have expired",
    event: { kind: "recovered", at: T0 + 60 * MINUTE, ...incident, since: T0, downForMs: 60 * MINUTE },
    at: 60,
    options: SMARTCASH,
    title: "RECOVERED: sn-ams-1 after 60 min",
    severity: "ok",
    says: ["It was down close to EXPIRED (65 min): it may have expired."],
  },
  {
    name: "recovered past EXPIRED",
    event: { kind: "recovered", at: T0 + 70 * MINUTE, ...incident, since: T0, downForMs: 70 * MINUTE },
    at: 70,
    options: SMARTCASH,
    title: "RECOVERED: sn-ams-1 after 70 min",
    severity: "ok",
    says: ["It was down past EXPIRED (65 min): it was not paid meanwhile."],
  },
  {
    name: "recovered past NEW_START_REQUIRED",
    event: { kind: "recovered", at: T0 + 130 * MINUTE, ...incident, since: T0, downForMs: 130 * MINUTE },
    at: 130,
    options: SMARTCASH,
    title: "RECOVERED: sn-ams-1 after 2 h 10 min",
    severity: "ok",
    says: ["past NEW_START_REQUIRED (120 min): a payment cycle is lost."],
  },
  {
    name: "recovered without the coin's marks: points at smartnode status",
    event: { kind: "recovered", at: T0 + 30 * MINUTE, ...incident, since: T0, downForMs: 30 * MINUTE },
    at: 30,
    title: "RECOVERED: sn-ams-1 after 30 min",
    severity: "ok",
    says: ["Whether it passed EXPIRED depends on its last good ping:", "What to do: check `smartnode status` on the server"],
  },
  {
    name: "reboot requested: wait for RECOVERED",
    event: { kind: "remediation", at: T0 + 30 * MINUTE, ...incident, action: "reboot", outcome: "requested", detail: "Vultr accepted the reboot", clock },
    at: 30,
    title: "REBOOT REQUESTED: sn-ams-1 — EXPIRED in 33 min",
    severity: "warning",
    says: ["nodeward asked the provider to reboot sn-ams-1 (203.0.113.7)", "wait for the RECOVERED alert"],
  },
  {
    name: "start failed: do it yourself",
    event: { kind: "remediation", at: T0 + 30 * MINUTE, ...incident, action: "start", outcome: "failed", detail: "Vultr answered 500", clock },
    at: 30,
    title: "START FAILED: sn-ams-1 — EXPIRED in 33 min",
    severity: "critical",
    says: ["nodeward could not start sn-ams-1 (203.0.113.7): Vultr answered 500.", "start it yourself in the Vultr console"],
  },
  {
    name: "firewall blocks: run nodeward firewall apply",
    event: { kind: "firewall-blocks", at: T0, ...incident, detail: "TCP 8080 (SAPI) is closed", clock },
    at: 0,
    title: "FIREWALL BLOCKS: sn-ams-1 — EXPIRED in 63 min",
    severity: "critical",
    says: ["blocks what the node needs: TCP 8080 (SAPI) is closed", "`nodeward firewall apply`"],
  },
  {
    name: "degraded: not down, verify it",
    event: { kind: "degraded", at: T0, node: NODE, reason: "height 140 blocks behind" },
    at: 0,
    title: "DEGRADED: sn-ams-1",
    severity: "warning",
    says: ["sn-ams-1 (203.0.113.7) answers but is degraded: height 140 blocks behind.", "`nodeward verify sn-ams-1`"],
  },
  {
    name: "watcher offline: node alerts are blind",
    event: { kind: "watcher-offline", at: T0, detail: "no route to any node" },
    at: 0,
    title: "WATCHER OFFLINE: nodeward cannot watch your nodes",
    severity: "warning",
    says: ["a node can go down and expire without an alert", "check the machine running `nodeward watch`"],
  },
  {
    name: "watcher back after longer than EXPIRED: check every node",
    event: { kind: "watcher-online", at: T0, offlineForMs: 90 * MINUTE },
    at: 0,
    options: SMARTCASH,
    title: "WATCHER BACK ONLINE after 90 min",
    severity: "info",
    says: ["check `smartnode status` of every node"],
  },
  {
    name: "test: says it is a test and that nothing is needed",
    event: { kind: "test", at: T0, channel: "ops-tg" },
    at: 30,
    title: "Test alert from nodeward (ops-tg)",
    severity: "info",
    says: ['This is a test of the alert channel "ops-tg"', "What to do: nothing"],
  },
];

describe("renderAlert", () => {
  for (const c of cases) {
    it(c.name, () => {
      const r = renderAlert(c.event, T0 + c.at * MINUTE, c.options);
      assert.equal(r.title, c.title);
      assert.equal(r.severity, c.severity);
      for (const s of c.says) {
        if (typeof s === "string") assert.ok(r.text.includes(s), `missing ${JSON.stringify(s)} in:\n${r.text}`);
        else assert.match(r.text, s);
      }
      assert.match(r.text, /\nWhat to do: /);
      if (c.event.kind === "test") assert.doesNotMatch(r.text, /Delivered late/);
    });
  }

  it("puts every field in the text as a line, and leaves them out of the summary", () => {
    const r = renderAlert(downEvent(), T0 + 5 * MINUTE);
    for (const f of r.fields) assert.ok(r.text.includes(`\n${f.label}: ${f.value}\n`));
    assert.deepEqual(r.fields.map((f) => f.label), ["Node", "Cause", "Down since", "Last good ping", "EXPIRED", "NEW_START_REQUIRED"]);
    assert.equal(r.summary, `${r.text.split("\n")[0]}\n\n${r.text.split("\n").at(-1)}`);
  });

  it("shows the full date of a mark on another UTC day", () => {
    const late = Date.UTC(2025, 0, 2, 23, 30);
    const r = renderAlert(downEvent({ at: late }), late + 10 * MINUTE);
    assert.ok(r.text.includes("EXPIRED: in 53 min (at 2025-01-03 00:33 UTC)"), r.text);
  });
});
