import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { AlertEvent, NetworkFacts } from "./event.ts";
import { dedupeKey } from "./event.ts";
import { renderAlert, type RenderOptions } from "./render.ts";
import { MINUTE, NODE, T0 } from "./testing/fixtures.ts";

const SMARTCASH: RenderOptions = { expiry: { expiredMinutes: 65, newStartRequiredMinutes: 120 } };
const OUTPOINT = `${"4e2a9f1c".repeat(8)}-1`;
/** T0 is 14:05 UTC; facts as the network saw them at T0. */
const facts = (over: Partial<NetworkFacts> = {}): NetworkFacts => ({
  at: T0,
  node: NODE,
  alias: "mn1",
  outpoint: OUTPOINT,
  state: "EXPIRED",
  lastPingAt: T0 - 70 * MINUTE,
  minutesToExpired: 0,
  since: T0 - 5 * MINUTE,
  detail: "",
  ...over,
});

interface Case {
  name: string;
  event: AlertEvent;
  /** Minutes after T0. */
  at: number;
  title: string;
  severity: string;
  says: (string | RegExp)[];
}

const cases: Case[] = [
  {
    name: "EXPIRED: since when, the ping it rests on, what to check, and when a new start will be needed",
    event: { kind: "network-expired", ...facts({ detail: "peers disagree: 198.51.100.7:9678 says ENABLED" }) },
    at: 0,
    title: "NETWORK EXPIRED: sn-ams-1",
    severity: "critical",
    says: [
      "The SmartCash network has sn-ams-1 (203.0.113.7) EXPIRED since 14:00 UTC: the last ping it accepted is 12:55 UTC (70 min ago). It is not paid while expired.",
      `Collateral: ${OUTPOINT}`,
      "EXPIRED: passed at 14:00 UTC",
      "Detail: peers disagree: 198.51.100.7:9678 says ENABLED",
      /What to do: the network stopped counting its pings: is SAPI port 8080 open .* the server's clock right \(NTP\)\? .* new start from the wallet at 14:55 UTC \(in 50 min\) \(NEW_START_REQUIRED\)\./,
    ],
  },
  {
    name: "UPDATE_REQUIRED comes as network-expired and says to update first",
    event: { kind: "network-expired", ...facts({ state: "UPDATE_REQUIRED", lastPingAt: T0 - 2 * MINUTE, minutesToExpired: 63, since: T0, detail: "announced with protocol 90026, below the payments minimum 90028" }) },
    at: 0,
    title: "NETWORK UPDATE_REQUIRED: sn-ams-1",
    severity: "critical",
    says: ["UPDATE_REQUIRED since 14:05 UTC", "Detail: announced with protocol 90026", "update smartcashd on the server to the current release, then start it from the collateral wallet: `smartnode start-alias mn1`"],
  },
  {
    name: "NEW_START_REQUIRED: start-alias from the collateral wallet, naming the alias",
    event: { kind: "network-new-start-required", ...facts({ state: "NEW_START_REQUIRED", lastPingAt: T0 - 130 * MINUTE, since: T0 - 10 * MINUTE }) },
    at: 3,
    title: "NETWORK NEW_START_REQUIRED: sn-ams-1",
    severity: "critical",
    says: ["NEW_START_REQUIRED since 13:55 UTC", "its place in the payment queue is lost", "What to do: start it from the collateral wallet: `smartnode start-alias mn1` in its debug console", "Alias: mn1"],
  },
  {
    name: "unseen, stale ping: minutes since the last ping and before EXPIRED, then the usual causes",
    event: { kind: "unseen-by-network", ...facts({ state: "ENABLED", lastPingAt: T0 - 50 * MINUTE, minutesToExpired: 15, since: T0 - 5 * MINUTE }) },
    at: 2,
    title: "UNSEEN BY THE NETWORK: sn-ams-1",
    severity: "critical",
    says: [
      "nodeward reaches sn-ams-1 (203.0.113.7), but the network has had no ping from it since 13:15 UTC (52 min ago). The network marks it EXPIRED in 13 min (at 14:20 UTC).",
      "Network state: ENABLED",
      /What to do: the server answers but its smartnode does not reach the network: is the smartnode started .* is `externalip` in smartcash.conf the server's public IP, does `smartnodeprivkey` match/,
    ],
  },
  {
    name: "unseen, unlisted: no peer lists it",
    event: { kind: "unseen-by-network", ...facts({ state: "UNLISTED", lastPingAt: null, minutesToExpired: null, since: T0 }) },
    at: 0,
    title: "UNSEEN BY THE NETWORK: sn-ams-1",
    severity: "critical",
    says: ["none of the peers that answered lists it", "Last ping: none (no peer has a ping from it)", "EXPIRED: unknown"],
  },
  {
    name: "ok after EXPIRED: what it cleared, since when and for how long",
    event: { kind: "network-ok", ...facts({ state: "ENABLED", lastPingAt: T0 + 58 * MINUTE, minutesToExpired: 63, since: T0 - 5 * MINUTE, at: T0 + 60 * MINUTE }), cleared: "network-expired" },
    at: 60,
    title: "NETWORK OK: sn-ams-1 (ENABLED)",
    severity: "ok",
    says: ["counts sn-ams-1 (203.0.113.7) again: ENABLED, last ping 15:03 UTC (2 min ago), after being EXPIRED since 14:00 UTC (65 min).", "What to do: nothing."],
  },
  {
    name: "ok after a new start: PRE_ENABLED turns ENABLED by itself",
    event: { kind: "network-ok", ...facts({ state: "PRE_ENABLED", lastPingAt: T0 + 9 * MINUTE, minutesToExpired: 64, at: T0 + 10 * MINUTE }), cleared: "network-new-start-required" },
    at: 10,
    title: "NETWORK OK: sn-ams-1 (PRE_ENABLED)",
    severity: "ok",
    says: ["after being NEW_START_REQUIRED since", "PRE_ENABLED turns ENABLED by itself"],
  },
];

describe("renderAlert: the network's view", () => {
  for (const c of cases) {
    it(c.name, () => {
      const r = renderAlert(c.event, T0 + c.at * MINUTE, SMARTCASH);
      assert.equal(r.title, c.title);
      assert.equal(r.severity, c.severity);
      for (const s of c.says) {
        if (typeof s === "string") assert.ok(r.text.includes(s), `missing ${JSON.stringify(s)} in:\n${r.text}`);
        else assert.match(r.text, s);
      }
    });
  }

  it("counts the marks from the ping at send time: a late alert says EXPIRED has passed", () => {
    const e: AlertEvent = { kind: "unseen-by-network", ...facts({ state: "ENABLED", lastPingAt: T0 - 50 * MINUTE, minutesToExpired: 15 }) };
    const r = renderAlert(e, T0 + 20 * MINUTE, SMARTCASH);
    assert.match(r.text, /The network counts it EXPIRED now\./);
    assert.match(r.text, /EXPIRED: passed at 14:20 UTC/);
    assert.match(r.text, /Delivered late/);
  });

  it("shows a hostile alias, detail and name on one line, clipped", () => {
    const e: AlertEvent = {
      kind: "network-expired",
      ...facts({ alias: "mn1\r\nX-Injected: yes\u202e", detail: `peer said ${"x".repeat(10_240)}`, node: { ...NODE, name: "узел\n東京" } }),
    };
    const r = renderAlert(e, T0, SMARTCASH);
    assert.ok(r.text.includes("Alias: mn1 X-Injected: yes\uFFFD"), r.text.slice(0, 600));
    assert.ok(r.title.includes("узел 東京"));
    const detail = r.fields.find((f) => f.label === "Detail")!.value;
    assert.ok(detail.length <= 400 && detail.endsWith("…"));
  });

  it("keys each alert by node, kind and the condition's start, not by when it was seen", () => {
    const a: AlertEvent = { kind: "network-expired", ...facts() };
    const b: AlertEvent = { kind: "network-expired", ...facts({ at: T0 + 5 * MINUTE }) };
    assert.equal(dedupeKey(a), `${NODE.id}:network:network-expired:${T0 - 5 * MINUTE}`);
    assert.equal(dedupeKey(a), dedupeKey(b));
    assert.notEqual(dedupeKey(a), dedupeKey({ ...a, kind: "network-new-start-required" }));
  });
});
