import assert from "node:assert/strict";
import { ConfigError, type ConfigIssue } from "../../src/core/errors.ts";
import { parseConfigText } from "../../src/config/load.ts";

/** The smallest valid config; tests append to it. */
export const BASE_CONFIG = "version: 1\ncoin: smartcash\nnodes:\n  tags: [smartnode]\n";

/** Every issue the config text is rejected with (fails the test when it is accepted). */
export function issuesOf(text: string): ConfigIssue[] {
  try {
    parseConfigText(text, "nodeward.yaml");
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected ConfigError, got ${String(e)}`);
    assert.equal(e.file, "nodeward.yaml");
    return [...e.issues];
  }
  assert.fail("expected the config to be rejected");
}

/** The one issue, asserting there is exactly one problem in the file. */
export function onlyIssue(text: string): ConfigIssue {
  const issues = issuesOf(text);
  assert.equal(issues.length, 1, JSON.stringify(issues, null, 1));
  return issues[0] as ConfigIssue;
}
