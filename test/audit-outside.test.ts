import { describe, it, after, before } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:net";
import { findCoin } from "../src/coins/index.ts";
import { p2pParamsFor } from "../src/p2p/index.ts";
import { startSimulatedNode, type SimulatedNode } from "../src/sim/smartnode/index.ts";
import type { VerifyProbes } from "../src/verify/run.ts";
import { auditContext, byNode, check } from "./helpers/audit.ts";

/** A config whose `nodes` select no instance: only the static hosts are checked. */
const staticOnly = { code: "SELECTION_EMPTY", reason: "no instance matches nodes" };
const params = p2pParamsFor(findCoin("smartcash")!)!;

/** Static hosts on loopback: no cloud firewall, so only what listens answers and the rest is closed (RST). */
const yaml = (ports: string, hosts: string[]) => `version: 1
coin: smartcash
nodes: { tags: [nothing] }
verify: { ports: "${ports}", timeoutSeconds: 1 }
hosts:
${hosts.map((h) => `  - { name: ${h.split("=")[0]}, addresses: [${h.split("=")[1]}] }`).join("\n")}
`;

describe("audit: outside checks on simulated nodes", () => {
  const nodes: SimulatedNode[] = [];
  let extra: Server;
  before(async () => {
    nodes.push(await startSimulatedNode({ host: "127.0.0.81", p2pPort: 9678, sapiPort: 8080, params, height: 1000 }));
    nodes.push(await startSimulatedNode({ host: "127.0.0.82", p2pPort: 9678, sapiPort: false, params, protocolVersion: 90020 }));
    extra = createServer((s) => s.destroy());
    await new Promise<void>((r) => extra.listen(2222, "127.0.0.81", r));
  });
  after(async () => {
    for (const n of nodes) await n.close();
    await new Promise<void>((r) => extra.close(() => r()));
  });

  it("passes a healthy node and fails an old one without SAPI, per node, with evidence", async () => {
    const { ctx } = auditContext({ yaml: yaml("coin", ["good=127.0.0.81", "old=127.0.0.82"]), noProvider: staticOnly });
    assert.deepEqual(byNode(await check("outside.ports", ctx)), { good: "pass", old: "fail" });
    assert.deepEqual(byNode(await check("outside.handshake", ctx)), { good: "pass", old: "fail" });
    assert.deepEqual(byNode(await check("outside.sapi", ctx)), { good: "pass", old: "fail" });
    const [hsGood, hsOld] = await check("outside.handshake", ctx);
    assert.match(hsGood!.evidence, /127\.0\.0\.81: protocol 90035 \(minimum 90034\), \/SmartCash Core:2\.1\.1\/, height 1000/);
    assert.match(hsOld!.evidence, /protocol-too-old — peer speaks protocol 90020/);
    assert.match(hsOld!.fix ?? "", /update the coin daemon/);
    const [, sapiOld] = await check("outside.sapi", ctx);
    assert.match(sapiOld!.evidence, /SAPI on 8080 failed: refused/);
    const [, portsOld] = await check("outside.ports", ctx);
    assert.match(portsOld!.evidence, /SAPI port 8080 is closed/);
  });

  it("fails a port open outside the policy and a blocked port that answers RST", async () => {
    const { ctx } = auditContext({ yaml: yaml("2222,2223", ["good=127.0.0.81"]), noProvider: staticOnly });
    const [ports] = await check("outside.ports", ctx);
    assert.equal(ports?.status, "fail");
    assert.match(ports?.evidence ?? "", /open but not in the policy: 2222/);
    const [filtered] = await check("outside.filtered", ctx);
    assert.equal(filtered?.status, "fail");
    assert.match(filtered?.evidence ?? "", /answered closed \(RST\).*2223/);
    assert.match(filtered?.fix ?? "", /firewall apply/);
  });

  it("passes filtered ports and says cannot check for an address without a route (scanner evidence injected)", async () => {
    const probes: VerifyProbes = {
      scan: async (address, ports) => ports.map((port) => address.includes(":")
        ? { port, state: "filtered" as const, reason: "net-unreachable" }
        : { port, state: [9678, 8080].includes(port) ? "open" as const : "filtered" as const, reason: "" }),
      handshake: async () => ({ status: "up", latencyMs: 1, protocolVersion: 90035, userAgent: "/SmartCash Core:2.1.1/", startHeight: 5 }),
      sapi: async () => ({ status: "up", latencyMs: 1, version: "2.1.1", blocks: 5 }),
    };
    const { ctx } = auditContext({ yaml: yaml("22,80", ["v4=198.51.100.4", "dual=198.51.100.5, \"2001:db8::5\""]), probes, noProvider: staticOnly });
    const filtered = await check("outside.filtered", ctx);
    assert.deepEqual(byNode(filtered), { v4: "pass", dual: "cannot-check" });
    assert.match(filtered[0]!.evidence, /2 of 4 scanned ports filtered, none closed/);
    assert.match(filtered[1]!.evidence, /2001:db8::5: this machine has no route to this IPv6 address/);
    assert.match(filtered[1]!.fix ?? "", /machine with IPv6/);
  });

  it("cannot check when the nodes' addresses are unknown, or when the config turns a probe off", async () => {
    const { ctx } = auditContext({ yaml: "version: 1\ncoin: smartcash\nnodes: { tags: [smartnode] }\nverify: { handshake: false }\n" });
    for (const id of ["outside.ports", "outside.filtered", "outside.sapi"]) {
      const [r] = await check(id, ctx);
      assert.equal(r?.status, "cannot-check", id);
      assert.match(r?.evidence ?? "", /addresses are unknown: VULTR_API_KEY is not set/);
    }
    const withHost = auditContext({ yaml: yaml("coin", ["good=127.0.0.81"]) }).ctx;
    const ports = await check("outside.ports", withHost);
    assert.deepEqual(ports.map((r) => [r.node, r.status]), [[undefined, "cannot-check"], ["good", "pass"]], "static hosts are still checked; the gap is reported");
    assert.match(ports[0]!.evidence, /provider instances not checked: VULTR_API_KEY is not set/);
    const [hs] = await check("outside.handshake", ctx);
    assert.equal(hs?.status, "cannot-check");
    assert.match(hs?.evidence ?? "", /verify\.handshake is false/);
  });
});
