import { createHash, type Hash } from "node:crypto";
import { createReadStream } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import { Readable } from "node:stream";
import { Decrypter, Encrypter, type Identity, type Recipient } from "age-encryption";
import { WalletError } from "./errors.ts";
import { errnoOf } from "./fs-failure.ts";

/**
 * age (age-encryption.org/v1) over streams, through the `age-encryption` package: 64 KiB STREAM
 * chunks in, 64 KiB out, so a 200 MB wallet is never held in memory whole. The scrypt work factor
 * is never below age's default (18).
 */

export const MIN_SCRYPT_WORK_FACTOR = 18;
const READ_CHUNK = 64 * 1024;

/** What a backup is encrypted to. */
export type Seal = { kind: "passphrase"; passphrase: string; scryptWorkFactor?: number } | { kind: "recipients"; recipients: readonly string[] };

/** What opens a backup. */
export type Unlock = { kind: "passphrase"; passphrase: string } | { kind: "identities"; identities: readonly string[] };

/** A plaintext file as a web stream of 64 KiB chunks. */
export function fileStream(path: string): ReadableStream<Uint8Array> {
  return Readable.toWeb(createReadStream(path, { highWaterMark: READ_CHUNK })) as ReadableStream<Uint8Array>;
}

/** Passes bytes through while hashing and counting them. */
export function hashing(): { stream: TransformStream<Uint8Array, Uint8Array>; digest: () => { sha256: string; size: number } } {
  const h: Hash = createHash("sha256");
  let size = 0;
  let hex: string | undefined;
  const stream = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, c) {
      h.update(chunk);
      size += chunk.length;
      c.enqueue(chunk);
    },
  });
  return { stream, digest: () => ({ sha256: (hex ??= h.digest("hex")), size }) };
}

/**
 * Encrypts a stream. Also returns the file key (held in memory only, never written) so the result
 * can be decrypted and compared right after writing even when only recipients' public keys are known.
 */
export async function encryptStream(input: ReadableStream<Uint8Array>, seal: Seal): Promise<{ output: ReadableStream<Uint8Array>; fileKey: () => Uint8Array | undefined }> {
  const e = new Encrypter();
  let captured: Uint8Array | undefined;
  if (seal.kind === "passphrase") {
    const logN = seal.scryptWorkFactor ?? MIN_SCRYPT_WORK_FACTOR;
    e.setPassphrase(seal.passphrase);
    e.setScryptWorkFactor(logN);
  } else {
    if (seal.recipients.length === 0) throw new WalletError("no recipients to encrypt to", { hint: "add age1… public keys to wallet.recipients or pass --recipient" });
    for (const r of seal.recipients) {
      try {
        e.addRecipient(r);
      } catch (err) {
        throw new WalletError(`"${r}" is not an age recipient`, { cause: err, hint: "recipients are public keys like age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p (age-keygen -y KEYFILE prints one)" });
      }
    }
    // Adds no stanza: only sees the random file key, so the fresh file can be checked without a private key.
    const capture: Recipient = { wrapFileKey: (k) => ((captured = Uint8Array.from(k)), []) };
    e.addRecipient(capture);
  }
  return { output: await e.encrypt(input), fileKey: () => captured };
}

/** An identity that knows the file key already (see encryptStream). */
export function fileKeyIdentity(key: Uint8Array): Identity {
  return { unwrapFileKey: () => key };
}

/** What an age file is encrypted to, from its header's stanzas ("unknown" when it is not a readable age header). */
export async function sealKind(path: string): Promise<"passphrase" | "recipients" | "unknown"> {
  const fh = await open(path, "r");
  try {
    const buf = new Uint8Array(8192);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const text = new TextDecoder("latin1").decode(buf.subarray(0, bytesRead));
    if (!text.startsWith("age-encryption.org/v1\n")) return "unknown";
    const kinds = [...text.matchAll(/^-> (\S+)/gm)].map((m) => m[1]);
    if (kinds.length === 0) return "unknown";
    return kinds.includes("scrypt") ? "passphrase" : "recipients";
  } finally {
    await fh.close();
  }
}

/** Writes a stream to an open file handle, chunk by chunk. */
export async function writeStream(s: ReadableStream<Uint8Array>, fh: FileHandle): Promise<number> {
  const reader = s.getReader();
  let n = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return n;
    await fh.write(value);
    n += value.length;
  }
}

/** Reads a stream to its end, handing each chunk to `sink`. */
export async function drain(s: ReadableStream<Uint8Array>, sink?: (chunk: Uint8Array) => Promise<void> | void): Promise<void> {
  const reader = s.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    if (sink) await sink(value);
  }
}

/**
 * Decrypts an age file as a stream. Failures become one-line WalletErrors that say which: not an
 * age file, wrong passphrase or key, tampered header, truncated, or modified payload.
 */
export async function decryptFile(path: string, unlock: Unlock | { kind: "fileKey"; fileKey: Uint8Array }, sink: (chunk: Uint8Array) => Promise<void> | void): Promise<void> {
  const d = new Decrypter();
  if (unlock.kind === "passphrase") d.addPassphrase(unlock.passphrase);
  else if (unlock.kind === "fileKey") d.addIdentity(fileKeyIdentity(unlock.fileKey));
  else {
    if (unlock.identities.length === 0) throw new WalletError("no identity to decrypt with", { hint: "name an age-keygen identity file with --identity or wallet.identityFile" });
    for (const id of unlock.identities) d.addIdentity(id);
  }
  let inputEnded = false;
  let headerDone = false;
  const watchEnd = new TransformStream<Uint8Array, Uint8Array>({ flush: () => void (inputEnded = true) });
  const source = fileStream(path).pipeThrough(watchEnd);
  try {
    const out = await d.decrypt(source);
    headerDone = true;
    await drain(out, sink);
  } catch (e) {
    throw ageFailure(e, path, unlock.kind, headerDone, inputEnded, headerDone ? "unknown" : await sealKind(path).catch(() => "unknown" as const));
  }
}

function ageFailure(e: unknown, path: string, unlock: string, headerDone: boolean, inputEnded: boolean, kind: Awaited<ReturnType<typeof sealKind>>): unknown {
  // A file-system error (reading the file, or the sink writing: a full disk) says nothing about the
  // backup's integrity: the caller names the place it happened.
  if (e instanceof WalletError || errnoOf(e) !== undefined) return e;
  const m = e instanceof Error ? e.message : String(e);
  const fail = (message: string, hint: string) => new WalletError(`${path}: ${message}`, { cause: e, hint });
  if (!headerDone) {
    if (/no identity matched/.test(m)) {
      if (unlock === "passphrase" && kind === "recipients") return fail("is encrypted to age keys, not to a passphrase", "pass the identity file: --identity KEYFILE (or set wallet.identityFile)");
      if (unlock === "identities" && kind === "passphrase") return fail("is encrypted to a passphrase, not to age keys", "give the passphrase (wallet.passphraseEnv / passphraseFile, or on a terminal)");
      return unlock === "passphrase"
        ? fail("wrong passphrase (or the file is encrypted to age keys, not a passphrase)", "type the passphrase used for this backup; a recipient backup needs --identity KEYFILE")
        : fail("none of the given identities can open it (wrong key, or it is passphrase-encrypted)", "use the identity file whose public key the backup was made for, or the passphrase");
    }
    if (/invalid header HMAC/.test(m)) return fail("the header was modified (its MAC does not match)", "the file was tampered with or damaged; use another backup");
    if (/stream ended before reading/.test(m)) return fail("the file ends inside its header: truncated", "use another backup; this one was cut short");
    if (/work factor is too high/.test(m)) return fail("its scrypt work factor is above 20, which is refused", "decrypt it with the age tool if you trust it");
    if (/Unknown letter|base64|padding/i.test(m)) return fail("the header is damaged (bad base64 in a stanza or the MAC)", "the file was tampered with or damaged; use another backup");
    if (/invalid version|invalid header|invalid stanza|non-ASCII|scrypt recipient is not the only/.test(m)) return fail(`not an age-encrypted file (${m})`, "give a .age file written by `nodeward wallet backup` or by age");
    return fail(`cannot read the age header: ${m}`, "is this an age file?");
  }
  if (inputEnded) return fail("the last chunk does not authenticate: the file is truncated (or its end was modified)", "use another backup; this one is damaged");
  return fail("a chunk of the payload does not authenticate: the file was modified", "use another backup; this one is damaged");
}
