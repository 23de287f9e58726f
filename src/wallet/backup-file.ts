import { stat } from "node:fs/promises";
import { WalletError } from "./errors.ts";
import { errnoOf, placeFailure, type Place } from "./fs-failure.ts";
import { readSidecar, type Sidecar } from "./sidecar.ts";
import { SIDECAR_SUFFIX } from "./names.ts";

/**
 * The backup `wallet verify` and `wallet restore` read: there, and readable, with its sidecar.
 * A missing file and one this user may not read are told apart.
 */

export function backupPlace(file: string): Place {
  return { what: "the backup", path: file, doing: "read", instead: "give the path of a .age backup this user can read" };
}

export async function openableBackup(file: string, malformedHint: string): Promise<Sidecar | null> {
  await stat(file).catch((e: unknown) => {
    const code = errnoOf(e);
    if (code === "ENOENT" || code === "ENOTDIR") throw new WalletError(`no backup file at ${file}`, { cause: e, hint: "give the path of a .age file" });
    throw placeFailure(e, backupPlace(file));
  });
  const side = await readSidecar(file).catch((e: unknown) => {
    throw placeFailure(e, { ...backupPlace(file), what: "the backup's sidecar", path: `${file}${SIDECAR_SUFFIX}` });
  });
  if (side === "malformed") throw new WalletError(`${file}${SIDECAR_SUFFIX} is not a sha256sum line`, { hint: malformedHint });
  return side;
}
