import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { configSchema, type Config } from "../config/schema.ts";
import { AppError } from "../core/errors.ts";
import { Redactor } from "../core/redact.ts";
import { resolveTarget, sameDatabase } from "./store-target.ts";

const config = (store: Record<string, unknown>): Config => configSchema.parse({ version: 1, coin: "smartcash", nodes: { tags: ["x"] }, store });
const URL_A = "postgres://nodeward@db.example.net:5432/nodeward?sslmode=verify-full";

describe("sameDatabase", () => {
  const cases: [string, string, boolean][] = [
    ["postgres://u@h:5432/db", "postgres://u@h/db", true],
    ["postgres://u@H.Example:5432/db?sslmode=require", "postgresql://u@h.example/db", true],
    ["postgres://u@h/db", "postgres://v@h/db", false],
    ["postgres://u@h/db", "postgres://u@h:5433/db", false],
    ["postgres://u@h/db", "postgres://u@h/db2", false],
    ["postgres://u@h/db", "postgres://u@other/db", false],
  ];
  for (const [a, b, same] of cases) it(`${a} and ${b}: ${same ? "the same database" : "another one"}`, () => assert.equal(sameDatabase(new URL(a), new URL(b)), same));
});

describe("resolveTarget", () => {
  const env = { PW: "from-env", STORE_PW: "from-config" };

  it("takes --password-env, else store.password for store.url's database, else none", async () => {
    const c = config({ url: URL_A, password: { env: "STORE_PW" } });
    const r = new Redactor();
    assert.deepEqual(await resolveTarget({ to: "postgres://nodeward@db.example.net/nodeward", passwordEnv: "PW" }, c, env, r), { url: "postgres://nodeward@db.example.net/nodeward", password: "from-env", passwordFrom: "--password-env", warnings: [] });
    assert.equal((await resolveTarget({ to: "postgres://nodeward@db.example.net/nodeward" }, c, env, r)).password, "from-config");
    assert.deepEqual(await resolveTarget({ to: undefined }, c, env, r), { url: URL_A, password: "from-config", passwordFrom: "store.password", warnings: [] });
    assert.equal((await resolveTarget({ to: "postgres://owner@db.example.net/nodeward" }, c, env, r)).passwordFrom, "none", "another user's password is not the configured one");
    assert.equal((await resolveTarget({ to: "postgres://nodeward@db.example.net/nodeward" }, null, env, r)).passwordFrom, "none");
    assert.equal(r.redact("x from-env from-config x"), "x [REDACTED] [REDACTED] x");
  });

  it("refuses a URL with a password in it, in the authority or as a parameter, never repeating it", async () => {
    for (const to of ["postgres://u:Hunter2-secret@h/db", "postgres://u@h/db?password=Hunter2-secret", "postgres://u:Hunter2%2Dsecret@h/db"]) {
      const r = new Redactor();
      await assert.rejects(resolveTarget({ to, passwordEnv: "PW" }, null, env, r), (e: unknown) => {
        assert.ok(e instanceof AppError && e.code === "USAGE");
        assert.match(e.message, /carries a password/);
        assert.ok(!`${e.message} ${e.hint ?? ""}`.includes("Hunter2"), e.message);
        return true;
      });
      assert.equal(r.redact("Hunter2-secret"), "[REDACTED]", "registered, so no later line can show it");
    }
  });

  it("refuses no target, another scheme, and two password flags at once", async () => {
    const r = new Redactor();
    await assert.rejects(resolveTarget({ to: undefined }, null, env, r), /no PostgreSQL database: give --to/);
    await assert.rejects(resolveTarget({ to: "mysql://u@h/db" }, null, env, r), /not PostgreSQL's/);
    await assert.rejects(resolveTarget({ to: "postgres://u@h/db", passwordEnv: "PW", passwordFile: "/x" }, null, env, r), /not both/);
  });
});
