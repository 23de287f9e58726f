import type { Migration } from "../migrate.ts";

/** The last fleet the provider listed, so `watch` starts while the API is unreachable. Frozen once released. */
export const migration0004: Migration = {
  version: 4,
  name: "fleet-snapshot",
  sql: `
CREATE TABLE fleet_snapshot (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  taken_at INTEGER NOT NULL,
  nodes TEXT NOT NULL
) STRICT;
`,
};
