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

describe("the npm package", () => {
  it("ships the bundle beside the sources and the files they read at runtime, and no tests", async () => {
    const run = promisify(execFile);
    // --ignore-scripts: list what would be packed without rebuilding dist/ under the other tests' feet.
    const { stdout } = await run("npm", ["pack", "--dry-run", "--ignore-scripts", "--json"], { cwd: new URL("..", import.meta.url).pathname, maxBuffer: 16 * 1024 * 1024 });
    const files = new Set((JSON.parse(stdout) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path));
    for (const f of ["dist/nodeward.mjs", "dist/build.json", "bin/nodeward.js", "bin/freshness.js", "src/cli/main.ts", "src/sim/world/host-main.ts", "src/web/assets/charts.js", "vendor/vultr/v0.0.1.json", "packaging/nodeward-watch.service", "scripts/build.mjs"]) {
      assert.ok(files.has(f), `${f} is not in the package${f.startsWith("dist/") ? " (run npm run build first)" : ""}`);
    }
    assert.deepEqual([...files].filter((f) => f.endsWith(".test.ts")), []);
  });

  it("loads the PostgreSQL client only when a command uses it: no static import of pg in the bundle", () => {
    const bundle = readFileSync(new URL("../dist/nodeward.mjs", import.meta.url), "utf8");
    assert.doesNotMatch(bundle, /^import\b[^;]*\bfrom\s*["']pg["']/m, "a static import runs at every start-up (~90 ms)");
    assert.match(bundle, /import\(["']pg["']\)/, "the fleet's store loads it when it opens");
  });
});

