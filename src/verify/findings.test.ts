import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { AddressEvidence, VerifyExpectation } from "./evidence.ts";
import { describeVerifyFinding, verifyFindings } from "./findings.ts";

const EXPECT: VerifyExpectation = {
  required: [
    { port: 9678, purpose: "P2P" },
    { port: 8080, purpose: "SAPI" },
  ],
  allowed: [22],
  minProtocolVersion: 90034,
};

const up = { status: "up" as const, latencyMs: 3, protocolVersion: 90035, userAgent: "/SmartCash Core:2.1.1/", startHeight: 100 };
const ev = (ports: [number, "open" | "closed" | "filtered"][], extra: Partial<AddressEvidence> = {}): AddressEvidence => ({
  address: "192.0.2.1",
  family: 4,
  ports: ports.map(([port, state]) => ({ port, state, reason: "" })),
  handshake: { port: 9678, result: up },
  sapi: { port: 8080, result: { status: "up", latencyMs: 2, version: "2.1.1", blocks: 100 } },
  ...extra,
});

describe("verifyFindings", () => {
  const cases: { name: string; evidence: AddressEvidence; kinds: string[] }[] = [
    { name: "finds nothing on a hardened, healthy node", evidence: ev([[9678, "open"], [8080, "open"], [22, "filtered"], [80, "filtered"]]), kinds: [] },
    { name: "flags SAPI blocked by the firewall", evidence: ev([[9678, "open"], [8080, "filtered"]]), kinds: ["required-port-not-open"] },
    { name: "flags SSH open to the world when no admin access allows it", evidence: { ...ev([[9678, "open"], [8080, "open"], [3389, "open"]]) }, kinds: ["unexpected-open"] },
    { name: "does not flag an admin port that answers", evidence: ev([[9678, "open"], [8080, "open"], [22, "open"]]), kinds: [] },
    { name: "reads a RST on a blocked port as no cloud firewall in front", evidence: ev([[9678, "open"], [8080, "open"], [80, "closed"], [443, "closed"]]), kinds: ["not-filtered"] },
    {
      name: "reports a failed handshake and SAPI",
      evidence: ev([[9678, "open"], [8080, "open"]], {
        handshake: { port: 9678, result: { status: "down", reason: "timeout", detail: "no version in 5000 ms" } },
        sapi: { port: 8080, result: { status: "down", reason: "http-status", detail: "503" } },
      }),
      kinds: ["handshake-failed", "sapi-failed"],
    },
    {
      name: "flags a protocol below the network minimum",
      evidence: ev([[9678, "open"], [8080, "open"]], { handshake: { port: 9678, result: { ...up, protocolVersion: 90033 } } }),
      kinds: ["protocol-too-old"],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const findings = verifyFindings(c.evidence, EXPECT);
      assert.deepEqual(findings.map((f) => f.kind), c.kinds);
      for (const f of findings) assert.ok(describeVerifyFinding(f).length > 10);
    });
  }

  it("says it could not check an address this machine has no route to, instead of calling it filtered", () => {
    const e: AddressEvidence = { address: "2001:db8::1", family: 6, ports: [9678, 8080, 22].map((port) => ({ port, state: "filtered", reason: "net-unreachable" })) };
    const f = verifyFindings(e, EXPECT);
    assert.deepEqual(f.map((x) => x.kind), ["unreachable-from-here"]);
    assert.match(describeVerifyFinding(f[0]!), /no route to this IPv6 address/);
  });

  it("groups the closed ports of one address into one finding", () => {
    const f = verifyFindings(ev([[9678, "open"], [8080, "open"], ...Array.from({ length: 20 }, (_, i) => [1000 + i, "closed"] as [number, "closed"])]), EXPECT);
    assert.equal(f.length, 1);
    assert.match(describeVerifyFinding(f[0]!), /… \(20 ports\)/);
  });
});
