import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { AppError } from "../core/errors.ts";
import { sshdDropIn, sshGuard } from "./ssh.ts";

describe("sshdDropIn", () => {
  it("is key-only, no root password, and allows only the admin blocks", () => {
    const text = sshdDropIn(["203.0.113.7/32", "2001:db8::/48"]);
    assert.match(text, /^PasswordAuthentication no$/m);
    assert.match(text, /^KbdInteractiveAuthentication no$/m);
    assert.match(text, /^PermitRootLogin prohibit-password$/m);
    assert.match(text, /^AllowUsers \*@203\.0\.113\.7\/32 \*@2001:db8::\/48$/m);
  });
  it("refuses admin-only without any admin block: nobody could log in", () => {
    assert.throws(() => sshdDropIn([]), (e: unknown) => e instanceof AppError && /nobody could log in/.test(e.message));
  });
});

describe("sshGuard", () => {
  const over = { over: "ssh", clientIp: "203.0.113.7", serverPort: 22, how: "SSH_CONNECTION" } as const;
  it("refuses --ssh off inside an SSH session", () => {
    assert.equal(sshGuard("off", over, []).ok, false);
    assert.equal(sshGuard("off", { over: "ssh-unknown", how: "sshd ancestor" }, []).ok, false);
  });
  it("allows --ssh off from the console", () => {
    assert.equal(sshGuard("off", { over: "none" }, []).ok, true);
  });
  it("allows admin-only when the client is inside an admin block, refuses otherwise", () => {
    assert.equal(sshGuard("admin-only", over, ["203.0.113.0/24"]).ok, true);
    assert.equal(sshGuard("admin-only", over, ["198.51.100.0/24", "2001:db8::/32"]).ok, false);
  });
});
