import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Clock } from "../core/clock.ts";
import { SimState } from "./state.ts";

function manualClock(start = 1_700_000_000_000): Clock & { advance(ms: number): void } {
  let now = start;
  return { now: () => now, sleep: async (ms) => void (now += ms), advance: (ms) => void (now += ms) };
}

const p2p = { ip_type: "v4", protocol: "tcp", port: "9678", subnet: "0.0.0.0", subnet_size: 0 };
const sapi = { ...p2p, port: "8080" };

describe("simulated account state", () => {
  it("records the initial state of a new instance", () => {
    const clock = manualClock();
    const state = new SimState({ clock });
    const inst = state.addInstance({ label: "sn-1" });
    assert.deepEqual(state.history(inst.id), [{ at: clock.now(), groupId: "", rules: [] }]);
  });

  it("records every rule change on the group an instance is attached to, with a canonical snapshot", () => {
    const clock = manualClock();
    const state = new SimState({ clock });
    const group = state.addGroup("SmartNodes Only");
    const inst = state.addInstance({ label: "sn-1", firewall_group_id: group.id });
    clock.advance(10);
    const added = state.addRule(group.id, p2p);
    assert.ok(added.ok);
    clock.advance(10);
    assert.ok(state.addRule(group.id, { ...sapi, protocol: "TCP" }).ok);
    clock.advance(10);
    assert.ok(state.deleteRule(group.id, added.value.id).ok);
    const h = state.history(inst.id);
    assert.deepEqual(h.map((r) => [r.at - h[0]!.at, r.rules.map((x) => x.port)]), [[0, []], [10, ["9678"]], [20, ["9678", "8080"]], [30, ["8080"]]]);
    assert.equal(h[2]?.rules[1]?.protocol, "tcp");
    assert.ok(h.every((r) => r.groupId === group.id));
  });

  it("does not touch instances of other groups when a rule changes", () => {
    const state = new SimState({ clock: manualClock() });
    const a = state.addGroup("a");
    const b = state.addGroup("b");
    const inB = state.addInstance({ firewall_group_id: b.id });
    assert.ok(state.addRule(a.id, p2p).ok);
    assert.equal(state.history(inB.id).length, 1);
  });

  it("makes a requested attachment visible and effective only after the delay", () => {
    const clock = manualClock();
    const state = new SimState({ clock, attachDelayMs: 500 });
    const group = state.addGroup("g");
    assert.ok(state.addRule(group.id, p2p).ok);
    const inst = state.addInstance();
    const requestedAt = clock.now();
    const r = state.updateInstance(inst.id, { firewall_group_id: group.id });
    assert.ok(r.ok);
    assert.equal(r.value.firewall_group_id, "");
    clock.advance(499);
    assert.equal(state.instance(inst.id)?.firewall_group_id, "");
    assert.deepEqual(state.instancesInGroup(group.id), []);
    clock.advance(1);
    assert.equal(state.instance(inst.id)?.firewall_group_id, group.id);
    assert.equal(state.counts(group.id).instances, 1);
    const last = state.history(inst.id).at(-1);
    assert.equal(last?.at, requestedAt + 500);
    assert.deepEqual(last?.rules.map((x) => x.port), ["9678"]);
  });

  it("records a rule change made while an attachment was pending after the attachment, in time order", () => {
    const clock = manualClock();
    const state = new SimState({ clock, attachDelayMs: 100 });
    const group = state.addGroup("g");
    const inst = state.addInstance();
    state.updateInstance(inst.id, { firewall_group_id: group.id });
    clock.advance(150);
    assert.ok(state.addRule(group.id, p2p).ok);
    const h = state.history(inst.id);
    assert.deepEqual(h.map((r) => [r.groupId, r.rules.length]), [["", 0], [group.id, 0], [group.id, 1]]);
    assert.ok(h[1]!.at < h[2]!.at);
  });

  it("detaches every instance when a group is deleted, and records it", () => {
    const state = new SimState({ clock: manualClock() });
    const group = state.addGroup("g");
    const inst = state.addInstance({ firewall_group_id: group.id });
    assert.ok(state.deleteGroup(group.id).ok);
    assert.equal(state.instance(inst.id)?.firewall_group_id, "");
    assert.deepEqual(state.history(inst.id).at(-1)?.rules, []);
    assert.equal(state.history(inst.id).at(-1)?.groupId, "");
  });

  it("drops a pending attachment to a group that was deleted meanwhile", () => {
    const clock = manualClock();
    const state = new SimState({ clock, attachDelayMs: 100 });
    const group = state.addGroup("g");
    const inst = state.addInstance();
    state.updateInstance(inst.id, { firewall_group_id: group.id });
    state.deleteGroup(group.id);
    clock.advance(200);
    assert.equal(state.instance(inst.id)?.firewall_group_id, "");
    assert.equal(state.history(inst.id).length, 1);
  });

  it("refuses an exact duplicate rule and a 51st rule", () => {
    const state = new SimState({ clock: manualClock() });
    const group = state.addGroup("g");
    assert.ok(state.addRule(group.id, p2p).ok);
    const dup = state.addRule(group.id, { ...p2p, protocol: "TCP", notes: "other notes" });
    assert.equal(dup.ok, false);
    for (let port = 1; state.rules(group.id).length < 50; port++) assert.ok(state.addRule(group.id, { ...p2p, port: String(port) }).ok);
    const over = state.addRule(group.id, { ...p2p, port: "60000" });
    assert.ok(!over.ok && over.status === 400 && /maximum of 50/.test(over.error));
  });

  it("never reuses a deleted rule's id", () => {
    const state = new SimState({ clock: manualClock() });
    const group = state.addGroup("g");
    const first = state.addRule(group.id, p2p);
    assert.ok(first.ok);
    state.deleteRule(group.id, first.value.id);
    const second = state.addRule(group.id, p2p);
    assert.ok(second.ok);
    assert.notEqual(second.value.id, first.value.id);
  });

  it("halts, starts and reboots instances and logs the power actions", () => {
    const state = new SimState({ clock: manualClock() });
    const inst = state.addInstance();
    assert.ok(state.power([inst.id], "halt").ok);
    assert.equal(state.instance(inst.id)?.power_status, "stopped");
    assert.ok(state.power([inst.id], "start").ok);
    assert.equal(state.instance(inst.id)?.power_status, "running");
    assert.ok(state.power([inst.id], "reboot").ok);
    assert.deepEqual(state.powerEvents(inst.id).map((e) => e.action), ["halt", "start", "reboot"]);
    assert.equal(state.power([inst.id, "missing"], "halt").ok, false);
    assert.equal(state.powerEvents(inst.id).length, 3);
  });

  it("refuses seeding misuse loudly", () => {
    const state = new SimState({ clock: manualClock() });
    assert.throws(() => state.addInstance({ firewall_group_id: "nope" }), /no firewall group nope/);
    assert.throws(() => state.attach("nope", ""), /no instance nope/);
  });
});
