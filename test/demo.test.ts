import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { netnsAvailable } from "../src/sim/world/netns.ts";
import { runCli } from "./helpers/cli.ts";

describe("npm run demo (the README's quick start)", () => {
  it("tells the whole story on the embedded simulator and exits 0", async () => {
    const world = await netnsAvailable();
    const r = await runCli(["demo"], { timeoutMs: 150_000 });
    assert.equal(r.code, 0, r.stdout.slice(-3000) + r.stderr);
    for (const chapter of ["firewall plan", "firewall apply", "Write calls made by the second run: 0", "rule-extra", "nodeward audit — every step of the hardening guide", "Demo complete"]) {
      assert.ok(r.stdout.includes(chapter), `missing: ${chapter}`);
    }
    if (world.ok) {
      assert.match(r.stdout, /All 8 nodes verified/);
      const before = r.stdout.slice(r.stdout.indexOf("━━ 3. nodeward audit"), r.stdout.indexOf("━━ 4."));
      assert.match(before, /✗ 1\. Cloud firewall\s+\d+ fail/);
      assert.match(before, /FAILED: \d+ check results failed/);
      const after = r.stdout.slice(r.stdout.indexOf("━━ 12. nodeward audit"));
      assert.match(after, /✓ 1\. Cloud firewall\n[\s\S]*✓ 2\. Seen from outside\n[\s\S]*✓ 3\. Reward clock\n[\s\S]*✓ 4\. The network's view\n[\s\S]*✓ 7\. Vultr account/);
      assert.match(after, /\d+ pass, 0 fail, 0 need attention, \d+ cannot be checked\.\nPASSED/);
      assert.match(r.stdout, /alert NETWORK EXPIRED: (\S+)\n\s+Node: \1 [^\n]*\n\s+Network state: EXPIRED\n[\s\S]*alert NETWORK OK: \1 \(ENABLED\)/);
      assert.match(r.stdout, /alert DOWN: .*\n[\s\S]*alert REBOOT REQUESTED[\s\S]*alert RECOVERED/);
    } else {
      if (process.env.CI === "true") assert.fail(`CI must run the demo's network chapters, but: ${world.reason}`);
      assert.match(r.stdout, /skipped: /);
    }
  });
});
