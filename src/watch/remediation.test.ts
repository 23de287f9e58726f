import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { decideRemediation, type RemediationFacts, type RemediationPolicy } from "./remediation.ts";

const P: RemediationPolicy = { enabled: true, afterMinutes: 10, windowMinutes: 30 };
const MIN = 60_000;
const base: RemediationFacts = {
  now: 60 * MIN,
  downSince: 45 * MIN,
  handshakeAnswers: false,
  lastActionAt: null,
  instance: { status: "active", powerStatus: "running", serverStatus: "ok" },
  firewallBlocksCoinPort: false,
};

describe("decideRemediation", () => {
  const cases: [string, Partial<RemediationFacts>, Partial<RemediationPolicy>, string][] = [
    ["reboots a running instance down for 15 minutes", {}, {}, "reboot"],
    ["starts a stopped instance", { instance: { status: "active", powerStatus: "stopped", serverStatus: "none" } }, {}, "start"],
    ["does nothing when remediation is off", {}, { enabled: false }, "wait"],
    ["never touches a node that is not down", { downSince: null }, {}, "wait"],
    ["never reboots a node that still answers the handshake", { handshakeAnswers: true }, {}, "wait"],
    ["waits until the node has been down long enough", { downSince: 55 * MIN }, {}, "wait"],
    ["acts at most once per window", { lastActionAt: 40 * MIN }, {}, "wait"],
    ["acts again once the window has passed", { lastActionAt: 20 * MIN }, {}, "reboot"],
    ["stops when the provider reports the server locked", { instance: { status: "active", powerStatus: "running", serverStatus: "locked" } }, {}, "wait"],
    ["stops when the provider reports the instance pending", { instance: { status: "pending", powerStatus: "running", serverStatus: "none" } }, {}, "wait"],
    ["asks for firewall apply instead of rebooting when the firewall blocks the coin's port", { firewallBlocksCoinPort: true }, {}, "alert-firewall"],
    ["does nothing for an instance the provider does not know", { instance: null }, {}, "wait"],
    ["reports a blocking firewall even with remediation off, and at once", { firewallBlocksCoinPort: true, downSince: 59 * MIN }, { enabled: false }, "alert-firewall"],
  ];
  for (const [name, facts, policy, want] of cases) {
    it(name, () => {
      const d = decideRemediation({ ...P, ...policy }, { ...base, ...facts });
      assert.equal(d.kind, want, JSON.stringify(d));
      if (d.kind === "wait") assert.ok(d.reason.length > 5);
    });
  }
});
