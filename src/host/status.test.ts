import { describe, it, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { desiredPolicy } from "../firewall/policy.ts";
import { hostRuleset } from "./ruleset.ts";
import type { CommandOutcome, CommandRunner } from "./runner.ts";
import { hostStatus } from "./status.ts";

const ruleset = hostRuleset(desiredPolicy({ description: "d", ports: [{ protocol: "tcp", port: "9678", purpose: "P2P" }], adminAccess: [], icmp: false }, true));

function runner(table: string | null, sshActive: number | null): CommandRunner {
  return {
    prefix: [],
    describe: (c, a) => [c, ...a].join(" "),
    run: async (cmd): Promise<CommandOutcome> => {
      if (cmd === "nft") return table === null ? { code: 1, stdout: "", stderr: "Error: No such file or directory" } : { code: 0, stdout: table, stderr: "" };
      return { code: sshActive, stdout: "", stderr: sshActive === null ? "not installed" : "" };
    },
  };
}

describe("hostStatus", () => {
  const dir = mkdtempSync(join(tmpdir(), "nodeward-status-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const conf = join(dir, "smartcash.conf");
  const dropIn = join(dir, "00-nodeward.conf");
  writeFileSync(conf, "rpcallowip=127.0.0.1\nsmartnode=1\nsmartnodeprivkey=abcdefgh\n");

  it("reports a loaded, matching table, SSH admin-only and the config findings", async () => {
    writeFileSync(dropIn, "# nodeward: ssh admin-only. x\n");
    const s = await hostStatus({ runner: runner(ruleset.table, 0), ruleset, sshdDropIn: dropIn, daemonConf: conf });
    assert.deepEqual({ ...s, confFindings: s.confFindings.map((f) => f.id) }, { rulesetLoaded: true, matchesPolicy: true, ssh: "admin-only", confFindings: ["rpc-all-interfaces"] });
  });

  it("tells a drifted table, SSH off, no systemd, and an unreadable config apart", async () => {
    const drifted = ruleset.table.replace("9678", "9999");
    assert.equal((await hostStatus({ runner: runner(drifted, 3), ruleset, sshdDropIn: dropIn, daemonConf: null })).matchesPolicy, false);
    assert.equal((await hostStatus({ runner: runner(null, 3), ruleset, sshdDropIn: dropIn, daemonConf: null })).ssh, "off");
    const none = await hostStatus({ runner: runner(null, null), ruleset, sshdDropIn: join(dir, "nope"), daemonConf: join(dir, "missing.conf") });
    assert.equal(none.rulesetLoaded, false);
    assert.equal(none.ssh, "unknown");
    assert.match(none.confError ?? "", /ENOENT/);
  });
});
