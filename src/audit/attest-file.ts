import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { isAbsolute, join } from "node:path";
import { z } from "zod";
import { AppError } from "../core/errors.ts";
import { ATTESTATIONS, type AttestationId, type AttestationRecords } from "./attest.ts";

/**
 * The attestation file, `attestations.json` in the state directory: audit.stateDir, else
 * $XDG_STATE_HOME/nodeward, else ~/.local/state/nodeward. Written whole (temp file + rename), 0600.
 */

export function defaultStateDir(env: Readonly<Record<string, string | undefined>>): string {
  const xdg = env["XDG_STATE_HOME"];
  if (xdg !== undefined && xdg !== "" && isAbsolute(xdg)) return join(xdg, "nodeward");
  const home = env["HOME"] !== undefined && env["HOME"] !== "" ? env["HOME"] : homedir();
  return join(home, ".local", "state", "nodeward");
}

const ids = ATTESTATIONS.map((a) => a.id) as [AttestationId, ...AttestationId[]];
const fileSchema = z.object({
  version: z.literal(1),
  attestations: z.partialRecord(z.enum(ids), z.object({ answer: z.enum(["yes", "no"]), at: z.iso.datetime(), via: z.enum(["prompt", "flag"]) })),
});

export async function readAttestations(dir: string): Promise<AttestationRecords> {
  const path = join(dir, "attestations.json");
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw new AppError("USAGE", `cannot read ${path}: ${(e as Error).message}`, { cause: e });
  }
  let parsed;
  try {
    parsed = fileSchema.safeParse(JSON.parse(text));
  } catch (e) {
    throw new AppError("USAGE", `${path} is not JSON`, { cause: e, hint: "delete it; the audit asks again" });
  }
  if (!parsed.success) throw new AppError("USAGE", `${path} is not an attestation file nodeward wrote`, { hint: "delete it; the audit asks again" });
  const out: AttestationRecords = {};
  for (const [id, a] of Object.entries(parsed.data.attestations) as [AttestationId, { answer: "yes" | "no"; at: string; via: "prompt" | "flag" }][]) {
    out[id] = { answer: a.answer, at: Date.parse(a.at), via: a.via };
  }
  return out;
}

export async function writeAttestations(dir: string, records: AttestationRecords): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const attestations = Object.fromEntries(Object.entries(records).map(([id, a]) => [id, { answer: a.answer, at: new Date(a.at).toISOString(), via: a.via }]));
  const path = join(dir, "attestations.json");
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify({ version: 1, attestations }, null, 2)}\n`, { mode: 0o600 });
  await rename(tmp, path);
}
