import { MAX_RULES_PER_GROUP, type SimGroup, type SimInstance, type SimRule } from "./model.ts";

/**
 * The wire shapes, field for field as the spec's examples show them. Pure.
 */

export interface V6Network {
  network: string;
  main_ip: string;
  network_size: number;
}

export type InstanceJson = SimInstance & { v6_networks: V6Network[] };

export function instanceJson(inst: SimInstance): InstanceJson {
  const v6: V6Network[] =
    inst.v6_main_ip === ""
      ? []
      : [{ network: inst.v6_network, main_ip: inst.v6_main_ip, network_size: inst.v6_network_size }];
  return { ...inst, features: [...inst.features], tags: [...inst.tags], v6_networks: v6 };
}

export interface GroupJson extends SimGroup {
  instance_count: number;
  rule_count: number;
  max_rule_count: number;
}

/** Counts are derived from state; Vultr is dropping them, so clients must not rely on them. */
export function groupJson(group: SimGroup, counts: { instances: number; rules: number }): GroupJson {
  return {
    id: group.id,
    description: group.description,
    date_created: group.date_created,
    date_modified: group.date_modified,
    instance_count: counts.instances,
    rule_count: counts.rules,
    max_rule_count: MAX_RULES_PER_GROUP,
  };
}

export interface RuleJson {
  id: number;
  type: string;
  ip_type: string;
  action: "accept";
  protocol: string;
  port: string;
  subnet: string;
  subnet_size: number;
  source: string;
  notes: string;
}

export function ruleJson(rule: SimRule): RuleJson {
  return {
    id: rule.id,
    type: rule.ipType,
    ip_type: rule.ipType,
    action: "accept",
    protocol: rule.protocol,
    port: rule.port,
    subnet: rule.subnet,
    subnet_size: rule.subnetSize,
    source: rule.source,
    notes: rule.notes,
  };
}

export function errorJson(status: number, error: string): { error: string; status: number } {
  return { error, status };
}
