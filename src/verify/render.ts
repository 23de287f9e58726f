import { oneLine } from "../core/safe-text.ts";
import type { Style } from "../core/style.ts";
import type { AddressEvidence } from "./evidence.ts";
import { describeVerifyFinding } from "./findings.ts";
import type { NodeReport } from "./run.ts";

/** verify's report as text (one block per node) and as stable JSON. Pure. Names and peer answers pass through `oneLine` in text. */
export function renderVerify(reports: readonly NodeReport[], s: Style): string {
  const blocks = reports.map((r) => {
    const mark = r.findings.length === 0 ? s.green("✓") : s.red("✗");
    const head = `${mark} ${s.bold(oneLine(r.target.name))}${r.target.source === "static" ? s.dim(" (static host)") : ""}`;
    const lines = r.evidence.flatMap((e) => [`    ${s.cyan(e.address)}`, ...evidenceLines(e, s)]);
    const findings = r.findings.map((f) => `    ${s.red("✗")} ${"address" in f ? `${f.address}: ` : ""}${oneLine(describeVerifyFinding(f))}`);
    if (r.evidence.length === 0) lines.push(`    ${s.yellow("!")} no address to verify`);
    return [head, ...lines, ...findings].join("\n");
  });
  const bad = reports.filter((r) => r.findings.length > 0).length;
  const summary = bad === 0
    ? s.green(`All ${reports.length} node${reports.length === 1 ? "" : "s"} verified: only the policy's ports answer, and every node speaks its protocol.`)
    : s.red(`${bad} of ${reports.length} node${reports.length === 1 ? "" : "s"} with findings.`);
  return `${blocks.join("\n\n")}\n\n${summary}\n`;
}

function evidenceLines(e: AddressEvidence, s: Style): string[] {
  const open = e.ports.filter((p) => p.state === "open").map((p) => p.port);
  const closed = e.ports.filter((p) => p.state === "closed").map((p) => p.port);
  const filtered = e.ports.filter((p) => p.state === "filtered").length;
  const out = [`      ports      open ${open.join(", ") || "none"}; closed ${closed.length === 0 ? "none" : closed.slice(0, 8).join(", ") + (closed.length > 8 ? " …" : "")}; ${filtered} filtered (of ${e.ports.length} scanned)`];
  if (e.handshake) {
    const h = e.handshake.result;
    out.push(h.status === "up"
      ? `      handshake  ${s.green("up")} on ${e.handshake.port} in ${Math.round(h.latencyMs)} ms: protocol ${h.protocolVersion}, ${oneLine(h.userAgent)}, height ${h.startHeight}`
      : `      handshake  ${s.red("down")} on ${e.handshake.port}: ${h.reason}${h.rejectReason ? ` ("${oneLine(h.rejectReason)}")` : ""}`);
  }
  if (e.sapi) {
    const a = e.sapi.result;
    out.push(a.status === "up"
      ? `      sapi       ${s.green("up")} on ${e.sapi.port} in ${Math.round(a.latencyMs)} ms: version ${oneLine(String(a.version))}, blocks ${a.blocks}`
      : `      sapi       ${s.red("down")} on ${e.sapi.port}: ${a.reason}`);
  }
  return out;
}

export function verifyToJson(reports: readonly NodeReport[]): object {
  return {
    ok: reports.every((r) => r.findings.length === 0),
    nodes: reports.map((r) => ({
      name: r.target.name,
      id: r.target.id ?? null,
      source: r.target.source,
      addresses: r.evidence.map((e) => ({
        address: e.address,
        family: e.family,
        open: e.ports.filter((p) => p.state === "open").map((p) => p.port),
        closed: e.ports.filter((p) => p.state === "closed").map((p) => p.port),
        filtered: e.ports.filter((p) => p.state === "filtered").length,
        scanned: e.ports.length,
        handshake: e.handshake ?? null,
        sapi: e.sapi ?? null,
      })),
      findings: r.findings.map((f) => ({ ...f, message: describeVerifyFinding(f) })),
    })),
  };
}
