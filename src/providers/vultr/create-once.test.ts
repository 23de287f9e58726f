import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { AppError, ProviderHttpError } from "../../core/errors.ts";
import { createOnce } from "./create-once.ts";
import { AmbiguousWriteError } from "./http-errors.ts";

const ambiguous = () => new AmbiguousWriteError({ method: "POST", path: "/firewalls" }, 500, "maybe", "PROVIDER_HTTP");
const duplicate = () => new ProviderHttpError({ provider: "vultr", status: 400, method: "POST", path: "/x", message: "duplicate" });

/** Runs createOnce with scripted create outcomes and find answers; counts the calls. */
async function run(creates: (string | Error)[], finds: (string | undefined)[], isConflict?: (e: unknown) => boolean) {
  const calls = { create: 0, find: 0 };
  const result = await createOnce<string>({
    create: async () => {
      const r = creates[calls.create++];
      if (r instanceof Error) throw r;
      return r ?? "created";
    },
    find: async () => finds[calls.find++],
    isConflict,
  }).then((v) => v, (e: unknown) => e);
  return { result, calls };
}

describe("createOnce", () => {
  it("returns what the re-read finds after an ambiguous failure, without posting again", async () => {
    const { result, calls } = await run([ambiguous()], ["existing"]);
    assert.equal(result, "existing");
    assert.deepEqual(calls, { create: 1, find: 1 });
  });

  it("posts again when the re-read shows the ambiguous write did not happen", async () => {
    const { result, calls } = await run([ambiguous(), "second"], [undefined]);
    assert.equal(result, "second");
    assert.deepEqual(calls, { create: 2, find: 1 });
  });

  it("gives up after three ambiguous posts with the last error", async () => {
    const { result, calls } = await run([ambiguous(), ambiguous(), ambiguous(), "never"], []);
    assert.ok(result instanceof AmbiguousWriteError);
    assert.deepEqual(calls, { create: 3, find: 3 });
  });

  it("answers a rejected duplicate with the existing resource", async () => {
    const conflict = (e: unknown) => e instanceof ProviderHttpError && e.status === 400;
    assert.equal((await run([duplicate()], ["existing"], conflict)).result, "existing");
    const notThere = await run([duplicate()], [undefined], conflict);
    assert.ok(notThere.result instanceof ProviderHttpError, "a 400 that is not a duplicate stays an error");
    assert.deepEqual(notThere.calls, { create: 1, find: 1 });
  });

  it("does not re-read after a plain failure", async () => {
    const { result, calls } = await run([new AppError("PROVIDER_AUTH", "no")], []);
    assert.ok(result instanceof AppError && result.code === "PROVIDER_AUTH");
    assert.deepEqual(calls, { create: 1, find: 0 });
  });
});
