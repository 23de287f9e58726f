import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { setTimeout as delay } from "node:timers/promises";
import { call, withCheckedSim } from "../../test/helpers/sim.ts";
import { seedFleet } from "./seed.ts";

interface InstanceJson {
  id: string;
  label: string;
  tags: string[];
  region: string;
  main_ip: string;
  firewall_group_id: string;
  power_status: string;
  v6_main_ip: string;
  v6_networks: { network: string; main_ip: string; network_size: number }[];
}
type List = { instances: InstanceJson[]; meta: { total: number; links: { next: string; prev: string } } };

describe("simulator server: instances", () => {
  it("answers every field of the spec's instance example, plus v6_networks", async () => {
    await withCheckedSim({}, async (sim) => {
      const inst = sim.state.addInstance({ label: "sn-ewr-001", v6_main_ip: "2001:db8::1", v6_network: "2001:db8::", v6_network_size: 64 });
      const r = await call(sim, "GET", `/instances/${inst.id}`);
      assert.equal(r.status, 200);
      const body = (r.json as { instance: InstanceJson & Record<string, unknown> }).instance;
      const exampleFields = [
        "id", "os", "ram", "disk", "main_ip", "vcpu_count", "region", "plan", "date_created", "status", "allowed_bandwidth",
        "netmask_v4", "gateway_v4", "power_status", "server_status", "v6_network", "v6_main_ip", "v6_network_size", "label",
        "internal_ip", "kvm", "hostname", "os_id", "app_id", "image_id", "firewall_group_id", "features", "tags", "user_scheme",
      ];
      assert.deepEqual(Object.keys(body).sort(), [...exampleFields, "v6_networks"].sort());
      assert.equal(body.firewall_group_id, "");
      assert.deepEqual(body.v6_networks, [{ network: "2001:db8::", main_ip: "2001:db8::1", network_size: 64 }]);
      assert.equal((await call(sim, "GET", "/instances/nope")).status, 404);
    });
  });

  it("filters by tag, label, main_ip, region and firewall_group_id, and pages the result", async () => {
    await withCheckedSim({ rateLimitPerSecond: false }, async (sim) => {
      const summary = seedFleet(sim.state, { count: 12, seed: 4, permissiveFraction: 0.5, regions: ["ewr", "ams"] });
      sim.state.addInstance({ label: "other", tags: ["web"], region: "ewr" });
      const all = sim.state.instances();
      const target = all[3];
      assert.ok(target);
      const get = async (q: string) => (await call(sim, "GET", `/instances?${q}`)).json as List;
      assert.equal((await get("tag=smartnode")).meta.total, 12);
      assert.deepEqual((await get("tag=web")).instances.map((i) => i.label), ["other"]);
      assert.deepEqual((await get(`label=${target.label}`)).instances.map((i) => i.id), [target.id]);
      assert.deepEqual((await get(`main_ip=${target.main_ip}`)).instances.map((i) => i.id), [target.id]);
      assert.equal((await get("region=ams")).meta.total, all.filter((i) => i.region === "ams").length);
      assert.equal((await get(`firewall_group_id=${summary.permissiveGroupId}`)).meta.total, 6);
      assert.equal((await get(`firewall_group_id=${summary.permissiveGroupId}&region=ewr`)).meta.total,
        all.filter((i) => i.region === "ewr" && i.firewall_group_id === summary.permissiveGroupId).length);

      const seen: string[] = [];
      let cursor = "";
      do {
        const page = await get(`tag=smartnode&per_page=2${cursor ? `&cursor=${cursor}` : ""}`);
        assert.ok(page.instances.length <= 2);
        seen.push(...page.instances.map((i) => i.id));
        cursor = page.meta.links.next;
      } while (cursor !== "");
      assert.deepEqual(seen, summary.instanceIds);
    });
  });

  it("answers a PATCH with 202 and shows the new group only after the attach delay", async () => {
    // A delay long enough that a loaded machine still reads "before" inside it (150 ms failed under a full suite).
    await withCheckedSim({ attachDelayMs: 1_500 }, async (sim) => {
      const group = sim.state.addGroup("SmartNodes Only");
      sim.state.addRule(group.id, { ip_type: "v4", protocol: "tcp", port: "9678", subnet: "0.0.0.0", subnet_size: 0 });
      const inst = sim.state.addInstance({ label: "sn-1" });
      const patched = await call(sim, "PATCH", `/instances/${inst.id}`, { firewall_group_id: group.id });
      assert.equal(patched.status, 202);
      assert.equal((patched.json as { instance: InstanceJson }).instance.id, inst.id);
      const before = (await call(sim, "GET", `/instances?firewall_group_id=${group.id}`)).json as List;
      assert.equal(before.meta.total, 0);
      assert.equal(sim.history(inst.id).length, 1);
      await delay(1_600);
      const after = (await call(sim, "GET", `/instances/${inst.id}`)).json as { instance: InstanceJson };
      assert.equal(after.instance.firewall_group_id, group.id);
      const h = sim.history(inst.id);
      assert.deepEqual(h.map((r) => [r.groupId, r.rules.map((x) => x.port)]), [["", []], [group.id, ["9678"]]]);
    });
  });

  it("detaches with an empty firewall_group_id and refuses an unknown group with 400", async () => {
    await withCheckedSim({}, async (sim) => {
      const group = sim.state.addGroup("g");
      const inst = sim.state.addInstance({ firewall_group_id: group.id });
      assert.equal((await call(sim, "PATCH", `/instances/${inst.id}`, { firewall_group_id: "nope" })).status, 400);
      assert.equal(sim.state.instance(inst.id)?.firewall_group_id, group.id);
      const r = await call(sim, "PATCH", `/instances/${inst.id}`, { firewall_group_id: "" });
      assert.equal(r.status, 202);
      assert.equal((r.json as { instance: InstanceJson }).instance.firewall_group_id, "");
      assert.equal((await call(sim, "PATCH", "/instances/nope", { label: "x" })).status, 404);
    });
  });

  it("updates label and tags at once, and refuses fields it does not simulate", async () => {
    await withCheckedSim({}, async (sim) => {
      const inst = sim.state.addInstance({ label: "old", tags: ["a"] });
      const r = await call(sim, "PATCH", `/instances/${inst.id}`, { label: "new", tags: ["smartnode", "prod"] });
      assert.equal(r.status, 202);
      assert.deepEqual([sim.state.instance(inst.id)?.label, sim.state.instance(inst.id)?.tags], ["new", ["smartnode", "prod"]]);
      assert.equal((await call(sim, "PATCH", `/instances/${inst.id}`, { plan: "vc2-2c-4gb" })).status, 400);
      assert.equal((await call(sim, "PATCH", `/instances/${inst.id}`, { tags: "smartnode" })).status, 400);
    });
  });

  it("halts, starts and reboots one instance or many with 204", async () => {
    await withCheckedSim({}, async (sim) => {
      const a = sim.state.addInstance();
      const b = sim.state.addInstance();
      const halt = await call(sim, "POST", `/instances/${a.id}/halt`);
      assert.deepEqual([halt.status, halt.text], [204, ""]);
      assert.equal(sim.state.instance(a.id)?.power_status, "stopped");
      assert.equal((await call(sim, "POST", "/instances/halt", { instance_ids: [a.id, b.id] })).status, 204);
      assert.equal(sim.state.instance(b.id)?.power_status, "stopped");
      assert.equal((await call(sim, "POST", "/instances/start", { instance_ids: [a.id, b.id] })).status, 204);
      assert.equal(sim.state.instance(a.id)?.power_status, "running");
      assert.equal((await call(sim, "POST", `/instances/${b.id}/reboot`)).status, 204);
      assert.equal((await call(sim, "POST", "/instances/reboot", { instance_ids: [a.id] })).status, 204);
      assert.equal(sim.state.instance(b.id)?.power_status, "running");
      assert.deepEqual(sim.state.powerEvents(a.id).map((e) => e.action), ["halt", "halt", "start", "reboot"]);
      assert.equal((await call(sim, "POST", "/instances/reboot", { instance_ids: [] })).status, 400);
      assert.equal((await call(sim, "POST", "/instances/nope/reboot")).status, 404);
      assert.equal(sim.stats().byKind["POST /instances/{id}/reboot"], 2);
      assert.equal(sim.stats().byKind["POST /instances/reboot"], 2);
    });
  });
});
