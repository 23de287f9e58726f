import { z } from "zod";

/**
 * `store:` and `watch.vantage` / `watch.quorum` in nodeward.yaml: where the watchers of a fleet
 * share their history (PostgreSQL), and who each watcher is. A single watcher needs none of it:
 * without store.url it keeps its SQLite file (watch.database) and is the only vantage.
 */

const envRef = z.strictObject({ env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: "not an environment variable name" }).describe("Environment variable holding the password.") });
const fileRef = z.strictObject({ file: z.string().min(1).describe("File holding the password (~ expands; keep it chmod 600).") });

/** A PostgreSQL URL without a password: the password never sits in the config file or on a command line. */
const postgresUrl = z
  .string()
  .trim()
  .superRefine((text, ctx) => {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      ctx.addIssue({ code: "custom", message: "not a URL: write postgres://USER@HOST:PORT/DATABASE", input: "(the URL)" });
      return;
    }
    if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") {
      ctx.addIssue({ code: "custom", message: `${url.protocol.replace(/:$/, "")}:// is not PostgreSQL: write postgres://USER@HOST:PORT/DATABASE`, input: "(the URL)" });
    } else if (url.password !== "" || url.searchParams.has("password")) {
      ctx.addIssue({ code: "custom", message: "the URL carries a password: remove it and set store.password ({env: NAME} or {file: PATH})", input: "(the URL)" });
    } else if (url.hostname === "" && !url.searchParams.has("host")) {
      ctx.addIssue({ code: "custom", message: "the URL names no host: write postgres://USER@HOST:PORT/DATABASE", input: "(the URL)" });
    }
  });

export const storeSchema = z
  .strictObject({
    url: postgresUrl
      .optional()
      .describe(
        "PostgreSQL URL (postgres://USER@HOST:PORT/DATABASE?sslmode=verify-full&sslrootcert=/path/ca.crt) shared by every watcher of a fleet; " +
          "unset: the SQLite file watch.database. No password in the URL: use store.password.",
      ),
    password: z.union([envRef, fileRef]).optional().describe("The database password: {env: NAME} or {file: PATH} (chmod 600). Unset: none (peer, trust or certificate authentication)."),
    poolSize: z.number().int().min(2).max(100).default(8).describe("Connections each watcher keeps open to PostgreSQL."),
  })
  .describe("Where the watch history lives. SQLite by default; PostgreSQL (store.url) lets several watchers share it. See docs/fleet.md.");

export type StoreConfig = z.infer<typeof storeSchema>;

/** Safe in logs, metrics labels and file names: letters, digits, dot, dash, underscore. */
export const VANTAGE_NAME = /^[\p{L}\p{N}._-]{1,64}$/u;

export const vantageNameSchema = z
  .string()
  .trim()
  .regex(VANTAGE_NAME, { error: (iss) => `${JSON.stringify(iss.input).slice(0, 80)} is not a vantage name: 1–64 letters, digits, ".", "-" or "_"` });

export const vantageSchema = z
  .strictObject({
    name: vantageNameSchema.optional().describe('This watcher\'s name in the fleet, unique ("fra-1"); --vantage overrides it. Default: "local" on SQLite, the host name on PostgreSQL.'),
    region: z.string().trim().max(100).default("").describe("Where this watcher runs, for people (\"Frankfurt\")."),
  })
  .describe("Who this watcher is when several share one PostgreSQL store.");

export const quorumSchema = z
  .union([z.literal("majority"), z.number().int().min(1).max(100)])
  .default("majority")
  .describe(
    'How many live vantages must see a node fail for it to count as failed: "majority" (half or more of the live vantages whose result is fresh; ' +
      "a tie counts as failed, as a single watcher does) or a number (capped at the live vantages).",
  );
