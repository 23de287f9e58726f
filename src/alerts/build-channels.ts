import { AppError, isAppError } from "../core/errors.ts";
import type { AlertChannel, ChannelConfigBase, ChannelDeps, RoutedChannel } from "./channel.ts";
import { findChannelType } from "./channels/index.ts";
import type { AlertsConfig } from "./config.ts";
import type { AlertKind } from "./event.ts";

/**
 * Starts every configured channel: resolves its secrets and checks its settings. A channel that
 * cannot start stops start-up with an AppError naming it; none is ever switched off quietly.
 * With no channel, or no channel taking down or recovered alerts, it warns.
 */
export async function buildChannels(config: AlertsConfig, deps: ChannelDeps): Promise<{ channels: RoutedChannel[]; warnings: string[] }> {
  const warnings: string[] = [];
  if (config.channels.length === 0) {
    warnings.push("no alert channel is configured: nodeward watch records incidents but tells no one; add one under alerts.channels, then run `nodeward alerts test`");
    return { channels: [], warnings };
  }
  const channels: RoutedChannel[] = [];
  const failures: AppError[] = [];
  for (const c of config.channels) {
    try {
      const started = await startOne(c, deps);
      channels.push({ sender: started.channel, events: c.events ?? null });
      warnings.push(...started.warnings);
    } catch (e) {
      failures.push(named(e, c, deps));
    }
  }
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) {
    throw new AppError(failures[0]!.code, `${failures.length} alert channels cannot start: ${failures.map((f) => f.message).join("; ")}`, {
      cause: failures,
      hint: "fix them or remove them from alerts.channels; nodeward does not watch with a broken alert channel",
    });
  }
  for (const kind of ["down", "recovered"] as const satisfies readonly AlertKind[]) {
    if (!channels.some((c) => c.events === null || c.events.includes(kind))) warnings.push(`no alert channel takes "${kind}" alerts (see each channel's events)`);
  }
  return { channels, warnings };
}

function startOne(c: ChannelConfigBase, deps: ChannelDeps) {
  const type = findChannelType(c.type);
  if (type === undefined) throw new AppError("CONFIG_INVALID", `unknown channel type ${JSON.stringify(c.type)}`);
  // The registry is a union of channel types; the config was validated by this very type's schema.
  return (type as unknown as AlertChannel<ChannelConfigBase>).create(c, deps);
}

/** Every start-up error says which channel; messages are redacted in case a secret slipped in. */
function named(e: unknown, c: ChannelConfigBase, deps: ChannelDeps): AppError {
  const label = `alert channel "${c.name}" (${c.type})`;
  if (isAppError(e) && e.message.includes(`"${c.name}"`)) return e;
  const message = deps.redactor.redact(e instanceof Error ? e.message : String(e));
  return new AppError(isAppError(e) ? e.code : "CONFIG_INVALID", `${label}: ${message}`, {
    cause: e,
    ...(isAppError(e) && e.hint !== undefined ? { hint: e.hint } : {}),
  });
}
