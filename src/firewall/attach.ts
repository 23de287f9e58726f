import { AppError } from "../core/errors.ts";
import type { ApplyEvent, ApplyOptions } from "./apply-options.ts";
import type { Change } from "./plan.ts";

type Attach = Extract<Change, { kind: "attach" }>;

/**
 * Attaches instances concurrently (the provider client paces every call under the rate limit),
 * then polls the group's instance list — a few pages per poll, never a GET per instance — until
 * every attachment is visible (the provider answers 202 and applies later).
 */
export async function attachAll(groupId: string, attaches: readonly Attach[], opts: ApplyOptions, emit: (e: ApplyEvent) => void): Promise<number> {
  const { provider, signal, clock } = opts;
  const queue = [...attaches];
  const failed: { label: string; error: unknown }[] = [];
  let done = 0;
  const worker = async () => {
    for (let c = queue.shift(); c !== undefined; c = queue.shift()) {
      try {
        await provider.attachInstance(c.instanceId, groupId, signal);
        done++;
        emit({ kind: "attach-sent", label: c.label, done, total: attaches.length });
      } catch (error) {
        if (signal?.aborted) throw error;
        failed.push({ label: c.label, error });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.attachConcurrency, attaches.length)) }, worker));
  if (failed.length > 0) {
    const first = failed[0]?.error;
    throw new AppError("APPLY_FAILED", `could not attach ${failed.length} of ${attaches.length} instances (${failed.slice(0, 5).map((f) => f.label).join(", ")}${failed.length > 5 ? ", …" : ""}): ${first instanceof Error ? first.message : String(first)}`, {
      cause: first,
      hint: "no stray rule was removed; run `nodeward firewall apply` again",
    });
  }

  const want = new Set(attaches.map((a) => a.instanceId));
  const deadline = clock.now() + opts.attachTimeoutMs;
  let wait = opts.pollIntervalMs ?? 1000;
  for (;;) {
    const visible = (await provider.listInstancesInGroup(groupId, signal)).filter((i) => want.has(i.id)).length;
    emit({ kind: "attach-visible", visible, total: want.size });
    if (visible === want.size) return visible;
    if (clock.now() + wait > deadline) {
      throw new AppError("APPLY_FAILED", `${want.size - visible} of ${want.size} attachments are still not visible after ${Math.round(opts.attachTimeoutMs / 1000)} s`, {
        hint: "the provider accepted them (202) but has not applied them yet; run `nodeward firewall apply` again in a few minutes — no stray rule was removed",
      });
    }
    await clock.sleep(wait, signal);
    wait = Math.min(5000, Math.round(wait * 1.5));
  }
}
