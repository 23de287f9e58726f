import type { Instance } from "../../firewall/model.ts";
import type { FirewallProvider } from "../../firewall/provider.ts";
import * as firewall from "./firewall-api.ts";
import { VultrHttp, type VultrHttpOptions } from "./http.ts";
import * as instances from "./instances.ts";

export interface VultrProviderOptions extends VultrHttpOptions {
  /** POSTs per create after ambiguous failures, re-reading in between. Default 3. */
  writeAttempts?: number;
}

/** The firewall port for Vultr, plus the instance reads and power actions `watch` will use. */
export interface VultrProvider extends FirewallProvider {
  readonly id: "vultr";
  readonly http: VultrHttp;
  getInstance(instanceId: string, signal?: AbortSignal): Promise<Instance>;
  /** POST; an ambiguous failure throws AmbiguousWriteError and is never repeated here. */
  rebootInstance(instanceId: string, signal?: AbortSignal): Promise<void>;
  startInstance(instanceId: string, signal?: AbortSignal): Promise<void>;
  haltInstance(instanceId: string, signal?: AbortSignal): Promise<void>;
}

/** One client (one pacer) per provider: every call made through it shares the rate budget. */
export function createVultrProvider(options: VultrProviderOptions): VultrProvider {
  const http = new VultrHttp(options);
  const attempts = options.writeAttempts ?? 3;
  return {
    id: "vultr",
    http,
    listInstances: (signal) => instances.listInstances(http, {}, signal),
    listInstancesInGroup: (groupId, signal) => instances.listInstances(http, { firewallGroupId: groupId }, signal),
    listGroups: (signal) => firewall.listGroups(http, signal),
    listRules: (groupId, signal) => firewall.listRules(http, groupId, signal),
    createGroup: (description, signal) => firewall.createGroup(http, description, attempts, signal),
    createRule: (groupId, rule, signal) => firewall.createRule(http, groupId, rule, attempts, signal),
    deleteRule: (groupId, ruleId, signal) => firewall.deleteRule(http, groupId, ruleId, signal),
    attachInstance: (instanceId, groupId, signal) => instances.attachInstance(http, instanceId, groupId, signal),
    getInstance: (instanceId, signal) => instances.getInstance(http, instanceId, signal),
    rebootInstance: (instanceId, signal) => instances.powerAction(http, instanceId, "reboot", signal),
    startInstance: (instanceId, signal) => instances.powerAction(http, instanceId, "start", signal),
    haltInstance: (instanceId, signal) => instances.powerAction(http, instanceId, "halt", signal),
  };
}
