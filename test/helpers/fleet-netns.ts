import { addAddress, addRoute, execInNamespace, loadNftRuleset } from "../../src/sim/world/netns.ts";
import { openNodeNamespace, type NodeNamespace } from "./netns.ts";

/**
 * The network of a fleet test: each watcher in its own network namespace, so one watcher's path to
 * a node can be cut with a real kernel firewall while the others' stays. The test's own servers
 * (PostgreSQL, the Vultr simulator, the webhook receiver, the simulated SmartNode) run in the root
 * namespace on addresses of a subnet made here: they sit on the root end of one more veth, whose
 * namespace stays empty (it only anchors them, and takes them away when it is deleted). Each
 * watcher's namespace has a route to that subnet through its own veth; the root namespace delivers
 * to its own addresses without forwarding anything. IPv4 only. Names carry the pid (netns.ts),
 * everything is deleted by `close`, leftovers of crashed runs are swept when the next one opens.
 */

export interface VantageNamespace {
  ns: string;
  /** The watcher's address inside its namespace: it listens there, the test reaches it there. */
  address: string;
}

export interface FleetNetwork {
  /** Where PostgreSQL, the simulator and the webhook receiver listen. */
  services: string;
  /** Where the simulated SmartNode listens. */
  node: string;
  vantages: ReadonlyMap<string, VantageNamespace>;
  /** Drops everything the vantage sends to the node (and only that), inside the vantage's namespace. */
  cut(vantage: string): Promise<void>;
  heal(vantage: string): Promise<void>;
  close(): Promise<void>;
}

const TABLE = "nodeward_fleet_cut";

export async function openFleetNetwork(names: readonly string[]): Promise<FleetNetwork> {
  const opened: { world: NodeNamespace; close: () => Promise<void> }[] = [];
  const close = async (): Promise<void> => {
    for (const o of [...opened].reverse()) await o.close();
  };
  try {
    const anchor = await openNodeNamespace();
    opened.push(anchor);
    const services = anchor.world.v4.host; // .1 of its /29
    const node = plus(services, 2); // .3: nobody else uses it (.2 is the empty namespace's end)
    await addAddress(null, anchor.world.hostIf, `${node}/29`);
    const servicesNet = `${plus(services, -1)}/29`;
    const vantages = new Map<string, VantageNamespace>();
    for (const name of names) {
      const v = await openNodeNamespace();
      opened.push(v);
      await addRoute(v.world.ns, servicesNet, { gateway: v.world.v4.host });
      vantages.set(name, { ns: v.world.ns, address: v.world.v4.node });
    }
    const nsOf = (vantage: string): string => {
      const v = vantages.get(vantage);
      if (v === undefined) throw new Error(`no vantage ${vantage}`);
      return v.ns;
    };
    return {
      services,
      node,
      vantages,
      cut: (vantage) =>
        loadNftRuleset(nsOf(vantage), `table ip ${TABLE} {\n  chain output {\n    type filter hook output priority filter; policy accept;\n    ip daddr ${node} drop\n  }\n}\n`),
      heal: async (vantage) => void (await execInNamespace(nsOf(vantage), "nft", ["delete", "table", "ip", TABLE])),
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/** The IPv4 address `n` after (or before) `addr`, within its last octet (a /29 never crosses one). */
function plus(addr: string, n: number): string {
  return addr.replace(/\.(\d+)$/, (_, last: string) => `.${Number(last) + n}`);
}
