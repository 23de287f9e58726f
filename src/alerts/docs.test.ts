import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { alertChannelsDocs } from "./docs.ts";

describe("alertChannelsDocs", () => {
  it("has a section per channel type, each with its key table", () => {
    const md = alertChannelsDocs();
    for (const id of ["discord", "telegram", "slack", "webhook", "email"]) assert.ok(md.includes(`\n### ${id}\n`), id);
    assert.equal(md.match(/\| key \| type \| default \| description \|/g)?.length, 5);
    assert.match(md, /\| `webhookUrl` \| secret \| \*\*required\*\* \|/);
    assert.match(md, /\| `security` \| `starttls` \\\| `tls` \\\| `none` \| `"starttls"` \|/);
  });
});
