import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";

const UNIT = new URL("../packaging/nodeward-watch.service", import.meta.url).pathname;

describe("packaging/nodeward-watch.service", () => {
  it("runs nodeward watch as an unprivileged, sandboxed service that restarts on failure", () => {
    const text = readFileSync(UNIT, "utf8");
    for (const line of ["ExecStart=/usr/bin/env nodeward watch", "User=nodeward", "NoNewPrivileges=true", "ProtectSystem=strict", "ProtectHome=true", "PrivateTmp=true", "CapabilityBoundingSet=", "Restart=on-failure", "KillSignal=SIGTERM", "UMask=0077"]) {
      assert.ok(text.split("\n").includes(line), `missing ${line}`);
    }
  });

  it("passes systemd-analyze verify", async (t) => {
    const run = promisify(execFile);
    try {
      await run("systemd-analyze", ["--version"]);
    } catch {
      if (process.env.CI === "true") assert.fail("CI must verify the unit, but systemd-analyze is missing (apt-get install systemd)");
      t.skip("systemd-analyze is not installed");
      return;
    }
    const r = await run("systemd-analyze", ["verify", UNIT]).catch((e: { stderr?: string }) => ({ stderr: e.stderr ?? String(e) }));
    const problems = (r.stderr ?? "").split("\n").filter((l) => l.trim() !== "" && !/nodeward\b.*(user|group)|Failed to resolve (user|group)|\/usr\/bin\/env/i.test(l));
    assert.deepEqual(problems, []);
  });
});
