import assert from "node:assert/strict";
import { isStoreError, type StoreFailure } from "../errors.ts";

/** How a contract suite gets a fresh, empty store for each test, and lets go of it. */
export interface Made<S> {
  store: S;
  close(): void | Promise<void>;
}

export type MakeStore<S> = () => Promise<Made<S>>;

export async function withStore<S>(make: MakeStore<S>, test: (store: S) => Promise<void>): Promise<void> {
  const made = await make();
  try {
    await test(made.store);
  } finally {
    await made.close();
  }
}

/** Asserts the promise rejects with a StoreError of that reason. */
export async function rejectsWith(p: Promise<unknown>, reason: StoreFailure): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(isStoreError(e, reason), `expected a StoreError "${reason}", got ${e instanceof Error ? `${e.name} ${(e as { reason?: string }).reason ?? ""}: ${e.message}` : String(e)}`);
    return true;
  });
}
