import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { qrTerminal } from "../auth/qr.ts";
import { makeStyle } from "../core/style.ts";
import { terminalEdge } from "./terminal.ts";

const NONCE = "0123456789abcdef0123";
const ESC = "\u001b";

describe("the terminal edge", () => {
  const edge = terminalEdge(NONCE);

  it("turns our own colours into SGR codes after showing every control of the text", () => {
    const s = edge.style(true);
    const label = `evil${ESC}]0;PWNED\u0007${ESC}[2J${ESC}[31mRED`;
    assert.equal(edge.render(`${s.red("✗")} ${label}\n`), `${ESC}[31m✗${ESC}[39m evil\\e]0;PWNED\\a\\e[2J\\e[31mRED\n`);
  });

  it("gives no colour to a mark made with another nonce, nor to a bare private-use character", () => {
    const forged = terminalEdge("fedcba9876543210fedc").style(true).red("x");
    const out = edge.render(`${forged} \u{e000}31\u{e001}`);
    assert.equal(out.includes(ESC), false);
  });

  it("writes plain text when colour is off", () => {
    assert.equal(edge.render(edge.style(false).bold("Plan: 1 change")), "Plan: 1 change");
  });

  it("carries colour codes nodeward generated itself (the QR code) through `ours`", () => {
    const qr = `${ESC}[47m${ESC}[30m ▄▄ ${ESC}[0m\n`;
    assert.equal(edge.render(edge.style(true).ours(qr)), qr);
    assert.equal(edge.render(edge.style(false).ours(qr)), " ▄▄ \n");
    assert.equal(edge.render(qr), "\\e[47m\\e[30m ▄▄ \\e[0m\n", "without `ours` they are shown like anyone's");
  });

  it("passes the real QR code of `2fa enroll` through unchanged in colour", async () => {
    const qr = await qrTerminal("otpauth://totp/nodeward:alice?secret=JBSWY3DPEHPK3PXP&issuer=nodeward", true);
    assert.ok(qr.includes(`${ESC}[47m`), "the QR code is drawn with colours");
    assert.equal(edge.render(edge.style(true).ours(qr)), qr);
  });

  it("keeps line feeds and tabs, shows CR", () => {
    assert.equal(edge.render("a\n\tb\r"), "a\n\tb\\r");
  });

  it("refuses a guessable nonce", () => {
    assert.throws(() => terminalEdge("1234"), RangeError);
  });

  it("leaves the default style's real SGR codes as they are outside the edge (audit files, tests)", () => {
    assert.equal(makeStyle(true).red("x"), `${ESC}[31mx${ESC}[39m`);
  });
});
