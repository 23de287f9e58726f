import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { isAppError } from "../core/errors.ts";
import { resolveTargets, type FamilyChoice, type Lookup } from "./resolve.ts";

const node: Lookup = async (host) => {
  if (host !== "node.example") throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: "ENOTFOUND" });
  return [
    { address: "2001:db8::7", family: 6 },
    { address: "203.0.113.7", family: 4 },
    { address: "203.0.113.8", family: 4 },
  ];
};
const v4only: Lookup = async () => [{ address: "203.0.113.9", family: 4 }];
const never: Lookup = async () => {
  throw new Error("an address must not be looked up");
};

describe("resolveTargets", () => {
  const cases: Array<[string, string, FamilyChoice, Lookup, Array<{ address: string; family: 4 | 6 }>]> = [
    ["takes an IPv4 address as it is", "127.0.0.1", "any", never, [{ address: "127.0.0.1", family: 4 }]],
    ["takes an IPv6 address as it is", "::1", "any", never, [{ address: "::1", family: 6 }]],
    ["drops brackets around an IPv6 address", "[::1]", "both", never, [{ address: "::1", family: 6 }]],
    ["uses the resolver's first answer for any family", "node.example", "any", node, [{ address: "2001:db8::7", family: 6 }]],
    ["picks the first IPv4 address when asked for 4", "node.example", 4, node, [{ address: "203.0.113.7", family: 4 }]],
    ["picks the first IPv6 address when asked for 6", "node.example", 6, node, [{ address: "2001:db8::7", family: 6 }]],
    ["reports both families only when asked", "node.example", "both", node, [{ address: "203.0.113.7", family: 4 }, { address: "2001:db8::7", family: 6 }]],
    ["reports the one family a name has when both are asked", "v4.example", "both", v4only, [{ address: "203.0.113.9", family: 4 }]],
  ];
  for (const [name, host, choice, lookup, expected] of cases) {
    it(name, async () => assert.deepEqual(await resolveTargets(host, choice, lookup), expected));
  }

  const failures: Array<[string, string, FamilyChoice, Lookup, RegExp]> = [
    ["a name that does not resolve", "nope.example", "any", node, /cannot resolve "nope.example" \(ENOTFOUND\)/],
    ["a missing family", "v4.example", 6, v4only, /resolves to no IPv6 address/],
    ["an address of the other family", "127.0.0.1", 6, never, /IPv4 address but IPv6 was asked for/],
    ["an empty host", "", "any", never, /neither an IP address nor a host name/],
  ];
  for (const [name, host, choice, lookup, message] of failures) {
    it(`refuses ${name} with a usage error`, async () => {
      await assert.rejects(resolveTargets(host, choice, lookup), (e: unknown) => isAppError(e) && e.code === "USAGE" && message.test(e.message));
    });
  }

  it("resolves localhost through the system resolver", async () => {
    const [t] = await resolveTargets("localhost", "any");
    assert.ok(t !== undefined && (t.address === "127.0.0.1" || t.address === "::1"), JSON.stringify(t));
  });
});
