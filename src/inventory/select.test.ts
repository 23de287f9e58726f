import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Instance } from "../firewall/model.ts";
import { describeSelector, selectInstances, type NodeSelector } from "./select.ts";

const ID = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

function instance(n: number, label: string, region: string, tags: string[]): Instance {
  return {
    id: ID(n),
    label,
    hostname: label,
    tags,
    region,
    mainIp: `192.0.2.${n}`,
    v6MainIp: "",
    firewallGroupId: "",
    status: "active",
    powerStatus: "running",
    serverStatus: "ok",
  };
}

const fleet: Instance[] = [
  instance(1, "sn-ewr-1", "ewr", ["smartnode"]),
  instance(2, "sn-ams-1", "ams", ["smartnode", "prod"]),
  instance(3, "web-1", "ewr", ["web"]),
  instance(4, "sn-ewr-2", "ewr", []),
  instance(5, "", "ewr", ["smartnode"]),
  instance(6, "team/sn-x", "fra", ["smartnode"]),
];

describe("selectInstances", () => {
  const cases: [string, NodeSelector, number[], string[]][] = [
    ["any of the tags", { tags: ["smartnode", "web"] }, [1, 2, 3, 5, 6], []],
    ["label globs", { labels: ["sn-*"] }, [1, 2, 4], []],
    ["globs that cross a slash, since labels are not paths", { labels: ["*sn-*"] }, [1, 2, 4, 6], []],
    ["regions, case-insensitively", { regions: ["EWR"] }, [1, 3, 4, 5], []],
    ["tags AND labels", { tags: ["smartnode"], labels: ["sn-*"] }, [1, 2], []],
    ["tags AND labels AND regions", { tags: ["smartnode"], labels: ["sn-*"], regions: ["ewr"] }, [1], []],
    ["ids alone, nothing else", { ids: [ID(3), ID(4)] }, [3, 4], []],
    ["ids OR the filters", { tags: ["prod"], ids: [ID(3)] }, [2, 3], []],
    ["ids even when the filters reject them", { regions: ["ams"], ids: [ID(1)] }, [1, 2], []],
    ["nothing for filters that match nothing", { tags: ["nope"] }, [], []],
    ["ids the provider does not have, reported", { ids: [ID(1), ID(99)] }, [1], [ID(99)]],
  ];
  for (const [name, nodes, want, unmatched] of cases) {
    it(`selects by ${name}`, () => {
      const got = selectInstances(fleet, nodes);
      assert.deepEqual(got.selected.map((i) => Number(i.id.slice(-12))), want);
      assert.deepEqual(got.unmatchedIds, unmatched);
    });
  }

  it("keeps the provider's order and lists each instance once", () => {
    const got = selectInstances(fleet, { tags: ["smartnode"], ids: [ID(2), ID(1)] });
    assert.deepEqual(got.selected.map((i) => i.label), ["sn-ewr-1", "sn-ams-1", "", "team/sn-x"]);
  });
});

describe("describeSelector", () => {
  const cases: [NodeSelector, string][] = [
    [{ tags: ["smartnode"] }, "tags smartnode"],
    [{ tags: ["smartnode"], labels: ["sn-*"], ids: [ID(1), ID(2)] }, "tags smartnode AND labels sn-* OR ids 2"],
    [{ tags: ["a", "b"], regions: ["ewr", "ams"] }, "tags a,b AND regions ewr,ams"],
    [{ ids: [ID(1)] }, "ids 1"],
  ];
  for (const [nodes, want] of cases) it(`reads ${want}`, () => assert.equal(describeSelector(nodes), want));
});
