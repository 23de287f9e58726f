import { pageRequest, paginate } from "./pagination.ts";
import { groupJson, ruleJson } from "./present.ts";
import { errorReply, failure, json, noContent, type Route, type RouteContext } from "./reply.ts";
import { isRecord } from "./rule-body.ts";

/** Firewall groups and rules, thin: validation and effects live in SimState. */
export function firewallRoutes(): Route[] {
  const GROUPS = "/firewalls";
  const GROUP = "/firewalls/{firewall-group-id}";
  const RULES = "/firewalls/{firewall-group-id}/rules";
  const RULE = "/firewalls/{firewall-group-id}/rules/{firewall-rule-id}";
  return [
    { method: "GET", path: GROUPS, handle: listGroups },
    { method: "POST", path: GROUPS, handle: createGroup },
    { method: "GET", path: GROUP, handle: getGroup },
    { method: "PUT", path: GROUP, handle: updateGroup },
    { method: "DELETE", path: GROUP, handle: deleteGroup },
    { method: "GET", path: RULES, handle: listRules },
    { method: "POST", path: RULES, handle: createRule },
    { method: "GET", path: RULE, handle: getRule },
    { method: "DELETE", path: RULE, handle: deleteRule },
  ];
}

const GROUP_NOT_FOUND = "Firewall group not found.";
const RULE_NOT_FOUND = "Firewall rule ID not found.";

function groupId(ctx: RouteContext): string {
  return ctx.params["firewall-group-id"] ?? "";
}

function ruleId(ctx: RouteContext): number | null {
  const raw = ctx.params["firewall-rule-id"] ?? "";
  return /^\d{1,9}$/.test(raw) ? Number(raw) : null;
}

function listGroups(ctx: RouteContext) {
  const req = pageRequest(ctx.query);
  if (!req.ok) return failure(req);
  const page = paginate(ctx.state.groups(), req.value.offset, req.value.perPage);
  const firewall_groups = page.items.map((g) => groupJson(g, ctx.state.counts(g.id)));
  return json(200, { firewall_groups, meta: page.meta });
}

function createGroup(ctx: RouteContext) {
  const body = ctx.body ?? {};
  if (!isRecord(body)) return errorReply(400, "Request body must be a JSON object.");
  const description = body.description ?? "";
  if (typeof description !== "string") return errorReply(400, "Invalid description: expected a string.");
  const group = ctx.state.addGroup(description);
  return json(201, { firewall_group: groupJson(group, ctx.state.counts(group.id)) });
}

function getGroup(ctx: RouteContext) {
  const group = ctx.state.group(groupId(ctx));
  if (!group) return errorReply(404, GROUP_NOT_FOUND);
  return json(200, { firewall_group: groupJson(group, ctx.state.counts(group.id)) });
}

function updateGroup(ctx: RouteContext) {
  if (!isRecord(ctx.body)) return errorReply(400, "Request body must be a JSON object with a description.");
  const description = ctx.body.description;
  if (typeof description !== "string") return errorReply(400, "Missing or invalid description: expected a string.");
  const r = ctx.state.updateGroup(groupId(ctx), description);
  return r.ok ? noContent() : failure(r);
}

function deleteGroup(ctx: RouteContext) {
  const r = ctx.state.deleteGroup(groupId(ctx));
  return r.ok ? noContent() : failure(r);
}

function listRules(ctx: RouteContext) {
  if (!ctx.state.group(groupId(ctx))) return errorReply(404, GROUP_NOT_FOUND);
  const req = pageRequest(ctx.query);
  if (!req.ok) return failure(req);
  const page = paginate(ctx.state.rules(groupId(ctx)), req.value.offset, req.value.perPage);
  return json(200, { firewall_rules: page.items.map(ruleJson), meta: page.meta });
}

function createRule(ctx: RouteContext) {
  if (!ctx.state.group(groupId(ctx))) return errorReply(404, GROUP_NOT_FOUND);
  if (!isRecord(ctx.body)) return errorReply(400, "Request body must be a JSON object.");
  const r = ctx.state.addRule(groupId(ctx), ctx.body);
  return r.ok ? json(201, { firewall_rule: ruleJson(r.value) }) : failure(r);
}

function getRule(ctx: RouteContext) {
  if (!ctx.state.group(groupId(ctx))) return errorReply(404, GROUP_NOT_FOUND);
  const id = ruleId(ctx);
  const rule = id === null ? undefined : ctx.state.rule(groupId(ctx), id);
  return rule ? json(200, { firewall_rule: ruleJson(rule) }) : errorReply(404, RULE_NOT_FOUND);
}

function deleteRule(ctx: RouteContext) {
  const id = ruleId(ctx);
  if (!ctx.state.group(groupId(ctx))) return errorReply(404, GROUP_NOT_FOUND);
  if (id === null) return errorReply(404, RULE_NOT_FOUND);
  const r = ctx.state.deleteRule(groupId(ctx), id);
  return r.ok ? noContent() : failure(r);
}
