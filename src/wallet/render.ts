import type { Style } from "../core/style.ts";
import type { Finding, WalletFileReport, WalletReport } from "./check.ts";
import type { EncryptionState } from "./records.ts";

/** `wallet check` for a person: one block per wallet, one line per copy, then every finding. */

const STATE_TEXT: Record<EncryptionState, string> = {
  encrypted: "encrypted",
  unencrypted: "NOT ENCRYPTED",
  mixed: "MIXED (master key + plaintext keys)",
  "missing-master-key": "encrypted keys, NO master key",
  "no-keys": "no private keys",
};

export function stateText(s: EncryptionState, style: Style): string {
  const t = STATE_TEXT[s];
  return s === "encrypted" ? style.green(t) : s === "no-keys" ? style.dim(t) : style.red(style.bold(t));
}

function keyText(r: WalletFileReport): string {
  const parts = Object.entries(r.keys).map(([k, n]) => `${k} ${n}`);
  return parts.length ? parts.join(", ") : "none";
}

function owner(r: WalletFileReport): string {
  return r.permissions.owner ?? `uid ${r.permissions.uid}`;
}

export function renderCheck(reports: readonly WalletReport[], style: Style): string {
  const out: string[] = [];
  for (const rep of reports) {
    const w = rep.wallet;
    out.push(style.bold(w.path));
    out.push(`  format   ${w.format === "bdb" ? "Berkeley DB" : "SQLite"} — ${w.notes.join("; ")}`);
    out.push(`  keys     ${stateText(w.state, style)} (${keyText(w)}; ${w.records} records)`);
    out.push(`  file     mode ${w.permissions.mode}, owner ${owner(w)}, ${w.size} bytes, modified ${w.modified}`);
    if (rep.backups) {
      const b = rep.backups;
      out.push(`  ${b.dir}: ${b.copies.length} wallet cop${b.copies.length === 1 ? "y" : "ies"}${b.otherFiles ? `, ${b.otherFiles} other file(s)` : ""}`);
      const width = Math.max(0, ...b.copies.map((c) => c.path.length - b.dir.length - 1));
      for (const c of b.copies) out.push(`    ${c.path.slice(b.dir.length + 1).padEnd(width)}  ${stateText(c.state, style)}  ${c.permissions.mode}`);
      for (const u of b.unreadable) out.push(`    ${u.path.slice(b.dir.length + 1)}  ${style.yellow("unreadable")}: ${u.error}`);
    } else {
      out.push(style.dim("  no backups/ folder beside it"));
    }
    out.push("");
  }
  const findings = reports.flatMap((r) => r.findings);
  if (findings.length === 0) out.push(style.green("All good: every wallet is encrypted and readable only by its owner."));
  else {
    out.push(style.bold(`${findings.length} finding${findings.length === 1 ? "" : "s"}:`));
    for (const f of findings) out.push(findingLine(f, style));
  }
  return out.join("\n");
}

export function findingLine(f: Finding, style: Style): string {
  const tag = f.severity === "critical" ? style.red("✗ critical") : style.yellow("! warning ");
  return `  ${tag}  ${f.path}: ${f.message}`;
}
