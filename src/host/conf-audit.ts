/**
 * The coin daemon's own config (smartcash.conf), audited for what a host firewall cannot fix
 * alone. Pure: text in, findings out. Facts: shared/smartcash/NOTES.md §1.8 (RPC binds every
 * interface when rpcallowip is set without rpcbind) and §2.1 (a SmartNode needs sapi=1 and,
 * on mainnet, sapiport=8080). Secret values (smartnodeprivkey, rpcpassword) are never echoed.
 */

export type ConfFindingId =
  | "rpc-all-interfaces"
  | "rpc-bind-not-loopback"
  | "rpc-port-open"
  | "sapi-disabled"
  | "sapi-port"
  | "smartnode-missing"
  | "smartnodeprivkey-missing";

export interface Finding {
  id: ConfFindingId;
  severity: "high" | "medium";
  message: string;
  /** 1-based line the finding is about, when one line is. */
  line?: number;
  /** Exact lines to change: remove these (as written, secrets redacted), add these. */
  fix: { remove: string[]; add: string[] };
}

export interface ConfEntry {
  key: string;
  value: string;
  line: number;
  raw: string;
}

export interface AuditOptions {
  /** Check SmartNode rules (sapi, sapiport, smartnode, smartnodeprivkey). Default true. */
  smartnode?: boolean;
  /** The RPC port when rpcport is not set (SmartCash mainnet: 9679). */
  defaultRpcPort?: number;
  /** The SAPI port a SmartNode must use (SmartCash: 8080). */
  sapiPort?: number;
  /** TCP ports the host ruleset accepts from outside (to flag an open RPC port). */
  openTcpPorts?: readonly number[];
}

const SECRET_KEY = /(privkey|password|passphrase|secret)/i;

export function parseDaemonConf(text: string): ConfEntry[] {
  const out: ConfEntry[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const body = raw.replace(/#.*$/, "").trim();
    const eq = body.indexOf("=");
    if (body === "" || body.startsWith("[") || eq <= 0) return;
    out.push({ key: body.slice(0, eq).trim().toLowerCase(), value: body.slice(eq + 1).trim(), line: i + 1, raw: raw.trim() });
  });
  return out;
}

/** A line as it may be shown: the value of a secret key replaced. */
export function redactConfLine(e: Pick<ConfEntry, "key" | "raw">): string {
  return SECRET_KEY.test(e.key) ? `${e.key}=[REDACTED]` : e.raw;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|\[::1\]|localhost)(:\d+)?$/i;

export function auditDaemonConf(text: string, opts: AuditOptions = {}): Finding[] {
  const entries = parseDaemonConf(text);
  const first = (key: string): ConfEntry | undefined => entries.find((e) => e.key === key);
  const all = (key: string): ConfEntry[] => entries.filter((e) => e.key === key);
  const out: Finding[] = [];
  const allow = all("rpcallowip");
  const binds = all("rpcbind");
  if (allow.length > 0 && binds.length === 0) {
    out.push({
      id: "rpc-all-interfaces",
      severity: "high",
      line: allow[0]!.line,
      message: `rpcallowip is set (line ${allow[0]!.line}) but rpcbind is not: the daemon's RPC then listens on every interface (0.0.0.0 and ::), and only a firewall keeps it in`,
      fix: { remove: [], add: ["rpcbind=127.0.0.1"] },
    });
  }
  for (const b of binds.filter((e) => !LOOPBACK.test(e.value))) {
    out.push({
      id: "rpc-bind-not-loopback",
      severity: "high",
      line: b.line,
      message: `rpcbind=${b.value} (line ${b.line}) makes RPC listen on an address other machines can reach`,
      fix: { remove: [redactConfLine(b)], add: binds.some((e) => LOOPBACK.test(e.value)) ? [] : ["rpcbind=127.0.0.1"] },
    });
  }
  const rpcPortEntry = first("rpcport");
  const rpcPort = rpcPortEntry !== undefined && /^\d+$/.test(rpcPortEntry.value) ? Number(rpcPortEntry.value) : (opts.defaultRpcPort ?? 9679);
  if ((opts.openTcpPorts ?? []).includes(rpcPort)) {
    out.push({
      id: "rpc-port-open",
      severity: "high",
      message: `the host ruleset accepts TCP ${rpcPort}, the daemon's RPC port, from outside: remove it from extraPorts/adminAccess in nodeward.yaml`,
      fix: { remove: [], add: [] },
    });
  }
  if (opts.smartnode ?? true) out.push(...smartnodeFindings(first, opts.sapiPort ?? 8080));
  return out;
}

function smartnodeFindings(first: (key: string) => ConfEntry | undefined, sapiPort: number): Finding[] {
  const out: Finding[] = [];
  const sapi = first("sapi");
  if (sapi !== undefined && sapi.value !== "1") {
    out.push({
      id: "sapi-disabled",
      severity: "high",
      line: sapi.line,
      message: `sapi=${sapi.value} (line ${sapi.line}): a SmartNode must run SAPI, peers reject its pings otherwise and it expires after 65 minutes`,
      fix: { remove: [sapi.raw], add: ["sapi=1"] },
    });
  }
  const port = first("sapiport");
  if (port !== undefined && port.value !== String(sapiPort)) {
    out.push({
      id: "sapi-port",
      severity: "high",
      line: port.line,
      message: `sapiport=${port.value} (line ${port.line}): peers check SAPI on ${sapiPort} only, and the daemon refuses to start a SmartNode on another port`,
      fix: { remove: [port.raw], add: [`sapiport=${sapiPort}`] },
    });
  }
  const sn = first("smartnode");
  if (sn?.value !== "1") {
    out.push({
      id: "smartnode-missing",
      severity: "medium",
      ...(sn === undefined ? {} : { line: sn.line }),
      message: sn === undefined ? "smartnode=1 is missing: the daemon does not run as a SmartNode" : `smartnode=${sn.value} (line ${sn.line}): the daemon does not run as a SmartNode`,
      fix: { remove: sn === undefined ? [] : [sn.raw], add: ["smartnode=1"] },
    });
  }
  const key = first("smartnodeprivkey");
  if (key === undefined || key.value === "") {
    out.push({
      id: "smartnodeprivkey-missing",
      severity: "medium",
      ...(key === undefined ? {} : { line: key.line }),
      message: "smartnodeprivkey is missing or empty: the SmartNode cannot sign its pings",
      fix: { remove: key === undefined ? [] : ["smartnodeprivkey="], add: ["smartnodeprivkey=<the key from `smartcash-cli smartnode genkey`>"] },
    });
  }
  return out;
}

/** Findings as text lines for a terminal: what, where, and the exact lines to change. */
export function renderConfFindings(path: string, findings: readonly Finding[]): string[] {
  if (findings.length === 0) return [`${path}: no findings`];
  const lines = [`${path}: ${findings.length} finding${findings.length === 1 ? "" : "s"}`];
  for (const f of findings) {
    lines.push(`  [${f.severity}] ${f.id}: ${f.message}`);
    for (const r of f.fix.remove) lines.push(`      remove: ${r}`);
    for (const a of f.fix.add) lines.push(`      add:    ${a}`);
  }
  if (findings.some((f) => f.fix.remove.length + f.fix.add.length > 0)) lines.push("  then restart the daemon (smartcash-cli stop; smartcashd).");
  return lines;
}
