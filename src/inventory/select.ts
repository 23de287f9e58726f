import picomatch from "picomatch";
import type { Config } from "../config/schema.ts";
import type { Instance } from "../firewall/model.ts";

export type NodeSelector = Config["nodes"];

export interface Selection {
  /** Selected instances, in the provider's order. */
  selected: Instance[];
  /** Configured ids the provider does not have (deleted servers, typos). */
  unmatchedIds: string[];
}

/**
 * Which instances are the fleet. `ids` always select. Among tags, labels and regions every filter
 * that is given must match (AND between kinds); within one list any entry may match (OR). With
 * only `ids` given, nothing else is selected. Pure.
 */
export function selectInstances(instances: readonly Instance[], nodes: NodeSelector): Selection {
  const ids = new Set(nodes.ids ?? []);
  const matches = filterMatcher(nodes);
  const selected = instances.filter((i) => ids.has(i.id) || (matches !== undefined && matches(i)));
  const present = new Set(instances.map((i) => i.id));
  return { selected, unmatchedIds: [...ids].filter((id) => !present.has(id)) };
}

/** The AND of the given filters; undefined when none of tags, labels, regions is given. */
function filterMatcher(nodes: NodeSelector): ((i: Instance) => boolean) | undefined {
  const tests: ((i: Instance) => boolean)[] = [];
  if (nodes.tags !== undefined) {
    const tags = new Set(nodes.tags);
    tests.push((i) => i.tags.some((t) => tags.has(t)));
  }
  if (nodes.labels !== undefined) {
    const isMatch = picomatch([...nodes.labels], { dot: true, bash: true });
    tests.push((i) => i.label !== "" && isMatch(i.label));
  }
  if (nodes.regions !== undefined) {
    const regions = new Set(nodes.regions.map((r) => r.toLowerCase()));
    tests.push((i) => regions.has(i.region.toLowerCase()));
  }
  return tests.length === 0 ? undefined : (i) => tests.every((t) => t(i));
}

/** One line for plans and `config check`: `tags smartnode AND labels sn-* OR ids 2`. */
export function describeSelector(nodes: NodeSelector): string {
  const filters = [
    nodes.tags && `tags ${nodes.tags.join(",")}`,
    nodes.labels && `labels ${nodes.labels.join(",")}`,
    nodes.regions && `regions ${nodes.regions.join(",")}`,
  ].filter((s): s is string => typeof s === "string");
  const parts = filters.length > 0 ? [filters.join(" AND ")] : [];
  if (nodes.ids !== undefined) parts.push(`ids ${nodes.ids.length}`);
  return parts.length > 0 ? parts.join(" OR ") : "nothing";
}
