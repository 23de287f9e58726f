import { findCoin } from "../../coins/index.ts";
import type { SmartnodeEntry } from "../../netview/config.ts";
import { hostKey } from "../../netview/choose-peers.ts";
import { parseService } from "../../netview/config.ts";
import { outpointKey } from "../../netview/outpoint.ts";
import type { NetviewRecord } from "../../netview/ports.ts";
import { peersAnswered, readNetview, type NetviewReading } from "../../netview/reading.ts";
import type { AuditContext, WatchFacts } from "../context.ts";
import type { AuditCheck, CheckOutcome } from "../model.ts";
import { fromSource } from "./source.ts";

/**
 * What the network itself says of each node with a collateral in `smartnodes`, as the watch daemon
 * last asked other peers (docs/netview.md). Read from the watch database, never by asking here:
 * the audit makes no network query of its own. The node is the watched one with the entry's IP;
 * without the provider's instances, the row that names the entry's collateral.
 */

const UTC = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;
const minutesAgo = (at: number, now: number) => `${Math.max(0, Math.round((now - at) / 60_000))} min ago`;

export const networkViewCheck: AuditCheck<AuditContext> = {
  id: "network-view",
  step: "network-view",
  title: "ENABLED in the network's list",
  passes: "Other SmartCash peers list every node with a collateral in smartnodes as ENABLED (or PRE_ENABLED just after a start) with a fresh ping, as the watch daemon last asked them, and what they carry matches the node.",
  run: async (ctx) => {
    const coin = findCoin(ctx.config.coin);
    if (coin?.smartnodeList === undefined) {
      return [{ status: "cannot-check", evidence: `coin ${ctx.config.coin} has no SmartNode list for the network to be asked about`, fix: "nothing to do: this check is for SmartCash SmartNodes" }];
    }
    const entries = ctx.config.smartnodes;
    if (entries.length === 0) {
      return [{ status: "cannot-check", evidence: "no collateral configured (smartnodes: is empty): the watch daemon asks the network about no node", fix: "`nodeward import smartnode.conf FILE --write` (the file your wallet uses), then keep `nodeward watch` running" }];
    }
    return fromSource(ctx.watch, (facts): CheckOutcome[] => {
      if (!facts.netview.ok) return [{ status: "cannot-check", evidence: `the network view in ${facts.path} cannot be read: ${facts.netview.reason}`, fix: facts.netview.fix }];
      const rows = facts.netview.value;
      const rules = { intervalSeconds: ctx.config.netview.intervalSeconds, expiredMinutes: coin.expiry?.expiredMinutes ?? 65 };
      return entries.map((entry) => {
        const nodeId = nodeOf(entry, facts);
        const key = outpointKey({ txid: entry.txid, index: entry.index });
        const row = rows.find((r) => r.outpoint === key && (nodeId === null || r.nodeId === nodeId)) ?? rows.find((r) => r.outpoint === key);
        const id = nodeId ?? row?.nodeId ?? null;
        const node = id === null ? entry.alias : (facts.names.get(id) ?? id.replace(/^host:/, ""));
        const up = id !== null && facts.states.find((s) => s.nodeId === id)?.health === "up";
        const outcome = row === undefined ? missing(entry, nodeId, facts, ctx) : judge(entry, readNetview(row, ctx.now, rules), row, up, { now: ctx.now, expiredMinutes: rules.expiredMinutes, unseenAfterMinutes: ctx.config.netview.unseenAfterMinutes });
        return { node, ...outcome, evidence: `alias ${entry.alias}: ${outcome.evidence}` };
      });
    });
  },
};

/** The selected node with the entry's IP; null when none has it (or the provider's instances are unknown). */
function nodeOf(entry: SmartnodeEntry, facts: WatchFacts): string | null {
  const service = parseService(entry.address);
  if (!service.ok) return null;
  const ip = hostKey(service.ip);
  for (const [id, addresses] of facts.addresses) if (addresses.some((a) => hostKey(a) === ip)) return id;
  return null;
}

type Verdict = Omit<CheckOutcome, "node">;

function missing(entry: SmartnodeEntry, nodeId: string | null, facts: WatchFacts, ctx: AuditContext): Verdict {
  if (nodeId === null && facts.expected.length > 0) {
    return { status: "attention", evidence: `its address ${entry.address} is the IP of no node nodeward selects, so the network is not asked about it`, fix: "correct the address in smartnodes (`nodeward import smartnode.conf FILE` matches by IP), or select its instance in nodes:" };
  }
  if (!ctx.config.netview.enabled) {
    return { status: "attention", evidence: "netview.enabled is false: the watch daemon does not ask the network", fix: "set netview.enabled: true and restart `nodeward watch`" };
  }
  return { status: "attention", evidence: `the watch database ${facts.path} holds no network view of it: the watch daemon has not asked yet, or is not running`, fix: "keep `nodeward watch` running with this config (it asks every netview.intervalSeconds)" };
}

function judge(entry: SmartnodeEntry, r: NetviewReading, row: NetviewRecord, up: boolean, at: { now: number; expiredMinutes: number; unseenAfterMinutes: number }): Verdict {
  const { now, expiredMinutes, unseenAfterMinutes: unseenAfter } = at;
  const listing = peersAnswered(r.detail);
  const peers = listing === null ? "the peers' answers are unreadable" : `${listing.listing} of ${listing.asked} peers list it`;
  const ping = r.lastPingAt === null ? "no ping" : `last ping ${minutesAgo(r.lastPingAt, now)} (${UTC(r.lastPingAt)})`;
  const asked = `asked ${minutesAgo(r.askedAt, now)}`;
  const start = `\`smartnode start-alias ${entry.alias}\` in the wallet that holds the collateral`;
  if (r.stale) {
    return { status: "attention", evidence: `the network was last asked ${minutesAgo(r.askedAt, now)} (it said ${row.state} then): is \`nodeward watch\` running?`, fix: "start the watch daemon (`nodeward watch`, e.g. as a systemd service) and look at its log for the network query" };
  }
  switch (r.state) {
    case "EXPIRED":
      return { status: "fail", evidence: `EXPIRED in the network: ${ping}, past the ${expiredMinutes}-minute mark; ${peers}; ${asked}`, fix: `its pings do not reach the network: check smartcashd runs and is synced on the node, its clock, and that its externalip is the announced address; without a ping for 120 minutes it needs ${start}` };
    case "NEW_START_REQUIRED":
      return { status: "fail", evidence: `NEW_START_REQUIRED in the network: ${ping}; its place in the payment queue is lost; ${peers}; ${asked}`, fix: `once smartcashd runs and is synced on the node, start it again: ${start}` };
    case "UPDATE_REQUIRED":
      return { status: "fail", evidence: `UPDATE_REQUIRED in the network: it announces protocol ${r.detail?.announced?.protocolVersion ?? "(unknown)"}, below the payments minimum; ${peers}; ${asked}`, fix: `update smartcashd on the node to the current release, then ${start}` };
    case "UNKNOWN":
      return { status: "attention", evidence: `no peer could be asked about it or answered in time (${asked})`, fix: "list reachable SmartCash peers in netview.peers, or check that the fleet's other nodes answer the handshake (`nodeward verify`)" };
    case "UNLISTED":
      return up
        ? { status: "fail", evidence: `unseen by the network: nodeward reaches the node, but no peer that answered lists its collateral ${r.outpoint}; ${asked}`, fix: `check txid and index in smartnodes against smartnode.conf, then ${start}` }
        : { status: "attention", evidence: `no peer that answered lists it, and nodeward does not reach it either (see reward-clock); ${asked}`, fix: `bring the node back first; if the network still does not list it, ${start}` };
    case "ENABLED":
    case "PRE_ENABLED": {
      if (r.lastPingAt === null || r.askedAt - r.lastPingAt >= unseenAfter * 60_000) {
        const evidence = `listed ${r.state}, but its ${ping} is older than netview.unseenAfterMinutes (${unseenAfter})`;
        return up
          ? { status: "fail", evidence: `unseen by the network: nodeward reaches the node, ${evidence}; ${asked}`, fix: "its pings stopped reaching the network: check smartcashd and its sync on the node, its clock, and that its externalip is the announced address" }
          : { status: "attention", evidence: `${evidence}, and nodeward does not reach the node either (see reward-clock); ${asked}`, fix: `bring the node back now: the network marks it EXPIRED ${expiredMinutes} minutes after its last ping` };
      }
      const left = r.minutesToExpired === null ? "" : `; ${r.minutesToExpired} min before EXPIRED as the network counts it`;
      const disagree = r.detail?.disagreement === true ? "; the peers disagree" : "";
      const seen = `${r.state} in the network (${peers}); ${ping}${left}; ${asked}${disagree}`;
      const problems = r.detail?.problems ?? [];
      if (problems.length > 0) {
        return { status: "attention", evidence: `${seen}; but ${problems.join("; ")}`, fix: `correct what the network carries (an announced address: externalip in the node's smartcash.conf and the address in smartnode.conf), then ${start}` };
      }
      return { status: "pass", evidence: r.state === "PRE_ENABLED" ? `${seen} (just started: ENABLED 20 minutes after its start)` : seen };
    }
  }
}
