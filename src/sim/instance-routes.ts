import type { PowerAction, SimInstance } from "./model.ts";
import { pageRequest, paginate } from "./pagination.ts";
import { instanceJson } from "./present.ts";
import { errorReply, failure, json, noContent, type Route, type RouteContext } from "./reply.ts";
import { isRecord } from "./rule-body.ts";
import type { InstancePatch } from "./state.ts";

/** Instances: list with filters, get, PATCH (202, delayed attach), power actions. */
export function instanceRoutes(): Route[] {
  const routes: Route[] = [
    { method: "GET", path: "/instances", handle: listInstances },
    { method: "GET", path: "/instances/{instance-id}", handle: getInstance },
    { method: "PATCH", path: "/instances/{instance-id}", handle: patchInstance },
  ];
  for (const action of ["reboot", "start", "halt"] as const) {
    routes.push({ method: "POST", path: `/instances/{instance-id}/${action}`, handle: (ctx) => powerOne(ctx, action) });
    routes.push({ method: "POST", path: `/instances/${action}`, handle: (ctx) => powerMany(ctx, action) });
  }
  return routes;
}

const FILTERS = ["tag", "label", "main_ip", "region", "firewall_group_id"] as const;

function matches(inst: SimInstance, filter: (typeof FILTERS)[number], value: string): boolean {
  switch (filter) {
    case "tag":
      return inst.tags.includes(value);
    case "label":
      return inst.label === value;
    case "main_ip":
      return inst.main_ip === value;
    case "region":
      return inst.region === value;
    case "firewall_group_id":
      return inst.firewall_group_id === value;
  }
}

function listInstances(ctx: RouteContext) {
  const req = pageRequest(ctx.query);
  if (!req.ok) return failure(req);
  const active = FILTERS.flatMap((f) => {
    const v = ctx.query.get(f);
    return v === null || v === "" ? [] : [[f, v] as const];
  });
  const groupFilter = ctx.query.get("firewall_group_id");
  // The group filter is served from the member index, so polling one group stays cheap at 10,000 instances.
  let all: readonly SimInstance[] = groupFilter ? ctx.state.instancesInGroup(groupFilter) : ctx.state.instances();
  if (active.length > 0) all = all.filter((inst) => active.every(([f, v]) => matches(inst, f, v)));
  const page = paginate(all, req.value.offset, req.value.perPage);
  return json(200, { instances: page.items.map(instanceJson), meta: page.meta });
}

function instanceId(ctx: RouteContext): string {
  return ctx.params["instance-id"] ?? "";
}

function getInstance(ctx: RouteContext) {
  const inst = ctx.state.instance(instanceId(ctx));
  return inst ? json(200, { instance: instanceJson(inst) }) : errorReply(404, "Invalid instance-id.");
}

function patchInstance(ctx: RouteContext) {
  if (!isRecord(ctx.body)) return errorReply(400, "Request body must be a JSON object.");
  const patch: InstancePatch = {};
  for (const [key, value] of Object.entries(ctx.body)) {
    if (key === "firewall_group_id" || key === "label") {
      if (typeof value !== "string") return errorReply(400, `Invalid ${key}: expected a string.`);
      patch[key] = value;
    } else if (key === "tags") {
      if (!Array.isArray(value) || !value.every((t) => typeof t === "string")) {
        return errorReply(400, "Invalid tags: expected an array of strings.");
      }
      patch.tags = value;
    } else {
      return errorReply(400, `The simulator does not support updating "${key}" (only firewall_group_id, label, tags).`);
    }
  }
  const r = ctx.state.updateInstance(instanceId(ctx), patch);
  return r.ok ? json(202, { instance: instanceJson(r.value) }) : failure(r);
}

function powerOne(ctx: RouteContext, action: PowerAction) {
  const r = ctx.state.power([instanceId(ctx)], action);
  return r.ok ? noContent() : failure(r);
}

function powerMany(ctx: RouteContext, action: PowerAction) {
  const ids = isRecord(ctx.body) ? ctx.body.instance_ids : undefined;
  if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id) => typeof id === "string")) {
    return errorReply(400, "Missing or invalid instance_ids: expected a non-empty array of instance ids.");
  }
  const r = ctx.state.power(ids, action);
  return r.ok ? noContent() : failure(r);
}
