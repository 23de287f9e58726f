import type { PgMigration } from "../migrate.ts";
import { migration0001 } from "./0001-initial.ts";
import { migration0002 } from "./0002-auth.ts";
import { migration0003 } from "./0003-fleet.ts";
import { migration0004 } from "./0004-netview.ts";

/** Every PostgreSQL schema migration, in order: the only place one is listed. Versions run 1, 2, 3, … */
export const PG_MIGRATIONS: readonly PgMigration[] = [migration0001, migration0002, migration0003, migration0004];
