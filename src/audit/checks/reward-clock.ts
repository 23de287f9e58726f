import { findCoin } from "../../coins/index.ts";
import { SMARTCASH_EXPIRY, minutesLeft, rewardClock } from "../../watch/reward-clock.ts";
import type { NodeWatchState } from "../../watch/model.ts";
import type { AuditContext } from "../context.ts";
import type { AuditCheck, CheckOutcome } from "../model.ts";
import { fromSource } from "./source.ts";

const UTC = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;

export const rewardClockCheck: AuditCheck<AuditContext> = {
  id: "reward-clock",
  step: "reward-clock",
  title: "Inside the reward window",
  passes: "The watch daemon's database shows a recent good probe of every node, so each is far from EXPIRED (SmartCash: 65 minutes without an accepted ping).",
  run: (ctx) =>
    fromSource(ctx.watch, (facts): CheckOutcome[] => {
      const expiry = findCoin(ctx.config.coin)?.expiry ?? SMARTCASH_EXPIRY;
      // Two missed rounds (or 5 minutes) without any probe: the daemon is probably not running.
      const staleMs = Math.max(5 * 60_000, 2 * ctx.config.watch.intervalSeconds * 1000);
      const byId = new Map(facts.states.map((s) => [s.nodeId, s]));
      const ids = facts.expected.length > 0 ? facts.expected : facts.states.map((s) => s.nodeId);
      if (ids.length === 0) {
        return [{ status: "cannot-check", evidence: `the watch database ${facts.path} holds no node yet`, fix: "run `nodeward watch` with this config" }];
      }
      return ids.map((id): CheckOutcome => {
        const node = facts.names.get(id) ?? id.replace(/^host:/, "");
        const s = byId.get(id);
        if (s === undefined) return { node, status: "attention", evidence: `not in the watch database ${facts.path}: nothing counts down its reward clock`, fix: "run `nodeward watch` with this config (it watches new nodes within inventoryRefreshSeconds)" };
        return judge(node, s, ctx.now, expiry, staleMs);
      });
    }),
};

function judge(node: string, s: NodeWatchState, now: number, expiry: { expiredMinutes: number; newStartRequiredMinutes: number }, staleMs: number): CheckOutcome {
  const clock = rewardClock(s.lastGoodAt, expiry);
  const left = minutesLeft(clock.expiresAt, now);
  const ago = s.lastGoodAt === null ? null : Math.max(0, Math.round((now - s.lastGoodAt) / 60_000));
  const seen = ago === null ? "never answered a probe" : `last good probe ${ago} min ago (${UTC(s.lastGoodAt!)})`;
  if (s.health === "down") {
    const newStart = minutesLeft(clock.newStartAt, now) ?? 0;
    const when = left === null ? "" : left > 0 ? `; ${left} min left before EXPIRED` : `; EXPIRED ${-left} min ago (NEW_START_REQUIRED ${newStart > 0 ? `in ${newStart} min` : "reached"})`;
    return { node, status: "fail", evidence: `down${s.incident ? ` since ${UTC(s.incident.startedAt)} (${s.incident.cause})` : ""}; ${seen}${when}`, fix: "bring the node back now: `nodeward status`, check smartcashd and the instance; remediation.enabled reboots it automatically" };
  }
  if (s.lastProbeAt === null || now - s.lastProbeAt > staleMs) {
    const probed = s.lastProbeAt === null ? "never probed" : `last probed ${Math.round((now - s.lastProbeAt) / 60_000)} min ago`;
    return { node, status: "attention", evidence: `${probed}: is \`nodeward watch\` running? ${seen}`, fix: "start the watch daemon (`nodeward watch`, e.g. as a systemd service)" };
  }
  if (s.health !== "up") {
    return { node, status: "attention", evidence: `${s.health}: ${seen}${left === null ? "" : `; ${left} min left before EXPIRED if it stays down`}`, fix: "look at the node now (`nodeward status`, `nodeward probe`)" };
  }
  if (s.degraded !== null) {
    return { node, status: "attention", evidence: `up but degraded (${s.degraded}); ${seen}`, fix: "check the node is synced with the network" };
  }
  return { node, status: "pass", evidence: `up; ${seen}; ${left ?? expiry.expiredMinutes} min before EXPIRED if it stopped answering now` };
}
