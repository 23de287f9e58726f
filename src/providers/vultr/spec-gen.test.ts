import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { OPERATIONS, OUT_PATH, check, readSpec, subsetSpec } from "../../../scripts/gen-vultr-types.ts";

describe("generated Vultr types", () => {
  it("spec.gen.ts is up to date with the vendored spec", async () => {
    const r = await check();
    assert.deepEqual(r, { ok: true }, r.ok ? "" : r.message);
  });

  it("reports a stale file with the command that fixes it", async () => {
    const dir = await mkdtemp(join(tmpdir(), "nodeward-vultr-gen-"));
    try {
      const stale = join(dir, "spec.gen.ts");
      await writeFile(stale, (await readFile(OUT_PATH, "utf8")).replace("firewall_rules", "firewall_rulez"));
      const r = await check(undefined, stale);
      assert.equal(r.ok, false);
      assert.match(r.ok ? "" : r.message, /stale.*npm run vultr:types/);
      const missing = await check(undefined, join(dir, "absent.gen.ts"));
      assert.match(missing.ok ? "" : missing.message, /missing/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("keeps only the operations nodeward uses and the components they reference", async () => {
    const sub = subsetSpec(await readSpec()) as { paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, unknown> } };
    assert.deepEqual(Object.keys(sub.paths).sort(), OPERATIONS.map(([p]) => p).sort());
    assert.equal(sub.paths["/instances"]?.post, undefined, "instance creation is not ours");
    assert.deepEqual(Object.keys(sub.components.schemas).sort(), ["firewall-group", "firewall-rule", "instance", "meta"]);
  });
});
