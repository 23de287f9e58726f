import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { AppError } from "../../core/errors.ts";
import { Redactor } from "../../core/redact.ts";
import { VultrHttp } from "./http.ts";
import { paginate } from "./paginate.ts";
import { json, stubFetch, type Step } from "./stub-fetch.ts";
import { TestClock } from "./test-clock.ts";
import { groupSchema } from "./wire.ts";

function setup(steps: readonly Step[]) {
  const clock = new TestClock();
  const fetch = stubFetch(steps);
  const http = new VultrHttp({ baseUrl: "https://api.example.test/v2", apiKey: "KEY-0123456789", clock, redactor: new Redactor(), fetch });
  const run = async () => {
    const p = paginate(http, { path: "/firewalls", key: "firewall_groups", item: groupSchema }).then((v) => v, (e: unknown) => e);
    await clock.runAll();
    return p;
  };
  return { fetch, run };
}

const page = (ids: string[], next: string | undefined) =>
  json(200, { firewall_groups: ids.map((id) => ({ id, description: id })), meta: next === undefined ? { total: 9 } : { total: 9, links: { next, prev: "" } } });

describe("paginate", () => {
  it("follows meta.links.next with per_page=500 until it is empty", async () => {
    const { fetch, run } = setup([page(["a", "b"], "c1"), page(["c"], "c2"), page(["d"], "")]);
    assert.deepEqual((await run() as { id: string }[]).map((g) => g.id), ["a", "b", "c", "d"]);
    assert.deepEqual(fetch.calls.map((c) => new URL(c.url).search), ["?per_page=500", "?per_page=500&cursor=c1", "?per_page=500&cursor=c2"]);
  });

  it("stops when meta or its links are missing", async () => {
    const { fetch, run } = setup([page(["a"], undefined)]);
    assert.equal((await run() as unknown[]).length, 1);
    assert.equal(fetch.calls.length, 1);
  });

  it("refuses a cursor it has already followed instead of looping forever", async () => {
    const { fetch, run } = setup([page(["a"], "x"), page(["b"], "y"), page(["c"], "x")]);
    const e = await run();
    assert.ok(e instanceof AppError);
    assert.equal(e.code, "PROVIDER_BAD_RESPONSE");
    assert.match(e.message, /GET \/firewalls: pagination cursor "x" came back a second time/);
    assert.equal(fetch.calls.length, 3);
  });

  it("names the list and the item when a page is not what the spec says", async () => {
    const noList = await setup([json(200, { groups: [], meta: {} })]).run();
    assert.match((noList as Error).message, /firewall_groups: expected an array, got nothing/);
    const badItem = await setup([json(200, { firewall_groups: [{ id: "a", description: "" }, { id: 7 }], meta: {} })]).run();
    assert.match((badItem as Error).message, /GET \/firewalls: firewall_groups\[1\]\.id: /);
  });
});
