import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { classifyConnectError, type ErrnoClass } from "./classify.ts";

describe("classifyConnectError", () => {
  const cases: Array<[string | undefined, ErrnoClass]> = [
    ["ECONNREFUSED", { kind: "answer", state: "closed", reason: "refused", timing: true }],
    ["ECONNRESET", { kind: "answer", state: "closed", reason: "refused", timing: true }],
    ["EHOSTUNREACH", { kind: "answer", state: "filtered", reason: "unreachable", timing: false }],
    ["ENETUNREACH", { kind: "answer", state: "filtered", reason: "net-unreachable", timing: false }],
    ["EACCES", { kind: "answer", state: "filtered", reason: "admin-prohibited", timing: false }],
    ["ENOPROTOOPT", { kind: "answer", state: "filtered", reason: "proto-unreachable", timing: false }],
    ["EHOSTDOWN", { kind: "answer", state: "filtered", reason: "host-down", timing: false }],
    ["ENONET", { kind: "answer", state: "filtered", reason: "no-network", timing: false }],
    ["ETIMEDOUT", { kind: "silent" }],
    ["EMFILE", { kind: "resource" }],
    ["ENFILE", { kind: "resource" }],
    ["EADDRNOTAVAIL", { kind: "resource" }],
    ["ENOBUFS", { kind: "resource" }],
    ["EPERM", { kind: "fatal" }],
    ["ENETDOWN", { kind: "fatal" }],
    ["ESOMETHINGNEW", { kind: "fatal" }],
    [undefined, { kind: "fatal" }],
  ];
  for (const [code, expected] of cases) {
    it(`reads ${code ?? "a missing code"} as ${expected.kind === "answer" ? `${expected.state} (${expected.reason})` : expected.kind}`, () => {
      assert.deepEqual(classifyConnectError(code), expected);
    });
  }

  it("never turns a local failure into a port state", () => {
    for (const code of ["EMFILE", "EPERM", "EINVAL", "EAFNOSUPPORT"]) {
      assert.notEqual(classifyConnectError(code).kind, "answer", code);
    }
  });
});
