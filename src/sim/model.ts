import type { RemoteRule, Rule } from "../firewall/model.ts";

/**
 * The simulator's records. Instances are kept in Vultr's wire shape (snake_case, as the spec's
 * examples show them) because the simulator's whole job is to speak that shape exactly.
 */

export type InstanceStatus = "active" | "pending" | "suspended" | "resizing";
export type PowerStatus = "running" | "stopped";
export type ServerStatus = "none" | "locked" | "installingbooting" | "ok";
export type PowerAction = "reboot" | "start" | "halt";

export interface SimInstance {
  id: string;
  os: string;
  ram: number;
  disk: number;
  main_ip: string;
  vcpu_count: number;
  region: string;
  plan: string;
  date_created: string;
  status: InstanceStatus;
  allowed_bandwidth: number;
  netmask_v4: string;
  gateway_v4: string;
  power_status: PowerStatus;
  server_status: ServerStatus;
  /** "" when the instance has no IPv6. */
  v6_network: string;
  v6_main_ip: string;
  /** 0 when the instance has no IPv6. */
  v6_network_size: number;
  label: string;
  internal_ip: string;
  kvm: string;
  hostname: string;
  os_id: number;
  app_id: number;
  image_id: string;
  /** The attachment in effect and visible; "" when none. */
  firewall_group_id: string;
  features: string[];
  tags: string[];
  user_scheme: string;
}

export interface SimGroup {
  id: string;
  description: string;
  date_created: string;
  date_modified: string;
}

/** One firewall state an instance passed through (safety invariant 1 is checked on these). */
export interface FirewallStateRecord {
  /** Clock time (ms) at which the state took effect. */
  at: number;
  /** "" = no group attached. */
  groupId: string;
  /** Canonical snapshot of the group's rules at that moment; [] when groupId is "". */
  rules: readonly Rule[];
}

export interface PowerEvent {
  at: number;
  action: PowerAction;
}

/** What a request-shaped state operation returns: the value, or the HTTP error it maps to. */
export type SimResult<T> = { ok: true; value: T } | { ok: false; status: 400 | 404; error: string };

export type SimRule = RemoteRule;

export const MAX_RULES_PER_GROUP = 50;

export function fail(status: 400 | 404, error: string): { ok: false; status: 400 | 404; error: string } {
  return { ok: false, status, error };
}

/** ISO-8601 with an explicit +00:00 offset, as Vultr prints dates. */
export function vultrDate(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}+00:00`;
}
