import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ConfigError } from "../core/errors.ts";
import { formatIssues } from "./format.ts";
import { parseConfigText } from "./load.ts";

describe("formatIssues", () => {
  it("prints one clickable line per issue with path and message", () => {
    const error = new ConfigError(
      [
        { path: "firewall.adminAccess[0].cidr", message: '"10.0.0.1/8" has host bits set; did you mean 10.0.0.0/8?', line: 12, column: 5 },
        { path: "", message: "YAML: something\nspanning lines", line: 3, column: 1 },
        { path: "coin", message: "required key is missing" },
      ],
      "nodeward.yaml",
    );
    assert.equal(
      formatIssues(error),
      [
        'nodeward.yaml:12:5  firewall.adminAccess[0].cidr  "10.0.0.1/8" has host bits set; did you mean 10.0.0.0/8?',
        "nodeward.yaml:3:1  YAML: something spanning lines",
        "nodeward.yaml  coin  required key is missing",
      ].join("\n"),
    );
  });

  it("formats what the loader throws, without a stack trace", () => {
    let error: unknown;
    try {
      parseConfigText("version: 1\ncoin: smartcash\nnodes: {tags: [a]}\nfirewall:\n  adminAccess:\n    - cidr: 10.0.0.1/8\n", "conf/nodeward.yaml");
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof ConfigError);
    assert.equal(formatIssues(error), 'conf/nodeward.yaml:6:13  firewall.adminAccess[0].cidr  "10.0.0.1/8" has host bits set; did you mean 10.0.0.0/8?');
  });
});
