import { randomUUID } from "node:crypto";
import { systemClock, type Clock } from "../core/clock.ts";
import { InternalError } from "../core/errors.ts";
import { GroupRecord } from "./group-record.ts";
import { FirewallHistory, NO_RULES, type FirewallListener } from "./history.ts";
import { PowerLog, type PowerListener } from "./power-log.ts";
import { buildInstance } from "./instance-factory.ts";
import type { FirewallStateRecord, PowerAction, PowerEvent, SimGroup, SimInstance, SimResult, SimRule } from "./model.ts";
import { fail, vultrDate } from "./model.ts";
import { parseRuleBody, type RuleBody } from "./rule-body.ts";

export interface SimStateOptions {
  clock?: Clock;
  /** A PATCHed firewall_group_id becomes visible and effective this long after the request. */
  attachDelayMs?: number;
  /** Id source for groups and instances (default: random UUIDs). */
  newId?: () => string;
}

export interface InstancePatch {
  firewall_group_id?: string;
  label?: string;
  tags?: string[];
}

interface PendingAttach {
  groupId: string;
  at: number;
}

/**
 * The simulated account: firewall groups, their rules, instances, and the firewall history of
 * every instance. No I/O. Every public method first settles attachments whose delay has passed,
 * so reads see exactly what the API would show at the clock's current time.
 */
export class SimState {
  readonly #clock: Clock;
  readonly #attachDelayMs: number;
  readonly #newId: () => string;
  readonly #instances = new Map<string, SimInstance>();
  readonly #groups = new Map<string, GroupRecord>();
  /** Insertion-ordered; with one constant delay, also ordered by `at`. */
  readonly #pending = new Map<string, PendingAttach>();
  readonly #history = new FirewallHistory();
  readonly #power = new PowerLog();

  constructor(options: SimStateOptions = {}) {
    this.#clock = options.clock ?? systemClock;
    this.#attachDelayMs = Math.max(0, options.attachDelayMs ?? 0);
    this.#newId = options.newId ?? randomUUID;
  }

  // ── seeding (immediate; misuse throws) ──────────────────────────────────────────────────

  /** Adds an instance; a `firewall_group_id` in `partial` attaches it at once. */
  addInstance(partial: Partial<SimInstance> = {}): SimInstance {
    this.#settle();
    const id = partial.id ?? this.#newId();
    if (this.#instances.has(id)) throw new InternalError(`sim: instance ${id} already exists`);
    const groupId = partial.firewall_group_id ?? "";
    const group = groupId === "" ? undefined : this.#groupOrThrow(groupId);
    const now = this.#clock.now();
    const inst = buildInstance(partial, this.#instances.size, id, now);
    this.#instances.set(id, inst);
    if (group) {
      inst.firewall_group_id = groupId;
      group.members.add(id);
    }
    this.#history.record(id, now, groupId, group ? group.snapshot() : NO_RULES);
    return inst;
  }

  /** Creates a group; `id` is for deterministic seeding (default: a new id). */
  addGroup(description = "", id: string = this.#newId()): SimGroup {
    this.#settle();
    if (this.#groups.has(id)) throw new InternalError(`sim: firewall group ${id} already exists`);
    const now = vultrDate(this.#clock.now());
    const group: SimGroup = { id, description, date_created: now, date_modified: now };
    this.#groups.set(group.id, new GroupRecord(group));
    return group;
  }

  /** Attaches (or with "" detaches) immediately, bypassing the API's delay. */
  attach(instanceId: string, groupId: string): void {
    this.#settle();
    this.#instanceOrThrow(instanceId);
    if (groupId !== "") this.#groupOrThrow(groupId);
    this.#pending.delete(instanceId);
    this.#setAttachment(instanceId, groupId, this.#clock.now());
  }

  /** Sets provider-side facts of an instance (power, server status, status), as an operator or a crash would. */
  setInstanceStatus(instanceId: string, fields: Partial<Pick<SimInstance, "power_status" | "server_status" | "status">>): void {
    this.#settle();
    Object.assign(this.#instanceOrThrow(instanceId), fields);
  }

  /** Gives an instance new addresses (the simulated world places instances on addresses it can route). */
  readdress(instanceId: string, mainIp: string, v6MainIp: string): void {
    const inst = this.#instanceOrThrow(instanceId);
    inst.main_ip = mainIp;
    inst.v6_main_ip = v6MainIp;
    inst.v6_network = v6MainIp === "" ? "" : v6MainIp.replace(/::[0-9a-f]+$/, "::");
    inst.v6_network_size = v6MainIp === "" ? 0 : 64;
  }

  // ── reads ───────────────────────────────────────────────────────────────────────────────

  instances(): readonly SimInstance[] {
    this.#settle();
    return [...this.#instances.values()];
  }

  instance(id: string): SimInstance | undefined {
    this.#settle();
    return this.#instances.get(id);
  }

  /** Instances whose visible attachment is `groupId` (from the member index, not a scan). */
  instancesInGroup(groupId: string): SimInstance[] {
    this.#settle();
    const ids = this.#groups.get(groupId)?.members ?? [];
    return [...ids].map((id) => this.#instanceOrThrow(id));
  }

  groups(): readonly SimGroup[] {
    this.#settle();
    return [...this.#groups.values()].map((g) => g.group);
  }

  group(id: string): SimGroup | undefined {
    this.#settle();
    return this.#groups.get(id)?.group;
  }

  /** The group's rules in id order; [] for an unknown group. */
  rules(groupId: string): SimRule[] {
    this.#settle();
    return this.#groups.get(groupId)?.rules() ?? [];
  }

  rule(groupId: string, ruleId: number): SimRule | undefined {
    this.#settle();
    return this.#groups.get(groupId)?.rule(ruleId);
  }

  counts(groupId: string): { instances: number; rules: number } {
    this.#settle();
    const g = this.#groups.get(groupId);
    return { instances: g?.members.size ?? 0, rules: g?.ruleCount ?? 0 };
  }

  /** The attachment a PATCH requested that has not taken effect yet. */
  /** Attachments accepted (202) but not yet in effect. */
  pendingCount(): number {
    return this.#pending.size;
  }

  pendingAttachment(instanceId: string): { groupId: string; at: number } | undefined {
    this.#settle();
    const p = this.#pending.get(instanceId);
    return p ? { ...p } : undefined;
  }

  /** Reboot, start and halt requests as they are accepted (the simulated world restarts its nodes). */
  onPower(listener: PowerListener): () => void {
    return this.#power.listen(listener);
  }

  /** Every firewall state change as it takes effect (see FirewallHistory.listen). */
  onFirewallChange(listener: FirewallListener): () => void {
    return this.#history.listen(listener);
  }

  history(instanceId: string): FirewallStateRecord[] {
    this.#settle();
    return this.#history.of(instanceId);
  }

  powerEvents(instanceId: string): PowerEvent[] {
    this.#settle();
    return this.#power.of(instanceId);
  }

  // ── request-shaped operations (what the HTTP routes call) ──────────────────────────────

  updateGroup(id: string, description: string): SimResult<SimGroup> {
    this.#settle();
    const g = this.#groups.get(id);
    if (!g) return groupNotFound();
    g.group.description = description;
    g.group.date_modified = vultrDate(this.#clock.now());
    return { ok: true, value: g.group };
  }

  /** Like Vultr: deleting an attached group silently detaches its instances (recorded). */
  deleteGroup(id: string): SimResult<void> {
    this.#settle();
    const g = this.#groups.get(id);
    if (!g) return groupNotFound();
    const now = this.#clock.now();
    for (const instanceId of [...g.members]) this.#setAttachment(instanceId, "", now);
    for (const [instanceId, p] of this.#pending) if (p.groupId === id) this.#pending.delete(instanceId);
    this.#groups.delete(id);
    return { ok: true, value: undefined };
  }

  /** Same validation as `POST /firewalls/{id}/rules` (see rule-body.ts). */
  addRule(groupId: string, input: Partial<RuleBody> | Record<string, unknown>): SimResult<SimRule> {
    this.#settle();
    const g = this.#groups.get(groupId);
    if (!g) return groupNotFound();
    const parsed = parseRuleBody(input);
    if (!parsed.ok) return parsed;
    const now = this.#clock.now();
    const added = g.addRule(parsed.value, vultrDate(now));
    if (added.ok) this.#recordMembers(g, now);
    return added;
  }

  deleteRule(groupId: string, ruleId: number): SimResult<void> {
    this.#settle();
    const g = this.#groups.get(groupId);
    if (!g) return groupNotFound();
    const now = this.#clock.now();
    if (!g.deleteRule(ruleId, vultrDate(now))) return fail(404, "Firewall rule ID not found.");
    this.#recordMembers(g, now);
    return { ok: true, value: undefined };
  }

  /** PATCH /instances/{id}: label and tags at once; firewall_group_id after the attach delay. */
  updateInstance(id: string, patch: InstancePatch): SimResult<SimInstance> {
    this.#settle();
    const inst = this.#instances.get(id);
    if (!inst) return instanceNotFound();
    const target = patch.firewall_group_id;
    if (target !== undefined && target !== "" && !this.#groups.has(target)) {
      return fail(400, `Invalid firewall group: ${target} does not exist.`);
    }
    if (patch.label !== undefined) inst.label = patch.label;
    if (patch.tags !== undefined) inst.tags = [...patch.tags];
    if (target !== undefined) this.#requestAttach(inst, target);
    return { ok: true, value: inst };
  }

  power(instanceIds: readonly string[], action: PowerAction): SimResult<void> {
    this.#settle();
    const targets = instanceIds.map((id) => this.#instances.get(id));
    if (targets.some((t) => t === undefined)) return instanceNotFound();
    const at = this.#clock.now();
    for (const inst of targets as SimInstance[]) {
      inst.power_status = action === "halt" ? "stopped" : "running";
      this.#power.record(inst.id, at, action);
    }
    return { ok: true, value: undefined };
  }

  // ── internals ───────────────────────────────────────────────────────────────────────────

  #requestAttach(inst: SimInstance, groupId: string): void {
    const pending = this.#pending.get(inst.id);
    if (pending?.groupId === groupId) return;
    this.#pending.delete(inst.id);
    if (groupId === inst.firewall_group_id) return;
    const now = this.#clock.now();
    if (this.#attachDelayMs === 0) this.#setAttachment(inst.id, groupId, now);
    else this.#pending.set(inst.id, { groupId, at: now + this.#attachDelayMs });
  }

  #settle(): void {
    if (this.#pending.size === 0) return;
    const now = this.#clock.now();
    for (const [instanceId, p] of this.#pending) {
      if (p.at > now) break;
      this.#pending.delete(instanceId);
      if (p.groupId === "" || this.#groups.has(p.groupId)) this.#setAttachment(instanceId, p.groupId, p.at);
    }
  }

  #setAttachment(instanceId: string, groupId: string, at: number): void {
    const inst = this.#instanceOrThrow(instanceId);
    if (inst.firewall_group_id === groupId) return;
    this.#groups.get(inst.firewall_group_id)?.members.delete(instanceId);
    const next = groupId === "" ? undefined : this.#groups.get(groupId);
    next?.members.add(instanceId);
    inst.firewall_group_id = groupId;
    this.#history.record(instanceId, at, groupId, next ? next.snapshot() : NO_RULES);
  }

  #recordMembers(g: GroupRecord, at: number): void {
    const rules = g.snapshot();
    for (const instanceId of g.members) this.#history.record(instanceId, at, g.group.id, rules);
  }

  #instanceOrThrow(id: string): SimInstance {
    const inst = this.#instances.get(id);
    if (!inst) throw new InternalError(`sim: no instance ${id}`);
    return inst;
  }

  #groupOrThrow(id: string): GroupRecord {
    const g = this.#groups.get(id);
    if (!g) throw new InternalError(`sim: no firewall group ${id}`);
    return g;
  }
}

function groupNotFound(): { ok: false; status: 404; error: string } {
  return { ok: false, status: 404, error: "Firewall group not found." };
}

function instanceNotFound(): { ok: false; status: 404; error: string } {
  return { ok: false, status: 404, error: "Invalid instance-id." };
}
