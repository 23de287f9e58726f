import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { CONFIG_DOCS_FILE, configDocsMarkdown } from "./docs.ts";

describe("the configuration reference", () => {
  it("is committed exactly as generated (run `npm run schema` after changing schema.ts)", async () => {
    assert.equal(await readFile(new URL(`../../${CONFIG_DOCS_FILE}`, import.meta.url), "utf8"), configDocsMarkdown());
  });

  it("documents every key, including nested list items", () => {
    const md = configDocsMarkdown();
    for (const key of ["version", "provider.apiKeyEnv", "coin", "extraPorts", "nodes.labels", "firewall.adminAccess[].cidr", "firewall.attachTimeoutSeconds"]) {
      assert.match(md, new RegExp(`\\| \`${key.replace(/[.[\]]/g, "\\$&")}\` \\|`), key);
    }
  });
});
