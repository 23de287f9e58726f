import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ConfigError } from "../core/errors.ts";
import { parseConfigText } from "../config/load.ts";

const base = "version: 1\ncoin: smartcash\nnodes: {tags: [a]}\n";
const parse = (extra: string) => parseConfigText(base + extra, "nodeward.yaml").config;
const problems = (extra: string): string => {
  try {
    parseConfigText(base + extra, "nodeward.yaml");
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected a ConfigError, got ${String(e)}`);
    return e.issues.map((i) => `${i.path}: ${i.message}`).join("\n");
  }
  assert.fail("the config was accepted");
};

describe("store and vantage configuration", () => {
  it("defaults to SQLite, the vantage named by the watcher, and a majority quorum", () => {
    const c = parse("");
    assert.equal(c.store.url, undefined);
    assert.equal(c.watch.vantage.name, undefined);
    assert.equal(c.watch.quorum, "majority");
  });

  it("takes a PostgreSQL URL with a password from the environment or a file", () => {
    const c = parse("store: {url: 'postgres://nodeward@db.example:5432/nodeward?sslmode=verify-full', password: {env: NW_DB}}\nwatch: {vantage: {name: fra-1, region: Frankfurt}, quorum: 2}\n");
    assert.equal(c.store.url, "postgres://nodeward@db.example:5432/nodeward?sslmode=verify-full");
    assert.deepEqual(c.store.password, { env: "NW_DB" });
    assert.deepEqual(c.watch.vantage, { name: "fra-1", region: "Frankfurt" });
    assert.equal(c.watch.quorum, 2);
  });

  it("refuses a password in the URL without repeating it", () => {
    for (const url of ["postgres://nodeward:hunter2-secret@db:5432/nw", "postgres://nodeward@db/nw?password=hunter2-secret"]) {
      const message = problems(`store: {url: '${url}'}\n`);
      assert.match(message, /carries a password/);
      assert.doesNotMatch(message, /hunter2-secret/);
    }
  });

  it("refuses what is not PostgreSQL, and a SQLite file beside store.url", () => {
    assert.match(problems("store: {url: 'mysql://db/nw'}\n"), /mysql:\/\/ is not PostgreSQL/);
    assert.match(problems("store: {url: 'db.example'}\n"), /not a URL/);
    assert.match(problems("store: {url: 'postgres://db/nw'}\nwatch: {database: /tmp/nw.db}\n"), /remove one of them/);
  });

  it("refuses vantage names that would break a log line or a metrics label", () => {
    for (const name of ['"a\\r\\nb"', '"fra 1"', '"x{y}"', `"${"a".repeat(65)}"`]) {
      assert.match(problems(`watch: {vantage: {name: ${name}}}\n`), /not a vantage name/);
    }
    assert.equal(parse("watch: {vantage: {name: 東京-1}}\n").watch.vantage.name, "東京-1");
  });
});
