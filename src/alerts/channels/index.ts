import type { z } from "zod";
import { discord } from "./discord.ts";
import { email } from "./email.ts";
import { slack } from "./slack.ts";
import { telegram } from "./telegram.ts";
import { webhook } from "./webhook.ts";

/**
 * The only registry of alert channel types. A new channel is one module in this folder (its
 * schema, docs, create) plus one entry here: config, docs, start-up and `alerts test` read it.
 */
export const channelTypes = [discord, telegram, slack, webhook, email] as const;

export type ChannelType = (typeof channelTypes)[number];

/** One configured channel, with defaults applied: a union discriminated by `type`. */
export type ChannelConfig = z.output<ChannelType["configSchema"]>;

export function findChannelType(type: string): ChannelType | undefined {
  return channelTypes.find((c) => c.type === type);
}
