import { backupCodesNotice } from "../../auth/backup-codes.ts";
import { qrTerminal } from "../../auth/qr.ts";
import { AuthService, checkUserName } from "../../auth/service.ts";
import { systemClock } from "../../core/clock.ts";
import { AppError } from "../../core/errors.ts";
import { openAuthParts, watchDatabasePath } from "../auth-context.ts";
import { loadConfigFor } from "../context.ts";
import { openConfiguredPostgres } from "../store-open.ts";
import { EXIT, type ExitCode } from "../exit.ts";
import type { GlobalOptions, Io } from "../io.ts";
import { secretPrompt, type SecretPrompt } from "./secret-prompt.ts";

/**
 * `nodeward user add|list|unlock` and `nodeward 2fa enroll|backup-codes`: dashboard accounts in
 * the watch database (the daemon may run meanwhile). Passwords and codes are prompted (without
 * echo on a terminal, one line each from a pipe), never taken from argv.
 */

interface UserRun {
  io: Io;
  opts: GlobalOptions;
  /** Where prompts read from; process.stdin by default. */
  input?: NodeJS.ReadableStream & { isTTY?: boolean };
}

async function withAuth<T>(r: UserRun, body: (auth: AuthService, prompt: () => SecretPrompt) => Promise<T>): Promise<T> {
  const { config } = await loadConfigFor(r.io, r.opts);
  // A fleet's accounts live in its PostgreSQL store, so that every watcher's dashboard knows them.
  const pg = config.store.url === undefined ? null : await openConfiguredPostgres(config, r.io.env, r.io.redactor, { warn: (w) => r.io.err(`warning: ${w}`) });
  const parts = openAuthParts(watchDatabasePath(config, r.io.env), pg?.auth);
  let prompt: SecretPrompt | undefined;
  try {
    const auth = new AuthService({ store: parts.store, box: parts.box, clock: systemClock });
    return await body(auth, () => (prompt ??= secretPrompt(r.input ?? process.stdin, process.stderr)));
  } finally {
    prompt?.close();
    parts.close();
    await pg?.end();
  }
}

async function ask(p: SecretPrompt, question: string, echo = false): Promise<string> {
  try {
    return await p.ask(question, { echo });
  } catch {
    throw new AppError("USAGE", "standard input ended before every answer was given", { hint: "run it on a terminal, or pipe one answer per line" });
  }
}

export async function runUserAdd(r: UserRun, name: string): Promise<ExitCode> {
  checkUserName(name);
  return withAuth(r, async (auth, prompt) => {
    const p = prompt();
    const password = await ask(p, `New password for ${name} (at least 10 characters): `);
    const again = await ask(p, "The same password again: ");
    if (password !== again) throw new AppError("USAGE", "the two passwords differ; nothing was changed", { hint: `run \`nodeward user add ${name}\` again` });
    await auth.addUser(name, password);
    r.io.out(`Added dashboard user ${name}.`);
    r.io.out(`Next: \`nodeward 2fa enroll ${name}\` (or sign in to the dashboard, which asks for it before anything else).`);
    return EXIT.ok;
  });
}

export async function runUserList(r: UserRun): Promise<ExitCode> {
  return withAuth(r, async (auth) => {
    const users = await auth.listUsers();
    if (r.opts.json) {
      r.io.json(users.map((u) => ({ ...u, createdAt: new Date(u.createdAt).toISOString(), lockedUntil: u.lockedUntil === null ? null : new Date(u.lockedUntil).toISOString() })));
      return EXIT.ok;
    }
    if (users.length === 0) {
      r.io.out("No dashboard users yet: add one with `nodeward user add NAME`.");
      return EXIT.ok;
    }
    const s = r.io.style;
    r.io.out(s.bold(`${"USER".padEnd(20)}  ${"2FA".padEnd(12)}  ${"BACKUP CODES".padEnd(12)}  LOCKED`));
    for (const u of users) {
      const twofa = u.totpEnrolled ? s.green("enrolled".padEnd(12)) : s.yellow("not enrolled");
      const codes = `${u.backupCodesRemaining} left`.padEnd(12);
      const locked = u.lockedUntil === null ? "no" : s.red(`until ${new Date(u.lockedUntil).toISOString().slice(11, 16)} UTC`);
      r.io.out(`${u.name.padEnd(20)}  ${twofa}  ${u.backupCodesRemaining <= 2 && u.totpEnrolled ? s.yellow(codes) : codes}  ${locked}`);
    }
    return EXIT.ok;
  });
}

export async function runUserUnlock(r: UserRun, name: string): Promise<ExitCode> {
  return withAuth(r, async (auth) => {
    const { wasLocked } = await auth.unlock(name);
    r.io.out(wasLocked ? `Unlocked ${name}: the failed-attempt count is reset and sign-in works again.` : `${name} was not locked; its failed-attempt count is reset.`);
    return EXIT.ok;
  });
}

export async function run2faEnroll(r: UserRun, name: string): Promise<ExitCode> {
  return withAuth(r, async (auth, prompt) => {
    const { secret, uri } = await auth.startEnrolment(name);
    const io = r.io;
    io.out(`Scan this QR code with Google Authenticator (or any TOTP app) for ${name}:`);
    io.out(io.style.ours(await qrTerminal(uri, io.style.color)));
    io.out(`Or enter the key by hand (time-based, 6 digits, 30 s): ${secret}`);
    io.out(`URI: ${uri}`);
    io.out("Keep this screen private: whoever sees the key can make codes. nodeward stores it encrypted (AES-256-GCM, key file auth.key beside the database).");
    const p = prompt();
    for (let attempt = 1; attempt <= 3; attempt++) {
      const code = await ask(p, "Type the 6-digit code the app shows now: ", true);
      const res = await auth.confirmEnrolment(name, code);
      if (res.ok) {
        io.out(`Two-factor sign-in is active for ${name}; any previous authenticator no longer works.`);
        io.out("");
        io.out(backupCodesNotice(res.backupCodes).join("\n"));
        return EXIT.ok;
      }
      io.err(`That code does not match${attempt < 3 ? "; check the phone's clock and try the next one." : "."}`);
    }
    throw new AppError("USAGE", `the authenticator for ${name} was not activated (3 wrong codes); a previous one, if any, still works`, { hint: `run \`nodeward 2fa enroll ${name}\` again` });
  });
}

export async function run2faBackupCodes(r: UserRun, name: string): Promise<ExitCode> {
  return withAuth(r, async (auth) => {
    const codes = await auth.regenerateBackupCodes(name);
    r.io.out(`New backup codes for ${name}; every older code stopped working.`);
    r.io.out(backupCodesNotice(codes).join("\n"));
    return EXIT.ok;
  });
}
