/**
 * smartnode.conf, the file SmartCash Core's wallet keeps (Core-Smart src/smartnode/smartnodeconfig.cpp
 * @0f6029c1, CSmartnodeConfig::Read): one SmartNode per line, `alias IP:port smartnodeprivkey
 * collateral_output_txid collateral_output_index`, columns split on whitespace (`istream >>`), a
 * line whose first column starts with `#` is a comment, columns after the fifth are ignored. Pure.
 *
 * The third column is the SmartNode's private key. It is skipped, never copied: no returned value,
 * no message holds it. Messages name the line and the column, never its text, because a line
 * whose columns are shifted can carry the key in any column.
 *
 * Wider than Core, on purpose: a byte-order mark, CRLF line ends and blank lines with spaces are
 * accepted (Core refuses the last two), and so is a line without the key (`alias IP:port txid
 * index`), for an operator who strips the keys before copying the file off the wallet machine.
 */
import { isIP } from "node:net";
import ipaddr from "ipaddr.js";
import { parseService } from "./config.ts";
import { checkOutpoint, outpointKey } from "./outpoint.ts";

export interface SmartnodeConfEntry {
  /** 1-based line number in the file. */
  line: number;
  alias: string;
  /** "IP:port" as written ("[v6]:port" for IPv6). */
  address: string;
  /** The IP in one form per address (IPv4-mapped IPv6 as IPv4), for matching. */
  ip: string;
  port: number;
  /** 64 lower-case hex digits. */
  txid: string;
  index: number;
}

export interface SmartnodeConfProblem {
  line: number;
  message: string;
}

export interface SmartnodeConfOptions {
  /** Called with each key read, so the caller can register it with its redactor; nothing else sees it. */
  onKey?: (key: string) => void;
}

/** The alias is stored in nodeward.yaml (at most 64 characters there) and printed in reports. */
const MAX_ALIAS = 64;
const FORMAT = "alias IP:port smartnodeprivkey txid index";
/** istream >> splits on isspace: space, \t, \n, \v, \f, \r. */
const COLUMNS = /[ \t\v\f\r]+/;
const TXID = /^[0-9a-fA-F]{64}$/;
const DIGITS = /^\d+$/;
/** Controls, format characters (bidi overrides, zero-width), separators other than the space: invisible or reordering on screen. */
const UNSEEN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Zs}\uFFFD]/u;

export function parseSmartnodeConf(text: string, options: SmartnodeConfOptions = {}): { entries: SmartnodeConfEntry[]; problems: SmartnodeConfProblem[] } {
  const entries: SmartnodeConfEntry[] = [];
  const problems: SmartnodeConfProblem[] = [];
  const seen = { alias: new Map<string, number>(), ip: new Map<string, number>(), key: new Map<string, number>(), outpoint: new Map<string, number>() };
  const lines = text.replace(/^\uFEFF/, "").split("\n");
  lines.forEach((raw, i) => {
    const line = i + 1;
    const columns = raw.split(COLUMNS).filter((c) => c !== "");
    const [first] = columns;
    if (first === undefined || first.startsWith("#")) return;
    const keyless = columns.length >= 4 && TXID.test(columns[2] ?? "") && DIGITS.test(columns[3] ?? "");
    if (!keyless && columns.length < 5) {
      problems.push({ line, message: `expected 5 columns (${FORMAT}), found ${columns.length}` });
      return;
    }
    const [alias = "", address = "", ...rest] = columns;
    const key = keyless ? undefined : rest[0];
    const [txid = "", index = ""] = keyless ? rest : rest.slice(1);
    if (key !== undefined) options.onKey?.(key);
    const read = readEntry(line, alias, address, txid, index, keyless ? 3 : 4);
    if (typeof read === "string") {
      problems.push({ line, message: read });
      return;
    }
    const keys: [Map<string, number>, string, string][] = [
      [seen.alias, read.alias, "alias"],
      [seen.ip, read.ip, "IP address"],
      [seen.outpoint, outpointKey(read), "collateral (txid and index)"],
      ...(key === undefined ? [] : [[seen.key, key, "smartnodeprivkey"] as [Map<string, number>, string, string]]),
    ];
    const clash = keys.find(([map, value]) => map.has(value));
    if (clash !== undefined) {
      problems.push({ line, message: `the same ${clash[2]} as line ${clash[0].get(clash[1])}: each SmartNode needs its own (SmartCash Core refuses the file too)` });
      return;
    }
    for (const [map, value] of keys) map.set(value, line);
    entries.push(read);
  });
  return { entries, problems };
}

/** The entry, or what is wrong with it (naming columns, never quoting them). */
function readEntry(line: number, alias: string, address: string, txid: string, index: string, txidColumn: number): SmartnodeConfEntry | string {
  const aliasProblem = checkAlias(alias);
  if (aliasProblem !== undefined) return `column 1 (alias) ${aliasProblem}`;
  const service = parseService(address);
  if (!service.ok) {
    if (/^(?:\[[0-9a-fA-F:.]+\]|[0-9.]+):\d+$/.test(address)) {
      const ip = address.replace(/^\[|\]?:\d+$/g, "");
      return isIP(ip) !== 0 ? "column 2: the port must be 1–65535" : "column 2: the IP address is not a valid IPv4 or IPv6 address";
    }
    const named = /^[A-Za-z0-9.-]*[g-zG-Z][A-Za-z0-9.-]*:\d+$/.test(address);
    return `column 2 is not IP:port (203.0.113.5:9678, IPv6 as [2001:db8::5]:9678)${named ? ": a host name is not accepted, give the IP the SmartNode announces" : ""}`;
  }
  if (!TXID.test(txid)) return `column ${txidColumn} (collateral txid) must be 64 hex digits, found ${describe(txid)}`;
  if (!/^\d{1,10}$/.test(index)) return `column ${txidColumn + 1} (collateral output index) must be a whole number 0–4294967294, found ${describe(index)}`;
  const outpoint = checkOutpoint(txid, index);
  if (!outpoint.ok) return `columns ${txidColumn}–${txidColumn + 1}: ${outpoint.message}`;
  return { line, alias, address, ip: matchKey(service.ip), port: service.port, ...outpoint.outpoint };
}

function checkAlias(alias: string): string | undefined {
  const unseen = UNSEEN.exec(alias);
  if (unseen !== null) {
    const at = [...alias.slice(0, unseen.index)].length + 1;
    return `has an invisible or control character (U+${unseen[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}) at character ${at}: use visible letters, digits, - _ .`;
  }
  if (alias.length > MAX_ALIAS) return `is ${[...alias].length} characters long; nodeward keeps aliases of at most ${MAX_ALIAS}`;
  return undefined;
}

/** Length and kind of a column's text, which is not shown. */
function describe(column: string): string {
  if (column === "") return "nothing";
  const n = [...column].length;
  return `${n} character${n === 1 ? "" : "s"}${/^[\x21-\x7e]*$/.test(column) ? "" : ", some of them not ASCII"}`;
}

/** One text per address: "2001:DB8::5" and "2001:db8:0::5" alike, "::ffff:203.0.113.5" as "203.0.113.5". */
export function matchKey(ip: string): string {
  try {
    const addr = ipaddr.process(ip);
    return addr.kind() === "ipv6" ? (addr as ipaddr.IPv6).toRFC5952String() : addr.toString();
  } catch {
    return ip.toLowerCase();
  }
}
