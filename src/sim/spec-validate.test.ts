import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createSpecValidator, loadVultrSpec } from "./spec-validate.ts";

const validator = createSpecValidator();

const group = {
  id: "cb676a46-66fd-4dfb-b839-443f2e6c0b60",
  description: "SmartNodes Only",
  date_created: "2020-10-10T01:56:20+00:00",
  date_modified: "2020-10-10T01:56:20+00:00",
  instance_count: 0,
  rule_count: 0,
  max_rule_count: 50,
};

describe("spec validation", () => {
  it("accepts a firewall group exactly as the spec documents it", () => {
    assert.deepEqual(validator.validateResponse("GET", "/firewalls/{firewall-group-id}", 200, JSON.stringify({ firewall_group: group })), []);
  });

  it("accepts the simulator's {id} templates as well as the spec's parameter names", () => {
    assert.deepEqual(validator.validateResponse("GET", "/firewalls/{id}", 200, JSON.stringify({ firewall_group: group })), []);
  });

  it("reports a wrong JSON type", () => {
    const errors = validator.validateResponse("GET", "/firewalls/{id}", 200, JSON.stringify({ firewall_group: { ...group, rule_count: "0" } }));
    assert.equal(errors.length, 1);
    assert.match(errors[0] ?? "", /rule_count must be integer/);
  });

  it("reports a rule id sent as a string", () => {
    const rule = { id: "1", type: "v4", ip_type: "v4", action: "accept", protocol: "tcp", port: "22", subnet: "0.0.0.0", subnet_size: 0, source: "", notes: "" };
    const errors = validator.validateResponse("POST", "/firewalls/{id}/rules", 201, JSON.stringify({ firewall_rule: rule }));
    assert.match(errors.join("\n"), /\/firewall_rule\/id must be integer/);
  });

  it("reports a status the spec does not list for the operation", () => {
    const errors = validator.validateResponse("PUT", "/firewalls/{id}", 200, JSON.stringify({ firewall_group: group }));
    assert.match(errors.join("\n"), /status 200 is not documented \(the spec lists 204, 400, 401, 404\)/);
  });

  it("reports a field the spec does not document", () => {
    const errors = validator.validateResponse("GET", "/firewalls/{id}", 200, JSON.stringify({ firewall_group: { ...group, policy: "drop" } }));
    assert.deepEqual(errors, ['GET /firewalls/{firewall-group-id} 200: /firewall_group: field "policy" is not in the spec']);
  });

  it("allows the IPv6 fields real Vultr documents in its examples but not its instance schema", () => {
    const instance = { id: "x", v6_main_ip: "", v6_network: "", v6_network_size: 0, firewall_group_id: "" };
    assert.deepEqual(validator.validateResponse("GET", "/instances/{id}", 200, JSON.stringify({ instance })), []);
  });

  it("still checks the type of allowlisted fields", () => {
    const instance = { id: "x", v6_network_size: "64" };
    assert.match(validator.validateResponse("GET", "/instances/{id}", 200, JSON.stringify({ instance })).join(), /v6_network_size must be integer/);
  });

  it("reports a body on an answer the spec documents without content", () => {
    assert.match(validator.validateResponse("DELETE", "/firewalls/{id}", 204, "{}").join(), /documents no content/);
  });

  it("reports a missing or non-JSON body where the spec documents JSON", () => {
    assert.match(validator.validateResponse("GET", "/firewalls", 200, "").join(), /expected a JSON body/);
    assert.match(validator.validateResponse("GET", "/firewalls", 200, "<html>").join(), /body is not JSON/);
  });

  it("checks error bodies for an error attribute and an integer status", () => {
    assert.deepEqual(validator.validateResponse("GET", "/firewalls/{id}", 404, '{"error":"Firewall group not found.","status":404}'), []);
    assert.match(validator.validateResponse("GET", "/firewalls/{id}", 404, '{"message":"nope"}').join(), /must have required property 'error'/);
    assert.match(validator.validateErrorBody(405, '{"error":"x","status":"405"}').join(), /status must be integer/);
  });

  it("accepts 429 and 500 on any operation, as the spec's introduction documents them", () => {
    assert.deepEqual(validator.validateResponse("PATCH", "/instances/{id}", 429, '{"error":"rate limit exceeded","status":429}'), []);
    assert.deepEqual(validator.validateResponse("GET", "/firewalls", 500, '{"error":"Internal server error.","status":500}'), []);
  });

  it("reports an operation the spec does not have", () => {
    assert.match(validator.validateResponse("PATCH", "/firewalls", 200, "{}").join(), /not an operation of the spec/);
  });

  it("passes every example the spec gives for the operations the simulator serves", () => {
    const spec = loadVultrSpec() as { paths: Record<string, Record<string, { responses?: Record<string, unknown> }>> };
    let checked = 0;
    for (const [path, item] of Object.entries(spec.paths)) {
      if (!/^\/(firewalls|instances)(\/\{[^}]+\})?(\/rules(\/\{[^}]+\})?)?$/.test(path)) continue;
      for (const [method, op] of Object.entries(item)) {
        for (const [status, response] of Object.entries(op.responses ?? {})) {
          const examples = (response as { content?: Record<string, { examples?: Record<string, { value: unknown }> }> }).content?.["application/json"]?.examples ?? {};
          for (const example of Object.values(examples)) {
            checked++;
            assert.deepEqual(validator.validateResponse(method, path, Number(status), JSON.stringify(example.value)), [], `${method} ${path} ${status}`);
          }
        }
      }
    }
    assert.ok(checked >= 10, `checked ${checked} examples`);
  });
});
