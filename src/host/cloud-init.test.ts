import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parse } from "yaml";
import { desiredPolicy } from "../firewall/policy.ts";
import { cloudInit, type CloudInitInput } from "./cloud-init.ts";
import { hostRuleset } from "./ruleset.ts";

const input = (ssh: CloudInitInput["ssh"]): CloudInitInput => ({
  ruleset: hostRuleset(desiredPolicy({ description: "d", ports: [{ protocol: "tcp", port: "9678", purpose: "P2P" }, { protocol: "tcp", port: "8080", purpose: "SAPI" }], adminAccess: [{ cidr: "203.0.113.7/32", port: "22", protocol: "tcp" }], icmp: false }, true)),
  ssh,
  sshCidrs: ["203.0.113.7/32"],
  persistPath: "/etc/nftables.d/nodeward.nft",
  systemdDropIn: "/etc/systemd/system/nftables.service.d/nodeward.conf",
  sshdDropIn: "/etc/ssh/sshd_config.d/00-nodeward.conf",
});

interface Doc { write_files: { path: string; content: string }[]; runcmd: (string | string[])[]; packages: string[] }

describe("cloudInit", () => {
  it("is #cloud-config YAML that writes, loads and persists the exact ruleset", () => {
    const i = input("unchanged");
    const text = cloudInit(i);
    assert.ok(text.startsWith("#cloud-config\n"));
    const doc = parse(text) as Doc;
    assert.equal(doc.write_files.find((f) => f.path === i.persistPath)?.content, i.ruleset.file);
    assert.match(doc.write_files.find((f) => f.path === i.systemdDropIn)?.content ?? "", /ExecStartPost=\/usr\/sbin\/nft -f \/etc\/nftables\.d\/nodeward\.nft/);
    assert.deepEqual(doc.runcmd.slice(0, 3), [["nft", "-f", i.persistPath], ["systemctl", "daemon-reload"], ["systemctl", "enable", "nftables.service"]]);
    assert.ok(doc.packages.includes("nftables"));
    assert.ok(!JSON.stringify(doc.runcmd).includes("ssh"));
  });
  it("turns SSH off at first boot", () => {
    const doc = parse(cloudInit(input("off"))) as Doc;
    assert.deepEqual(doc.runcmd.at(-1), ["systemctl", "disable", "--now", "ssh.socket", "ssh.service"]);
  });
  it("installs the admin-only drop-in, checked by sshd -t before reload", () => {
    const doc = parse(cloudInit(input("admin-only"))) as Doc;
    assert.match(doc.write_files.find((f) => f.path.endsWith("00-nodeward.conf"))?.content ?? "", /AllowUsers \*@203\.0\.113\.7\/32/);
    assert.match(JSON.stringify(doc.runcmd.at(-1)), /if sshd -t; then systemctl reload ssh.service; else rm -f/);
  });
});
