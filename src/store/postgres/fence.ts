import type { Fence } from "../../fleet/ports.ts";
import { StoreError } from "../errors.ts";
import type { Query } from "./db.ts";

/**
 * The fence of a leader-only write (fleet/ports.ts Fence), checked inside the write's own
 * transaction: the lease row must still name the fence's holder and token and must not have
 * lapsed by the database's clock. The row is read FOR SHARE, so another watcher's takeover (an
 * UPDATE of that row) waits until this transaction has committed: a write that passed its fence
 * is ordered before the next holder's lease, never after. A stale leader (stopped, then resumed
 * after its lease lapsed or was taken over) is refused and changes nothing.
 */

/** Now, in whole ms since the epoch, by the database's clock: every lease time uses this one clock. */
export const DB_NOW_MS = "floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint";

/** Where a fenced write comes from, for the refusal's message. */
export type FencedWrite = "outbox.enqueue" | "outbox.markSending" | "outbox.markInterrupted";

/** Passes when there is no fence to check (a single watcher) or the fence holds; throws StoreError "fenced" otherwise. */
export async function checkFence(q: Query, fence: Fence | null, write: FencedWrite): Promise<void> {
  if (fence === null) return;
  const { rows } = await q<{ holder: string; token: number; expires_at: number; now: number }>(
    `SELECT holder, token, expires_at, ${DB_NOW_MS} AS now FROM leases WHERE name = $1 FOR SHARE`,
    [fence.name],
  );
  const lease = rows[0];
  const why =
    lease === undefined
      ? "the lease was never taken"
      : lease.holder !== fence.holder || lease.token !== fence.token
        ? `the lease is now ${JSON.stringify(lease.holder)}'s with token ${lease.token}`
        : lease.expires_at <= lease.now
          ? `the lease lapsed at ${new Date(lease.expires_at).toISOString()} (database clock)`
          : null;
  if (why === null) return;
  throw new StoreError(
    "fenced",
    `${write} refused: ${JSON.stringify(fence.holder)} presented token ${fence.token} of the lease ${JSON.stringify(fence.name)}, but ${why}`,
    { hint: "this watcher is no longer the leader; it must take the lease again before it sends anything" },
  );
}
