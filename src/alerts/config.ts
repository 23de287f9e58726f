import { z } from "zod";
import type { ChannelConfig } from "./channels/index.ts";
import { channelTypes } from "./channels/index.ts";

/**
 * The `alerts:` section of nodeward.yaml. Every alert goes to every channel, unless a channel
 * lists the kinds it wants in `events`. Channel keys come from each type's own schema (the
 * registry in channels/index.ts); names are unique because the outbox stores them.
 */

type SchemasOf<T extends readonly unknown[]> = { -readonly [K in keyof T]: T[K] extends { configSchema: infer S } ? S : never };
type Schemas = SchemasOf<typeof channelTypes>;

const TYPE_IDS = channelTypes.map((c) => c.type);

export const channelConfigSchema = z.discriminatedUnion("type", channelTypes.map((c) => c.configSchema) as unknown as Schemas, {
  error: (iss) =>
    iss.code === "invalid_union"
      ? `unknown channel type ${JSON.stringify((iss.input as { type?: unknown } | undefined)?.type)}; known types: ${TYPE_IDS.join(", ")}`
      : undefined,
});

export const alertsConfigSchema = z
  .strictObject({
    channels: z
      .array(channelConfigSchema)
      .superRefine((channels, ctx) => {
        const seen = new Map<string, number>();
        channels.forEach((c, i) => {
          const first = seen.get(c.name);
          if (first === undefined) seen.set(c.name, i);
          else ctx.addIssue({ code: "custom", path: [i, "name"], message: `channel name "${c.name}" is already used by channels[${first}]; names must be unique`, input: c.name });
        });
      })
      .default([])
      .describe(`Where alerts go; every alert goes to every channel (see each channel's events). Types: ${TYPE_IDS.join(", ")}.`),
    retry: z
      .strictObject({
        maxAgeMinutes: z
          .number()
          .int()
          .min(10)
          .max(10_080)
          .default(1440)
          .describe("Keep retrying an alert that could not be sent for this long (minutes, 10–10080), then give it up."),
      })
      .prefault({})
      .describe("How long undelivered alerts are retried."),
  })
  .describe("Alert channels: Discord, Telegram, Slack, a signed webhook, e-mail.");

export type AlertsConfig = z.output<typeof alertsConfigSchema>;
export type AlertsConfigInput = z.input<typeof alertsConfigSchema>;
export type { ChannelConfig };
