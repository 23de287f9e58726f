import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseCidr } from "./cidr.ts";

describe("parseCidr", () => {
  const good: [string, string, "v4" | "v6", number][] = [
    ["203.0.113.7/32", "203.0.113.7/32", "v4", 32],
    [" 10.0.0.0/8 ", "10.0.0.0/8", "v4", 8],
    ["0.0.0.0/0", "0.0.0.0/0", "v4", 0],
    ["2001:DB8:0:0::/48", "2001:db8::/48", "v6", 48],
    ["::/0", "::/0", "v6", 0],
    ["::1/128", "::1/128", "v6", 128],
  ];
  for (const [input, text, ipType, size] of good) {
    it(`reads ${input.trim()} as ${text}`, () => {
      const r = parseCidr(input);
      assert.ok(r.ok, JSON.stringify(r));
      assert.deepEqual([r.cidr.text, r.cidr.ipType, r.cidr.subnetSize], [text, ipType, size]);
    });
  }

  const bad: [string, RegExp][] = [
    ["10.0.0.1/8", /host bits set; did you mean 10\.0\.0\.0\/8\?$/],
    ["2001:db8::1/64", /did you mean 2001:db8::\/64\?$/],
    ["203.0.113.7", /no prefix length; write 203\.0\.113\.7\/32/],
    ["2001:db8::1", /write 2001:db8::1\/128/],
    ["10.0.0.0/33", /IPv4 prefix is 0–32/],
    ["::/129", /IPv6 prefix is 0–128/],
    ["10.0.0.0/-1", /prefix \/-1/],
    ["10.0.0.0/", /prefix \//],
    ["10.1/16", /not an IPv4 or IPv6 CIDR block/],
    ["0x0a.0.0.0/8", /not an IPv4 or IPv6 CIDR block/],
    ["fe80::1%eth0/128", /not an IPv4 or IPv6 CIDR block/],
    ["office", /not an IPv4 or IPv6 CIDR block/],
  ];
  for (const [input, message] of bad) {
    it(`rejects ${input}`, () => {
      const r = parseCidr(input);
      assert.ok(!r.ok);
      assert.match(r.message, message);
    });
  }
});
