import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { scanHost } from "../src/scan/index.ts";
import type { PortResult, ScanReport } from "../src/scan/index.ts";
import { netnsAvailable, type NetnsAvailability } from "../src/sim/world/netns.ts";
import { openNodeNamespace, requireNetns, type NodeNamespace } from "./helpers/netns.ts";

/**
 * The connect scanner against a real kernel firewall: a node host in a network namespace this
 * test creates, an nftables ruleset in its own table, listeners on two ports, and scans over the
 * veth from the root namespace, IPv4 and IPv6. Only addresses inside that namespace are probed.
 */
const RULESET = `table inet nodeward_test {
  chain input {
    type filter hook input priority filter; policy drop;
    ct state established,related accept
    iif "lo" accept
    icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, nd-router-solicit, nd-router-advert } accept
    tcp dport 2223 reject with tcp reset
    tcp dport 2224 reject with icmpx type admin-prohibited
    tcp dport { 9678, 8080, 2222 } accept
  }
}
`;
const LISTENING = [9678, 8080];
/** 1–1024 in steps, plus the ports a SmartNode must never expose. */
const SAMPLE = [...Array.from({ length: 103 }, (_, i) => 1 + i * 10), 22, 80, 443, 9679, 9999];
const PORTS = [...new Set([...SAMPLE, 9678, 8080, 2222, 2223, 2224])];

const byPort = (r: ScanReport): Map<number, PortResult> => new Map(r.ports.map((p) => [p.port, p]));

describe("connect scan through a real nftables firewall in a network namespace", () => {
  let availability: NetnsAvailability = { ok: false, reason: "not checked" };
  let world: NodeNamespace | undefined;
  let close: (() => Promise<void>) | undefined;

  before(async () => {
    availability = await netnsAvailable();
    if (!availability.ok) return;
    ({ world, close } = await openNodeNamespace());
    await world.loadRuleset(RULESET);
    await world.listen(LISTENING);
  });
  after(async () => {
    await close?.();
  });

  for (const family of [4, 6] as const) {
    it(`reads open, closed and filtered exactly as the IPv${family} firewall decides`, async (t) => {
      if (!(await requireNetns(t, availability)) || world === undefined) return;
      const target = family === 4 ? world.v4.node : world.v6.node;
      const report = await scanHost(target, { ports: PORTS });
      assert.equal(report.family, family);
      assert.equal(report.aborted, false);
      assert.equal(report.ports.length, PORTS.length);
      const ports = byPort(report);
      const state = (p: number): string => `${ports.get(p)?.state}/${ports.get(p)?.reason}`;

      for (const p of LISTENING) assert.equal(state(p), "open/connected", `port ${p}`);
      assert.equal(state(2222), "closed/refused", "accepted by the firewall, nobody listening");
      assert.equal(state(2223), "closed/refused", "reject with tcp reset");
      // ICMP admin-prohibited: IPv4 reports EHOSTUNREACH, IPv6 EACCES; on a veth the kernel can
      // also drop the first ICMPv6 error while connect() holds the socket, leaving a timeout.
      assert.equal(ports.get(2224)?.state, "filtered", `reject with icmpx admin-prohibited: ${state(2224)}`);
      assert.ok(["admin-prohibited", "unreachable", "timeout"].includes(ports.get(2224)?.reason ?? ""), state(2224));
      for (const p of SAMPLE) {
        assert.equal(state(p), "filtered/timeout", `port ${p} is dropped by the policy`);
        // retried once; twice only after some retry got an answer (nmap's rule; maxRetries 2)
        const tries = ports.get(p)?.tries ?? 0;
        assert.ok(tries === 2 || tries === 3, `silent port ${p} was probed ${tries} times`);
      }
      for (const p of [...LISTENING, 2222, 2223]) assert.equal(ports.get(p)?.tries, 1, `answered port ${p} is not retried`);
      assert.ok(report.rttMs !== undefined && report.rttMs < 100, `smoothed RTT over the veth: ${report.rttMs} ms`);
    });

    it(`reads every port of an IPv${family} address with no host behind it as filtered`, async (t) => {
      if (!(await requireNetns(t, availability)) || world === undefined) return;
      const absent = family === 4 ? world.v4.absent : world.v6.absent;
      const report = await scanHost(absent, { ports: [22, 9678, 8080], initialTimeoutMs: 500 });
      assert.deepEqual(report.ports.map((p) => p.state), ["filtered", "filtered", "filtered"]);
      assert.ok(report.ports.every((p) => p.reason === "timeout" || p.reason === "unreachable"), JSON.stringify(report.ports));
      assert.equal(report.rttMs, undefined, "nothing answered");
    });
  }

  it("keeps the states when probing one port at a time", async (t) => {
    if (!(await requireNetns(t, availability)) || world === undefined) return;
    const report = await scanHost(world.v4.node, { ports: [9678, 2222, 22], concurrency: 1 });
    assert.deepEqual(report.ports.map((p) => [p.port, p.state]), [[22, "filtered"], [2222, "closed"], [9678, "open"]]);
  });
});
