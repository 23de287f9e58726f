import type { Clock } from "../core/clock.ts";
import type { Rule } from "./model.ts";
import type { FirewallProvider } from "./provider.ts";

/** What apply reports as it goes (progress display, logs, tests). */
export type ApplyEvent =
  | { kind: "group-created"; groupId: string; description: string }
  | { kind: "rule-created"; rule: Rule }
  | { kind: "rules-verified"; count: number }
  | { kind: "attach-sent"; label: string; done: number; total: number }
  | { kind: "attach-visible"; visible: number; total: number }
  | { kind: "rule-deleted"; rule: Rule };

export interface ApplyOptions {
  provider: FirewallProvider;
  clock: Clock;
  signal?: AbortSignal;
  onEvent?: (e: ApplyEvent) => void;
  attachConcurrency: number;
  attachTimeoutMs: number;
  /** First wait between visibility polls; grows to 5 s. */
  pollIntervalMs?: number;
}
