import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { parse } from "yaml";
import { parseConfigText } from "../src/config/load.ts";

/**
 * compose.yaml (PostgreSQL + two watchers) checked by reading it, as there is no container engine
 * here: every file it mounts or builds from exists, the watchers' config is a valid nodeward.yaml
 * for a fleet, each watcher is its own vantage, and no password sits in an environment variable
 * or on a command line (they come from compose secrets, as files).
 */

const root = new URL("..", import.meta.url).pathname;
const read = (p: string) => readFileSync(`${root}${p}`, "utf8");

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string>;
  secrets?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}

describe("compose.yaml", () => {
  const compose = parse(read("compose.yaml"), { merge: true }) as { services: Record<string, Service>; secrets: Record<string, { file: string }> };
  const watchers = Object.entries(compose.services).filter(([, s]) => s.command?.includes("watch"));

  it("runs PostgreSQL, the schema as its owner once, and two watchers that wait for it", () => {
    assert.ok(compose.services["db"]?.image?.includes("postgres"));
    assert.ok(compose.services["db"]?.healthcheck !== undefined);
    assert.deepEqual(compose.services["schema"]?.command?.slice(0, 2), ["store", "init"]);
    assert.equal(watchers.length, 2);
    for (const [, w] of watchers) assert.equal(w.depends_on?.["schema"]?.condition, "service_completed_successfully");
    const vantages = watchers.map(([, w]) => w.command![w.command!.indexOf("--vantage") + 1]);
    assert.equal(new Set(vantages).size, 2, "each watcher is its own vantage");
  });

  it("mounts and builds only files that exist, and the init script is valid sh", () => {
    for (const s of Object.values(compose.services)) {
      for (const v of s.volumes ?? []) {
        const host = v.split(":")[0]!;
        if (host.startsWith("./")) assert.ok(existsSync(`${root}${host.slice(2)}`), `${host} exists`);
      }
      if (s.build !== undefined) assert.ok(existsSync(`${root}${s.build.dockerfile}`));
    }
    for (const m of read("packaging/Dockerfile").matchAll(/^COPY (\S+)/gm)) {
      for (const f of m[1]!.split(" ")) assert.ok(existsSync(`${root}${f}`), `the Dockerfile copies ${f}, which exists`);
    }
    assert.equal(spawnSync("sh", ["-n", `${root}packaging/fleet/init-roles.sh`]).status, 0);
  });

  it("gives passwords as secret files only, never in the environment or on a command line", () => {
    for (const [name, s] of Object.entries(compose.services)) {
      for (const [k, v] of Object.entries(s.environment ?? {})) {
        if (/PASSWORD/.test(k)) assert.match(k, /_FILE$/, `${name}: ${k} points at a file`);
        assert.doesNotMatch(String(v), /postgres:\/\/[^@/]*:[^@/]*@/);
      }
      assert.doesNotMatch((s.command ?? []).join(" "), /postgres:\/\/[^@/]*:[^@/]*@|--password(?!-file)/);
    }
    for (const secret of Object.values(compose.secrets)) assert.match(secret.file, /^\.\/secrets\//);
  });

  it("hands the watchers a valid fleet configuration", () => {
    const { config } = parseConfigText(read("packaging/fleet/nodeward.yaml"), "nodeward.yaml");
    assert.match(config.store.url ?? "", /^postgres:\/\/nodeward_watch@db:5432\/nodeward$/);
    assert.deepEqual(config.store.password, { file: "/run/secrets/db_watch_password" });
  });
});
