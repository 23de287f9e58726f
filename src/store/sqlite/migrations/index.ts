import type { Migration } from "../migrate.ts";
import { migration0001 } from "./0001-initial.ts";
import { migration0002 } from "./0002-auth.ts";
import { migration0003 } from "./0003-outbox-attempts.ts";
import { migration0004 } from "./0004-fleet-snapshot.ts";
import { migration0005 } from "./0005-fleet.ts";
import { migration0006 } from "./0006-netview.ts";

/** Every schema migration, in order: the only place one is listed. Versions run 1, 2, 3, … */
export const MIGRATIONS: readonly Migration[] = [migration0001, migration0002, migration0003, migration0004, migration0005, migration0006];
