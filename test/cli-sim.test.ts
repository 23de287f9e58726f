import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";

const BIN = new URL("../bin/nodeward.js", import.meta.url).pathname;

describe("nodeward sim", () => {
  it("serves a seeded fleet on loopback and stops cleanly on SIGTERM", async () => {
    const child = spawn(process.execPath, [BIN, "sim", "--instances", "5", "--seed", "3", "--attach-delay", "0"], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
    try {
      let out = "";
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 15_000);
        child.stdout.on("data", (d: Buffer) => {
          out += d.toString();
          const m = /on (http:\/\/127\.0\.0\.1:\d+\/v2)/.exec(out);
          if (m?.[1] && /VULTR_API_KEY=(\S+)/.test(out)) {
            clearTimeout(timer);
            resolve(m[1]);
          }
        });
      });
      const key = /VULTR_API_KEY=(\S+)/.exec(out)?.[1] ?? "";
      const res = await fetch(`${url}/instances`, { headers: { authorization: `Bearer ${key}` } });
      assert.equal(res.status, 200);
      const body = (await res.json()) as { instances: unknown[]; meta: { total: number } };
      assert.equal(body.meta.total, 5);
      child.kill("SIGTERM");
      const [code] = (await once(child, "exit")) as [number | null];
      assert.equal(code, 0);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });
});
