import { z } from "zod";
import { clip } from "../core/safe-text.ts";
import { NETWORK_STATES, type NetworkVerdict } from "./model.ts";

/**
 * What a NetviewRecord keeps of the verdict besides its state and times (the `detail` column):
 * each peer's answer in a line, the problems, the disagreement and what the announce says. Not the
 * raw messages: keys and signatures are of no use to a reader and would grow the row. Bounded by
 * the number of peers asked, each text clipped. Read back through a schema, never trusted as is.
 */

/** The longest text kept per peer or problem (a peer's error message, a malformed answer's detail). */
const MAX_TEXT = 300;
const MAX_PEERS = 32;

const peerSchema = z.object({
  peer: z.string(),
  answer: z.enum(["listed", "unlisted", "unreachable", "malformed"]),
  state: z.enum(NETWORK_STATES).optional(),
  lastPingAt: z.number().int().nullable().optional(),
  detail: z.string().optional(),
});

export const netviewDetailSchema = z.object({
  peers: z.array(peerSchema).max(MAX_PEERS),
  problems: z.array(z.string()),
  disagreement: z.boolean(),
  announced: z.object({ addr: z.string(), protocolVersion: z.number().int(), at: z.number().int() }).optional(),
});

export type NetviewDetail = z.infer<typeof netviewDetailSchema>;

export function detailOf(v: NetworkVerdict): NetviewDetail {
  return {
    peers: v.peers.slice(0, MAX_PEERS).map((p) => ({
      peer: clip(p.peer, MAX_TEXT),
      answer: p.answer.kind,
      ...(p.state === undefined ? {} : { state: p.state }),
      ...(p.lastPingAt === undefined ? {} : { lastPingAt: p.lastPingAt }),
      ...(p.answer.kind === "unreachable" || p.answer.kind === "malformed" ? { detail: clip(p.answer.detail, MAX_TEXT) } : {}),
    })),
    problems: v.problems.map((p) => clip(p, MAX_TEXT)),
    disagreement: v.disagreement,
    ...(v.announced === undefined ? {} : { announced: { ...v.announced, addr: clip(v.announced.addr, MAX_TEXT) } }),
  };
}

/** The `detail` column's text. */
export function detailText(v: NetworkVerdict): string {
  return JSON.stringify(detailOf(v));
}

/** The stored text back, or null when it is not what detailText writes (another version, a damaged row). */
export function parseDetail(text: string): NetviewDetail | null {
  try {
    const r = netviewDetailSchema.safeParse(JSON.parse(text));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}

/** One line for an alert: the problems, then how the peers disagree ("" when neither). */
export function detailLine(v: NetworkVerdict, max = 600): string {
  const parts = [...v.problems];
  if (v.disagreement) {
    const views = v.peers.map((p) => `${p.peer} ${p.answer.kind === "listed" ? (p.state ?? "listed") : p.answer.kind}`);
    parts.push(`peers disagree: ${views.join(", ")}`);
  }
  return clip(parts.join("; "), max);
}
