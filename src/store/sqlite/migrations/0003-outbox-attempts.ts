import type { Migration } from "../migrate.ts";

/**
 * Delivery attempts recorded before they start (issue 12): `sending_at` is set, and committed,
 * before an alert goes to its channel and cleared when the attempt ends; one still set when the
 * next delivery pass starts belongs to a process that died or stopped during the send, so nobody
 * knows whether the alert arrived. Such an item is marked `in_doubt` and sent again, marked as a
 * possible duplicate. Existing rows start with no open attempt and not in doubt. Frozen once released.
 */
export const migration0003: Migration = {
  version: 3,
  name: "outbox-attempts",
  sql: `
ALTER TABLE outbox ADD COLUMN sending_at INTEGER;
ALTER TABLE outbox ADD COLUMN in_doubt INTEGER NOT NULL DEFAULT 0 CHECK (in_doubt IN (0, 1));
CREATE INDEX outbox_sending ON outbox (id) WHERE sending_at IS NOT NULL;
`,
};
