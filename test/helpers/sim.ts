import assert from "node:assert/strict";
import { startSim, type Sim, type SimOptions, type SpecViolation } from "../../src/sim/server.ts";

/**
 * A simulator for tests that also checks every answer it gave against Vultr's spec: start it with
 * `startCheckedSim`, finish with `closeAndCheck()` (fails the test listing the violations), or let
 * `withCheckedSim` do both around a body.
 */

export type CheckedSim = Sim & { closeAndCheck(): Promise<void> };

export async function startCheckedSim(options: SimOptions = {}): Promise<CheckedSim> {
  const sim = await startSim({ ...options, validateResponses: true });
  return Object.assign(sim, {
    async closeAndCheck(): Promise<void> {
      await sim.close();
      assert.deepEqual(sim.violations, [], `the simulator answered outside the spec:\n${formatViolations(sim.violations)}`);
    },
  });
}

/** Runs `body` with a checked simulator; closes it in any case and checks it when `body` succeeded. */
export async function withCheckedSim<T>(options: SimOptions, body: (sim: CheckedSim) => Promise<T>): Promise<T> {
  const sim = await startCheckedSim(options);
  let result: T;
  try {
    result = await body(sim);
  } catch (err) {
    await sim.close();
    throw err;
  }
  await sim.closeAndCheck();
  return result;
}

export function formatViolations(violations: readonly SpecViolation[]): string {
  return violations.map((v) => `  ${v.method} ${v.path} → ${v.status}\n${v.errors.map((e) => `    - ${e}`).join("\n")}`).join("\n");
}

export interface SimAnswer {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed body; undefined when empty or not JSON. */
  json: unknown;
}

/** One authenticated call: `call(sim, "POST", "/firewalls", { description: "x" })`. */
export async function call(sim: Pick<Sim, "url" | "apiKey">, method: string, path: string, body?: unknown, apiKey = sim.apiKey): Promise<SimAnswer> {
  const headers: Record<string, string> = { Authorization: `Bearer ${apiKey}` };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const res = await fetch(`${sim.url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = text === "" ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}
