import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { inspect } from "node:util";
import { Redactor } from "../../core/redact.ts";
import { VultrHttp, type RequestInfo } from "./http.ts";
import { fetchFailed, json, stubFetch, type Step } from "./stub-fetch.ts";
import { TestClock } from "./test-clock.ts";

const KEY = "VKEYsecret0123456789ABCDEFGHIJKLMNOP";

/** Every way an error can reach a person: message, stack, JSON, util.inspect (with causes). */
function everyRendering(e: unknown): string {
  const err = e as Error;
  return [String(err.message), String(err.stack), JSON.stringify(e), inspect(e, { depth: 10 })].join("\n");
}

describe("the API key never leaves the client", () => {
  const echoes: [string, Step][] = [
    ["a 400 whose error text echoes the key", json(400, { error: `bad token Bearer ${KEY}` })],
    ["a 401 echoing the key", json(401, { error: `key ${KEY} not allowed from 203.0.113.9` })],
    ["a non-JSON 200 echoing the key", { status: 200, body: `<html>${KEY}</html>` }],
    ["a refused connection whose message holds the key", { error: fetchFailed("ECONNREFUSED", `connect to ${KEY}`) }],
    ["a dropped POST whose message holds the key", { error: fetchFailed("UND_ERR_SOCKET", `closed ${KEY}`) }],
    ["a dropped GET, retried, whose message holds the key", { error: fetchFailed("UND_ERR_SOCKET", `closed ${KEY}`) }],
    ["a 500 on POST echoing the key", json(500, { error: KEY })],
    ["an exhausted 503 on GET echoing the key", json(503, { error: `Authorization: Bearer ${KEY}` })],
  ];
  for (const [name, step] of echoes) {
    it(`keeps it out of errors and request logs for ${name}`, async () => {
      const clock = new TestClock();
      const infos: RequestInfo[] = [];
      const http = new VultrHttp({
        baseUrl: "https://api.example.test/v2", apiKey: KEY, clock, redactor: new Redactor(),
        fetch: stubFetch([step]), maxRetries: 1, onRequest: (i) => infos.push(i),
      });
      const method = name.includes("POST") ? "POST" : "GET";
      const p = http.request(method, "/firewalls", method === "POST" ? { body: {} } : {}).then(
        () => assert.fail("expected a failure"),
        (e: unknown) => e,
      );
      await clock.runAll();
      const e = await p;
      const text = everyRendering(e) + JSON.stringify(infos);
      assert.equal(text.includes(KEY), false, text);
      assert.ok(infos.length > 0);
    });
  }
});
