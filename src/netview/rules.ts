/**
 * Core-Smart's state rules (CSmartnode::Check, src/smartnode/smartnode.cpp @0f6029c1, lines
 * 132–233) applied to what a peer sent, and the verdict drawn from several peers. Pure.
 *
 * Check's order, with the steps that need the chain left out (collateral spent, PoSe ban):
 * protocol below the payments minimum → UPDATE_REQUIRED; no ping within 120 min →
 * NEW_START_REQUIRED; within 65 → EXPIRED; ping less than 20 min after the announce →
 * PRE_ENABLED; else ENABLED. `IsPingedWithin(s)` is `now - lastPing.sigTime < s`, false for the
 * empty ping.
 */
import type { CoinP2p, ExpiryParams, SmartnodeListParams } from "../coins/index.ts";
import type { SmartnodeAnnounce, SmartnodePing } from "./codec.ts";
import type { NetworkState, NetworkVerdict, PeerView, VerdictState } from "./model.ts";
import { outpointKey } from "./outpoint.ts";

export interface RuleParams {
  expiry: ExpiryParams;
  list: SmartnodeListParams;
  p2p: Pick<CoinP2p, "protocolVersion">;
}

/** Where the node should be: the instance's address and the coin's port. */
export interface ExpectedService {
  ips: readonly string[];
  port: number;
}

/** The peer's state for the node at `nowSeconds`, by Check's rules. */
export function stateOf(announce: SmartnodeAnnounce, ping: SmartnodePing | null, nowSeconds: number, p: RuleParams): NetworkState {
  if (announce.protocolVersion < p.list.minPaymentsProtocol) return "UPDATE_REQUIRED";
  const pingedWithin = (minutes: number) => ping !== null && nowSeconds - ping.sigTime < minutes * 60;
  if (!pingedWithin(p.expiry.newStartRequiredMinutes)) return "NEW_START_REQUIRED";
  if (!pingedWithin(p.expiry.expiredMinutes)) return "EXPIRED";
  if (ping!.sigTime - announce.sigTime < p.list.preEnabledMinutes * 60) return "PRE_ENABLED";
  return "ENABLED";
}

/** The fresher of the announce's ping and the mnp message (both name the same outpoint). */
export function freshestPing(announce: SmartnodeAnnounce, mnp: SmartnodePing | null): SmartnodePing | null {
  const a = announce.lastPing;
  if (mnp === null || outpointKey(mnp.outpoint) !== outpointKey(announce.outpoint)) return a;
  if (a === null) return mnp;
  return mnp.sigTime > a.sigTime ? mnp : a;
}

/** Fills each listed peer's state and last ping time. */
export function judgePeers(peers: readonly PeerView[], nowSeconds: number, p: RuleParams): PeerView[] {
  return peers.map((v) => {
    if (v.answer.kind !== "listed") return v;
    const { announce, ping } = v.answer;
    return { ...v, state: stateOf(announce, ping, nowSeconds, p), lastPingAt: ping === null ? null : ping.sigTime * 1000 };
  });
}

/**
 * The verdict: the state of the median listing peer, ordered by last ping (with two, the fresher:
 * one peer that missed a relay must not raise an alarm). UNLISTED when peers answered and none
 * lists the node; UNKNOWN when none could be asked.
 */
export function verdictOf(outpoint: string, peers: readonly PeerView[], nowMs: number, p: RuleParams, expected?: ExpectedService): NetworkVerdict {
  const judged = judgePeers(peers, Math.floor(nowMs / 1000), p);
  const listed = judged.filter((v) => v.answer.kind === "listed");
  const answered = judged.filter((v) => v.answer.kind === "listed" || v.answer.kind === "unlisted");
  const base = { outpoint, peers: judged, askedAt: nowMs };
  if (listed.length === 0) {
    const state: VerdictState = answered.length > 0 ? "UNLISTED" : "UNKNOWN";
    const problems = judged.flatMap((v) => (v.answer.kind === "malformed" ? [`${v.peer} sent a malformed answer: ${v.answer.detail}`] : []));
    return { ...base, state, lastPingAt: null, minutesToExpired: null, disagreement: false, problems };
  }
  const byPing = [...listed].sort((a, b) => (a.lastPingAt ?? -1) - (b.lastPingAt ?? -1));
  const chosen = byPing[Math.floor(byPing.length / 2)]!;
  const answer = chosen.answer as Extract<PeerView["answer"], { kind: "listed" }>;
  const lastPingAt = chosen.lastPingAt ?? null;
  const expiredAt = lastPingAt === null ? null : lastPingAt + p.expiry.expiredMinutes * 60_000;
  const minutesToExpired = expiredAt === null ? null : Math.max(0, Math.floor((expiredAt - nowMs) / 60_000));
  const states = new Set(listed.map((v) => v.state));
  const disagreement = states.size > 1 || listed.length < answered.length;
  return {
    ...base,
    state: chosen.state!,
    lastPingAt,
    minutesToExpired,
    announced: { addr: serviceText(answer.announce.addr), protocolVersion: answer.announce.protocolVersion, at: answer.announce.sigTime * 1000 },
    disagreement,
    problems: problemsOf(answer.announce, answer.ping, judged, nowMs, p, expected),
  };
}

export function serviceText(addr: { ip: string; port: number }): string {
  return addr.ip.includes(":") ? `[${addr.ip}]:${addr.port}` : `${addr.ip}:${addr.port}`;
}

/** What can be checked without the chain: address, protocol, script, key sizes, clock. */
export function problemsOf(
  announce: SmartnodeAnnounce,
  ping: SmartnodePing | null,
  peers: readonly PeerView[],
  nowMs: number,
  p: RuleParams,
  expected?: ExpectedService,
): string[] {
  const problems: string[] = [];
  const addr = serviceText(announce.addr);
  if (expected !== undefined && (!expected.ips.includes(announce.addr.ip) || announce.addr.port !== expected.port)) {
    problems.push(`the network has the node at ${addr}, not at ${expected.ips.map((ip) => serviceText({ ip, port: expected.port })).join(" or ")}: re-start it from the wallet with the right IP (externalip in smartcash.conf, the line in smartnode.conf)`);
  }
  // CSmartnode::IsValidNetAddr (smartnode.cpp:255): outside testnet only a routable IPv4 address is valid.
  if (announce.addr.ip.includes(":")) problems.push(`the node is announced at an IPv6 address (${addr}); mainnet peers accept only IPv4 announces (CSmartnode::IsValidNetAddr)`);
  if (announce.protocolVersion < p.list.minPaymentsProtocol) {
    problems.push(`announced with protocol ${announce.protocolVersion}, below the payments minimum ${p.list.minPaymentsProtocol}: update the node and start it again`);
  } else if (announce.protocolVersion < p.p2p.protocolVersion) {
    problems.push(`announced with protocol ${announce.protocolVersion}; the current release speaks ${p.p2p.protocolVersion}: after updating, start the node again from the wallet`);
  }
  if (announce.scriptSig.length > 0) problems.push("the announce's input carries a script; peers reject it (CSmartnodeBroadcast::SimpleCheck)");
  for (const [name, key] of [["collateral", announce.collateralPubKey], ["smartnode", announce.smartnodePubKey]] as const) {
    // SimpleCheck's "wrong size" test (smartnode.cpp:442–458) measures the P2PKH script, always 25
    // bytes; the rejection comes from the signature checks, which compare key IDs: the announce's
    // against the collateral key (smartnode.cpp:641), every ping's against the smartnode key (:701).
    if (key.length !== 33 && key.length !== 65) problems.push(`the announce's ${name} public key is ${key.length} bytes, not 33 or 65; peers reject it`);
  }
  if (ping !== null && ping.sigTime * 1000 > nowMs + 60 * 60_000) problems.push("the last ping is signed more than an hour in the future: the node's clock is wrong, peers reject such pings");
  for (const v of peers) if (v.answer.kind === "malformed") problems.push(`${v.peer} sent a malformed answer: ${v.answer.detail}`);
  return problems;
}
