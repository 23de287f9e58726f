import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { auditDaemonConf, renderConfFindings } from "./conf-audit.ts";

const GOOD = "rpcuser=u\nrpcpassword=hunter2hunter2\nrpcallowip=127.0.0.1\nrpcbind=127.0.0.1\nsapi=1\nsapiport=8080\nsmartnode=1\nsmartnodeprivkey=7sEcReTkEyVaLuE\n";

describe("auditDaemonConf", () => {
  const cases: { name: string; text: string; opts?: Parameters<typeof auditDaemonConf>[1]; ids: string[] }[] = [
    { name: "a hardened SmartNode config has no findings", text: GOOD, ids: [] },
    { name: "the official installer: rpcallowip without rpcbind", text: "rpcallowip=127.0.0.1\nlisten=1\nsmartnode=1\nsmartnodeprivkey=abcdefgh\n", ids: ["rpc-all-interfaces"] },
    { name: "rpcbind on a public address", text: GOOD.replace("rpcbind=127.0.0.1", "rpcbind=0.0.0.0"), ids: ["rpc-bind-not-loopback"] },
    { name: "rpcbind ::1 with a port is loopback", text: GOOD.replace("rpcbind=127.0.0.1", "rpcbind=[::1]:9679"), ids: [] },
    { name: "SAPI switched off", text: GOOD.replace("sapi=1", "sapi=0"), ids: ["sapi-disabled"] },
    { name: "SAPI on another port", text: GOOD.replace("sapiport=8080", "sapiport=8081"), ids: ["sapi-port"] },
    { name: "not a SmartNode and no key", text: "rpcbind=127.0.0.1\n#smartnode=1\n#smartnodeprivkey=\n", ids: ["smartnode-missing", "smartnodeprivkey-missing"] },
    { name: "the first value wins, as in the daemon", text: GOOD.replace("sapi=1", "sapi=0\nsapi=1"), ids: ["sapi-disabled"] },
    { name: "RPC port open in the host ruleset", text: GOOD, opts: { openTcpPorts: [9678, 8080, 9679] }, ids: ["rpc-port-open"] },
    { name: "a custom rpcport open in the ruleset", text: `${GOOD}rpcport=19000\n`, opts: { openTcpPorts: [19000] }, ids: ["rpc-port-open"] },
    { name: "SmartNode checks off for other daemons", text: "rpcbind=127.0.0.1\n", opts: { smartnode: false }, ids: [] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(auditDaemonConf(c.text, c.opts).map((f) => f.id), c.ids);
    });
  }

  it("prints the exact lines to change", () => {
    const f = auditDaemonConf("rpcallowip=127.0.0.1\nsapiport=8081\nsmartnode=1\nsmartnodeprivkey=k3yk3yk3y\n");
    const text = renderConfFindings("smartcash.conf", f).join("\n");
    assert.match(text, /add: +rpcbind=127\.0\.0\.1/);
    assert.match(text, /remove: sapiport=8081\n +add: +sapiport=8080/);
  });

  it("never prints the SmartNode key or the RPC password", () => {
    const text = "rpcpassword=SuperSecretRpc\nrpcbind=10.0.0.5\nsmartnodeprivkey=7SuperSecretKey\nsapi=0\nsmartnode=0\n";
    const f = auditDaemonConf(text);
    const out = JSON.stringify(f) + renderConfFindings("x", f).join("\n");
    assert.ok(f.length >= 3);
    assert.doesNotMatch(out, /SuperSecret/);
  });
});
