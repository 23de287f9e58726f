import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { chmodSync, closeSync, fsyncSync, linkSync, openSync, readFileSync, rmSync, statSync, writeSync } from "node:fs";
import { AppError } from "../core/errors.ts";

/**
 * TOTP secrets at rest: AES-256-GCM under a 32-byte key kept in a file beside the database
 * (created 0600; a key file readable by others is refused). A copied database alone does not
 * reveal the secrets. Sealed text: "v1.<iv>.<tag>.<ciphertext>" (base64url); the user name is
 * the additional data, so a sealed secret cannot be moved to another account.
 */

export interface SecretBox {
  seal(plain: string, account: string): string;
  open(sealed: string, account: string): string;
}

export function secretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new AppError("INTERNAL", "the secret key must be 32 bytes");
  return {
    seal(plain, account) {
      const iv = randomBytes(12);
      const c = createCipheriv("aes-256-gcm", key, iv);
      c.setAAD(Buffer.from(account));
      const ct = Buffer.concat([c.update(plain, "utf8"), c.final()]);
      return ["v1", iv.toString("base64url"), c.getAuthTag().toString("base64url"), ct.toString("base64url")].join(".");
    },
    open(sealed, account) {
      const [v, iv, tag, ct] = sealed.split(".");
      if (v !== "v1" || iv === undefined || tag === undefined || ct === undefined) throw new AppError("AUTH", "a stored TOTP secret is damaged");
      try {
        const d = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
        d.setAAD(Buffer.from(account));
        d.setAuthTag(Buffer.from(tag, "base64url"));
        return Buffer.concat([d.update(Buffer.from(ct, "base64url")), d.final()]).toString("utf8");
      } catch (e) {
        throw new AppError("AUTH", "a stored TOTP secret cannot be decrypted with this key file", { cause: e, hint: "the key file beside the database was replaced; re-enroll with `nodeward 2fa enroll NAME`" });
      }
    },
  };
}

/** Reads the key file, creating it (0600, 32 random bytes) when missing. */
export function loadOrCreateKey(path: string): Buffer {
  try {
    createWhole(path, randomBytes(32));
  } catch (e) {
    throw new AppError("AUTH", `cannot create the key file ${path}: ${(e as Error).message}`, { cause: e });
  }
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new AppError("AUTH", `the key file ${path} is readable by others (mode ${mode.toString(8)})`, { hint: `chmod 600 ${path}` });
  }
  const key = readFileSync(path);
  if (key.length !== 32) throw new AppError("AUTH", `the key file ${path} is not 32 bytes`, { hint: "restore it from a backup; without it, users must re-enroll their authenticator" });
  return key;
}

/**
 * Creates `path` (0600) holding `data` whole, unless it exists; true when this call created it.
 * The data is written to a temporary file first and linked into place, so a process that finds
 * the file (several watchers starting at once on one data directory) never reads it half written.
 */
function createWhole(path: string, data: Buffer): boolean {
  const tmp = `${path}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  const fd = openSync(tmp, "wx", 0o600);
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    chmodSync(tmp, 0o600);
    linkSync(tmp, path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw e;
  } finally {
    rmSync(tmp, { force: true });
  }
}

/** Writes the key back (0600) when its file is gone, e.g. deleted with the database while the daemon ran; true when it wrote. */
export function restoreKeyFile(path: string, key: Buffer): boolean {
  try {
    return createWhole(path, key);
  } catch (e) {
    throw new AppError("AUTH", `cannot write the key file ${path} back: ${(e as Error).message}`, { cause: e });
  }
}
