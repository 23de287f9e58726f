import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { applySsh, sshdDropIn, undoSsh, validateSshd } from "../src/host/ssh.ts";
import { systemRunner, type CommandRunner } from "../src/host/runner.ts";

/**
 * The admin-only drop-in against Debian's real sshd: `sshd -t` in a temp config dir with a
 * temp host key. Needs sshd and ssh-keygen (openssh-server), and root (sshd -t wants /run/sshd);
 * skipped with the reason outside CI, required in CI. systemctl is faked: nothing is reloaded.
 */

function why(): string | null {
  if (process.getuid?.() !== 0) return "sshd -t needs root here (it checks /run/sshd)";
  for (const [cmd, args] of [["sshd", ["-V"]], ["ssh-keygen", ["-?"]]] as const) {
    try {
      execFileSync(cmd, args, { stdio: "ignore" });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return `${cmd} is not installed (apt-get install openssh-server)`;
    }
  }
  return null;
}

describe("sshd admin-only drop-in, validated by the real sshd -t", () => {
  const missing = why();
  let dir = "";
  let main = "";
  before(() => {
    if (missing !== null) return;
    dir = mkdtempSync(join(tmpdir(), "nodeward-sshd-test-"));
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", join(dir, "host_key")]);
    main = join(dir, "sshd_config");
    writeFileSync(main, `Port 22\nHostKey ${join(dir, "host_key")}\nInclude ${join(dir, "sshd_config.d")}/*.conf\nPasswordAuthentication yes\nPermitRootLogin yes\n`);
  });
  after(() => {
    if (dir !== "") rmSync(dir, { recursive: true, force: true });
  });
  const skip = (t: { skip: (m: string) => void }): boolean => {
    if (missing === null) return false;
    if (process.env.CI === "true") assert.fail(`CI must run the sshd tests, but: ${missing}`);
    t.skip(missing);
    return true;
  };

  it("accepts the drop-in for IPv4 and IPv6 admin blocks", async (t) => {
    if (skip(t)) return;
    assert.equal(await validateSshd(systemRunner(), sshdDropIn(["203.0.113.7/32", "2001:db8::/48"]), main), null);
  });

  it("reports sshd's own message for a config it rejects", async (t) => {
    if (skip(t)) return;
    const msg = await validateSshd(systemRunner(), `${sshdDropIn(["203.0.113.7/32"])}PermitRootLogin sometimes\n`, main);
    assert.match(msg ?? "", /PermitRootLogin|unsupported|Bad/i);
  });

  it("the drop-in's values win over the main config's (sshd keeps the first)", async (t) => {
    if (skip(t)) return;
    const cfg = join(dir, "effective");
    writeFileSync(cfg, `${sshdDropIn(["203.0.113.7/32"])}\n${readFileSync(main, "utf8")}`);
    // sshd -T, like -t, wants its privilege-separation directory; made here only if missing, removed after.
    const made = !existsSync("/run/sshd");
    if (made) mkdirSync("/run/sshd", { mode: 0o755 });
    let out = "";
    try {
      out = execFileSync("sshd", ["-T", "-f", cfg, "-C", "user=alice,host=h,addr=203.0.113.7"], { encoding: "utf8" });
    } finally {
      if (made) rmdirSync("/run/sshd");
    }
    assert.match(out, /^passwordauthentication no$/m);
    assert.match(out, /^permitrootlogin (prohibit-password|without-password)$/m); // older sshd prints the old alias
    assert.match(out, /^allowusers \*@203\.0\.113\.7\/32$/m);
  });

  it("installs only a valid drop-in, and undo puts the old file back", async (t) => {
    if (skip(t)) return;
    const calls: string[] = [];
    const real = systemRunner();
    const runner: CommandRunner = { ...real, run: (cmd, args, opts) => {
      if (cmd !== "systemctl") return real.run(cmd, args, opts);
      calls.push(args.join(" "));
      return Promise.resolve({ code: 3, stdout: "", stderr: "" }); // ssh.service inactive: nothing to reload
    } };
    const dropIn = join(dir, "00-nodeward.conf");
    writeFileSync(dropIn, "# someone's earlier file\n");
    const undo = await applySsh("admin-only", { runner, mainConfigPath: main }, { cidrs: ["203.0.113.7/32"], dropInPath: dropIn });
    assert.match(readFileSync(dropIn, "utf8"), /AllowUsers \*@203\.0\.113\.7\/32/);
    assert.deepEqual(calls, ["is-active --quiet ssh.service"], "sshd not running here: checked, not reloaded");
    await undoSsh(runner, undo);
    assert.equal(readFileSync(dropIn, "utf8"), "# someone's earlier file\n");

    const badMain = join(dir, "bad_config");
    writeFileSync(badMain, `${readFileSync(main, "utf8")}NoSuchOption yes\n`);
    const fresh = join(dir, "01-nodeward.conf");
    await assert.rejects(applySsh("admin-only", { runner, mainConfigPath: badMain }, { cidrs: ["203.0.113.7/32"], dropInPath: fresh }), /sshd rejects the admin-only drop-in/);
    assert.equal(existsSync(fresh), false);
  });
});
