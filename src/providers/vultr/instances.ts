import type { Instance } from "../../firewall/model.ts";
import type { VultrHttp } from "./http.ts";
import { toInstance } from "./map.ts";
import { paginate, parseAnswer } from "./paginate.ts";
import { envelopes, instanceSchema, type UpdateInstanceBody } from "./wire.ts";

/** Instances: list, get, attach to a firewall group, power actions. */

export type PowerAction = "reboot" | "start" | "halt";

const one = (id: string) => `/instances/${encodeURIComponent(id)}`;

export async function listInstances(http: VultrHttp, filter: { firewallGroupId?: string }, signal?: AbortSignal): Promise<Instance[]> {
  const wire = await paginate(http, {
    path: "/instances",
    key: "instances",
    item: instanceSchema,
    query: { firewall_group_id: filter.firewallGroupId },
    signal,
  });
  const all = wire.map(toInstance);
  // The server filters; checking the field as well keeps a silently ignored filter from
  // reporting every instance as attached.
  return filter.firewallGroupId === undefined ? all : all.filter((i) => i.firewallGroupId === filter.firewallGroupId);
}

export async function getInstance(http: VultrHttp, id: string, signal?: AbortSignal): Promise<Instance> {
  const path = one(id);
  const res = await http.get(path, { signal });
  return toInstance(parseAnswer(http, envelopes.instance, res.body, { method: "GET", path }).instance);
}

/** PATCH firewall_group_id. Vultr answers 202: the change becomes visible later, so callers poll. */
export async function attachInstance(http: VultrHttp, id: string, groupId: string, signal?: AbortSignal): Promise<void> {
  const path = one(id);
  const body: UpdateInstanceBody = { firewall_group_id: groupId };
  const res = await http.request("PATCH", path, { body, signal });
  if (res.status !== 202 && res.status !== 200 && res.status !== 204) {
    throw http.errors.badResponse({ method: "PATCH", path }, `status ${res.status}, expected 202 Accepted`);
  }
}

/**
 * POST /instances/{id}/reboot|start|halt (204). A POST: a 5xx or lost connection throws
 * AmbiguousWriteError rather than repeating — a second reboot is not harmless.
 */
export async function powerAction(http: VultrHttp, id: string, action: PowerAction, signal?: AbortSignal): Promise<void> {
  await http.request("POST", `${one(id)}/${action}`, { signal });
}
