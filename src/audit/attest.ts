/**
 * Attestations: facts the API cannot show (two-factor on the Vultr account, the API key's scope),
 * which the operator states once. Each is kept with its date and counts for `maxAgeDays`; after
 * that the audit asks again (on a terminal) or reminds. Pure: the file lives in attest-file.ts.
 */

export const ATTESTATIONS = [
  {
    id: "vultr-2fa",
    flag: "--attest-2fa",
    question: "Is two-factor authentication on for every user who can log in to the Vultr account (my.vultr.com → Account → Authentication)?",
    fix: "turn on two-factor for every Vultr user (TOTP or a security key, keep the backup codes offline), then run `nodeward audit --attest-2fa`",
  },
  {
    id: "api-key-scope",
    flag: "--attest-api-key",
    question: "Is nodeward's API key a user's key with only the firewall and server permissions, restricted to an IP allow list?",
    fix: "create a Vultr user with only Manage Firewall and Manage Servers (or View Servers if remediation is off), use its API key, add your IP to its allow list, then run `nodeward audit --attest-api-key`",
  },
] as const;
export type AttestationId = (typeof ATTESTATIONS)[number]["id"];

export interface Attestation {
  answer: "yes" | "no";
  /** ms since the epoch. */
  at: number;
  via: "prompt" | "flag";
}

/** What a check sees of one attestation. */
export type AttestationView =
  | { state: "missing" }
  | { state: "current"; attestation: Attestation; ageDays: number; maxAgeDays: number }
  | { state: "stale"; attestation: Attestation; ageDays: number; maxAgeDays: number };

export function viewAttestation(a: Attestation | undefined, now: number, maxAgeDays: number): AttestationView {
  if (a === undefined) return { state: "missing" };
  const ageDays = Math.max(0, Math.floor((now - a.at) / 86_400_000));
  return { state: ageDays >= maxAgeDays ? "stale" : "current", attestation: a, ageDays, maxAgeDays };
}

/** Whether to ask on a terminal: nothing recorded, recorded too long ago, or the last answer was no. */
export function needsAsking(view: AttestationView): boolean {
  return view.state !== "current" || view.attestation.answer === "no";
}

export type AttestationRecords = Partial<Record<AttestationId, Attestation>>;

/**
 * Applies --attest-* flags (a "yes" now) and, when `ask` is given (a terminal), asks about every
 * attestation that is missing, stale or answered "no". Returns the records to keep and whether
 * they changed (the caller writes the file).
 */
export async function settleAttestations(opts: {
  records: AttestationRecords;
  now: number;
  maxAgeDays: number;
  flags: ReadonlySet<AttestationId>;
  ask?: (question: string) => Promise<boolean>;
}): Promise<{ records: AttestationRecords; changed: boolean }> {
  const records: AttestationRecords = { ...opts.records };
  let changed = false;
  for (const a of ATTESTATIONS) {
    if (opts.flags.has(a.id)) {
      records[a.id] = { answer: "yes", at: opts.now, via: "flag" };
      changed = true;
    } else if (opts.ask !== undefined && needsAsking(viewAttestation(records[a.id], opts.now, opts.maxAgeDays))) {
      records[a.id] = { answer: (await opts.ask(a.question)) ? "yes" : "no", at: opts.now, via: "prompt" };
      changed = true;
    }
  }
  return { records, changed };
}

export function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
