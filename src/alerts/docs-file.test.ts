import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { ALERTS_DOCS_FILE, alertsDocsMarkdown } from "./docs-file.ts";
import { channelTypes } from "./channels/index.ts";

describe("docs/alerts.md", () => {
  it("is committed exactly as generated (run `npm run schema` after changing a channel)", async () => {
    assert.equal(await readFile(new URL(`../../${ALERTS_DOCS_FILE}`, import.meta.url), "utf8"), alertsDocsMarkdown());
  });

  it("documents every registered channel", () => {
    const md = alertsDocsMarkdown();
    for (const c of channelTypes) assert.match(md, new RegExp(`type: ${c.type}`));
  });
});
