import { open, readFile } from "node:fs/promises";
import type { Command } from "commander";
import { findCoin } from "../../coins/index.ts";
import { parseConfigText } from "../../config/load.ts";
import { rewriteConfigFile } from "../../config/rewrite.ts";
import type { Config } from "../../config/schema.ts";
import { smartnodesBlock, upsertSmartnodes, type SmartnodeItem } from "../../config/smartnodes-edit.ts";
import { AppError } from "../../core/errors.ts";
import type { Instance } from "../../firewall/model.ts";
import { selectInstances } from "../../inventory/select.ts";
import type { SmartnodeEntry } from "../../netview/config.ts";
import { parseSmartnodeConf, type SmartnodeConfEntry } from "../../netview/smartnode-conf.ts";
import { ipKeyOf, matchFleet, mergeSmartnodes, type FleetNode } from "../../netview/smartnode-match.ts";
import { verifyTargets } from "../../verify/targets.ts";
import { loadConfigFor, openFirewallProvider } from "../context.ts";
import { EXIT, type ExitCode } from "../exit.ts";
import type { GlobalOptions, Io } from "../io.ts";

type Act = (fn: (opts: GlobalOptions & Record<string, unknown>, args: string[]) => Promise<number>) => (...args: unknown[]) => Promise<void>;

/** `nodeward import smartnode.conf FILE`, registered from main.ts in one call. */
export function registerImportCommand(program: Command, ctx: { io: () => Io; act: Act }): void {
  program.command("import").description("bring in what another tool already knows")
    .command("smartnode.conf").description("read the wallet's smartnode.conf (alias, IP:port, collateral; never the key), match it to the fleet by IP, print or --write the smartnodes block")
    .argument("<file>", "the smartnode.conf SmartCash Core keeps in its data directory")
    .option("--write", "update smartnodes in nodeward.yaml in place (entries of the same alias are replaced, others kept)")
    .action(ctx.act(async (o, args) => {
      const io = ctx.io();
      const { config, file } = await loadConfigFor(io, o);
      const provider = await openFirewallProvider(config, io);
      return runImportSmartnodeConf({
        io, config, configFile: file, file: args[0] ?? "", write: o.write === true, json: o.json === true,
        listInstances: (signal) => provider.listInstances(signal),
      });
    }));
}

export interface ImportRun {
  io: Io;
  config: Config;
  /** nodeward.yaml, as loaded; --write edits it. */
  configFile: string;
  /** The smartnode.conf to read. */
  file: string;
  write: boolean;
  json: boolean;
  listInstances: (signal?: AbortSignal) => Promise<Instance[]>;
  signal?: AbortSignal;
}

/** A smartnode.conf is a few lines; anything this big is another file. */
const MAX_BYTES = 1024 * 1024;
const FORMAT_HINT = "one SmartNode per line, `alias IP:port smartnodeprivkey txid index`, as SmartCash Core writes it; # starts a comment";

export async function runImportSmartnodeConf(run: ImportRun): Promise<ExitCode> {
  const { io, config } = run;
  const { entries, problems } = parseSmartnodeConf(await readConf(run.file), { onKey: (key) => io.redactor.add(key) });
  if (problems.length > 0) {
    const lines = problems.map((p) => `  line ${p.line}: ${p.message}`).join("\n");
    throw new AppError("USAGE", `${run.file}: ${count(problems.length, "line")} cannot be read, nothing was imported:\n${lines}`, { hint: FORMAT_HINT });
  }
  if (entries.length === 0) throw new AppError("USAGE", `${run.file} lists no SmartNode (only comments and blank lines)`, { hint: FORMAT_HINT });

  const configText = run.write ? await readFile(run.configFile, "utf8") : undefined;
  const existing = configText === undefined ? config.smartnodes : parseConfigText(configText, run.configFile).config.smartnodes;
  const imported: SmartnodeEntry[] = entries.map(({ alias, address, txid, index }) => ({ alias, address, txid, index }));
  const merge = mergeSmartnodes(existing, imported);
  if (merge.conflicts.length > 0) {
    throw new AppError("USAGE", `nodeward.yaml would list one SmartNode twice, nothing was written:\n${merge.conflicts.map((c) => `  ${c}`).join("\n")}`, {
      hint: "remove those entries from nodeward.yaml, or give them the alias they have in smartnode.conf, and import again",
    });
  }

  const instances = selectInstances(await run.listInstances(run.signal), config.nodes).selected;
  const nodes: FleetNode[] = verifyTargets(instances, config.hosts).targets.map((t) => ({
    name: t.name, source: t.source, ...(t.id === undefined ? {} : { id: t.id }), addresses: t.addresses.map((a) => a.address),
  }));
  const { matches, withoutEntry } = matchFleet(merge.entries, nodes);
  const nodeOf = new Map(matches.map((m) => [m.entry.alias, m.node]));
  const noteOf = (e: SmartnodeEntry) => nodeOf.get(e.alias) === undefined ? `${ipKeyOf(e.address)} is no selected instance or static host (yet)` : undefined;
  const items: SmartnodeItem[] = imported.map((e) => withNote(e, noteOf(e)));

  if (configText !== undefined) await write(run.configFile, configText, items, merge.entries);
  report(io, run, entries, nodeOf, withoutEntry);
  if (run.json) {
    io.json({
      file: run.file,
      entries: entries.map((e) => ({ line: e.line, alias: e.alias, address: e.address, txid: e.txid, index: e.index, node: nodeJson(nodeOf.get(e.alias)) })),
      nodesWithoutEntry: withoutEntry.map(nodeJson),
      smartnodes: merge.entries,
      written: configText === undefined ? null : run.configFile,
      added: merge.added, replaced: merge.replaced, kept: merge.kept,
    });
  } else if (configText === undefined) {
    io.out(smartnodesBlock(merge.entries.map((e) => imported.includes(e) ? withNote(e, noteOf(e)) : e)).trimEnd());
  } else {
    io.out(`Updated ${run.configFile}: ${merge.added.length} added, ${merge.replaced.length} replaced, ${merge.kept.length} kept.`);
  }
  return EXIT.ok;
}

async function readConf(file: string): Promise<string> {
  const fh = await open(file, "r").catch((e: unknown) => {
    const code = (e as NodeJS.ErrnoException).code;
    throw new AppError("IO", code === "ENOENT" ? `no file at ${file}` : `cannot read ${file} (${code ?? String(e)})`, {
      cause: e, hint: "give the path of the wallet's smartnode.conf (in SmartCash Core's data directory, e.g. ~/.smartcash/smartnode.conf)",
    });
  });
  try {
    const { size, isFile } = await fh.stat().then((s) => ({ size: s.size, isFile: s.isFile() }));
    if (!isFile) throw new AppError("USAGE", `${file} is not a file`);
    if (size > MAX_BYTES) throw new AppError("USAGE", `${file} is ${size} bytes; a smartnode.conf is a few lines: is it the right file?`);
    const bytes = await fh.readFile();
    try {
      return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch (e) {
      throw new AppError("USAGE", `${file} is not UTF-8 text: is it the right file?`, { cause: e });
    }
  } finally {
    await fh.close();
  }
}

/** Writes the imported entries in place, after proving the new text loads and lists exactly `expected`. */
async function write(configFile: string, before: string, items: readonly SmartnodeItem[], expected: readonly SmartnodeEntry[]): Promise<void> {
  const after = upsertSmartnodes(before, items);
  const reread = parseConfigText(after, configFile).config.smartnodes;
  if (JSON.stringify(reread) !== JSON.stringify(expected)) {
    throw new AppError("INTERNAL", "the edited nodeward.yaml does not list the entries it should; nothing was written", {
      hint: "this is a bug in nodeward; run the import without --write and paste the printed block",
    });
  }
  await rewriteConfigFile(configFile, before, after);
}

/** stderr: where each entry went, the entries that match nothing, the nodes without an entry. */
function report(io: Io, run: ImportRun, entries: readonly SmartnodeConfEntry[], nodeOf: ReadonlyMap<string, FleetNode | undefined>, withoutEntry: readonly FleetNode[]): void {
  const warn = io.errStyle.yellow("warning:");
  const p2p = findCoin(run.config.coin)?.p2p;
  if (!io.quiet && !run.json) io.err(`Read ${count(entries.length, "SmartNode")} from ${run.file} (the keys are skipped, never stored).`);
  for (const e of entries) {
    const node = nodeOf.get(e.alias);
    if (node === undefined) io.err(`${warn} ${e.alias} (${e.address}, line ${e.line}) matches no selected instance or static host; ${run.write ? "written" : "listed"} with a note`);
    else if (!io.quiet && !run.json) io.err(`  ${e.alias} → ${describeNode(node)}`);
    if (p2p !== undefined && e.port !== p2p.defaultPort) {
      io.err(`${warn} ${e.alias} (line ${e.line}) has port ${e.port}, not ${p2p.defaultPort}: on mainnet SmartCash Core refuses that line`);
    }
  }
  if (withoutEntry.length > 0) {
    io.err(`${warn} ${count(withoutEntry.length, "watched node")} without a smartnodes entry (the network is not asked about ${withoutEntry.length === 1 ? "it" : "them"}): ${withoutEntry.map(describeNode).join(", ")}`);
  }
}

function describeNode(n: FleetNode): string {
  return `${n.name} (${n.source === "provider" ? "instance" : "static host"}${n.addresses.length > 0 ? ` ${n.addresses.join(", ")}` : ""})`;
}

function nodeJson(n: FleetNode | undefined): { name: string; source: string; id?: string; addresses: readonly string[] } | null {
  return n === undefined ? null : { name: n.name, source: n.source, ...(n.id === undefined ? {} : { id: n.id }), addresses: n.addresses };
}

function withNote(e: SmartnodeEntry, note: string | undefined): SmartnodeItem {
  return note === undefined ? e : { ...e, note };
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
