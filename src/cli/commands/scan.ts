import { findCoin } from "../../coins/index.ts";
import { AppError } from "../../core/errors.ts";
import { parsePorts, scanHost, scanHostFamilies, tcpPortsOf, type ScanReport } from "../../scan/index.ts";
import type { Io } from "../io.ts";
import { EXIT, type ExitCode } from "../exit.ts";

export interface ScanCommandOptions {
  ports: string;
  coin: string;
  family: "4" | "6" | "both" | "any";
  json: boolean;
  /** Also list every filtered port (default: only a count). */
  all: boolean;
}

/** `nodeward scan HOST`: a TCP connect scan, states like nmap's (open, closed, filtered). Exit 0. */
export async function runScan(io: Io, host: string, o: ScanCommandOptions): Promise<ExitCode> {
  const coin = findCoin(o.coin);
  const ports = parsePorts(o.ports, coin === undefined ? undefined : tcpPortsOf(coin.ports));
  if (!Array.isArray(ports)) throw new AppError("USAGE", `--ports ${o.ports}: ${ports.error}`);
  if (host.trim() === "") throw new AppError("USAGE", "name a host to scan");
  const live = io.stderrIsTTY && !io.quiet && !o.json && ports.length > 200;
  let last = 0;
  const onProgress = (p: { done: number; total: number; open: number }) => {
    const now = Date.now();
    if (!live || (now - last < 100 && p.done < p.total)) return;
    last = now;
    process.stderr.write(`\r\u001b[2Kscanning ${host}: ${p.done}/${p.total} ports, ${p.open} open${p.done === p.total ? "\n" : ""}`);
  };
  const opts = { ports, onProgress };
  const reports = o.family === "both" ? await scanHostFamilies(host, opts) : [await scanHost(host, o.family === "any" ? opts : { ...opts, family: Number(o.family) as 4 | 6 })];
  if (o.json) io.json(reports.length === 1 ? reports[0] : reports);
  else for (const r of reports) io.out(renderScan(r, o.all, io));
  return EXIT.ok;
}

function renderScan(r: ScanReport, all: boolean, io: Io): string {
  const s = io.style;
  const count = (st: string) => r.ports.filter((p) => p.state === st).length;
  const closedShown = all || count("closed") <= 20;
  const shown = r.ports.filter((p) => all || p.state === "open" || (p.state === "closed" && closedShown));
  const filtered = count("filtered");
  const rows = shown.map((p) => {
    const state = p.state === "open" ? s.green("open    ") : p.state === "closed" ? s.yellow("closed  ") : s.dim("filtered");
    return `  ${String(p.port).padStart(5)}/tcp  ${state}  ${s.dim(p.reason)}${p.rttMs === undefined ? "" : s.dim(` ${p.rttMs.toFixed(1)} ms`)}`;
  });
  const head = `${s.bold(r.host)}${r.address !== r.host ? ` (${r.address})` : ""}: ${r.ports.length} ports in ${(r.durationMs / 1000).toFixed(2)} s, round trip ${r.rttMs === undefined ? "unknown" : `${r.rttMs.toFixed(1)} ms`}`;
  const hidden = [
    ...(closedShown ? [] : [`${count("closed")} closed (RST: reachable, nothing listening)`]),
    ...(all || filtered === 0 ? [] : [`${filtered} filtered (no answer: a firewall drops them)`]),
  ];
  const tail = hidden.length === 0 ? "" : `\n  not shown: ${hidden.join(", ")}; --all lists every port`;
  return `${head}\n${rows.join("\n")}${tail}${r.aborted ? "\n  (aborted before every port was decided)" : ""}\n`;
}
