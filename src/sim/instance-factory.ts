import { gatewayFor, ipv4ForIndex } from "./addresses.ts";
import { vultrDate, type SimInstance } from "./model.ts";

/**
 * A complete instance record from a partial one: every field the spec's examples show, with
 * plausible values for a small masternode VPS. `index` picks a unique default address.
 */
export function buildInstance(partial: Partial<SimInstance>, index: number, id: string, now: number): SimInstance {
  const mainIp = partial.main_ip ?? ipv4ForIndex(index);
  const label = partial.label ?? `instance-${index + 1}`;
  const hasV6 = (partial.v6_main_ip ?? "") !== "";
  // Attachment goes through SimState so that history and the member index stay right.
  const { id: _id, firewall_group_id: _group, features, tags, ...given } = partial;
  return {
    id,
    os: "Ubuntu 22.04 LTS x64",
    ram: 2048,
    disk: 55,
    main_ip: mainIp,
    vcpu_count: 1,
    region: "ewr",
    plan: "vc2-1c-2gb",
    date_created: vultrDate(now),
    status: "active",
    allowed_bandwidth: 2000,
    netmask_v4: "255.255.255.0",
    gateway_v4: gatewayFor(mainIp),
    power_status: "running",
    server_status: "ok",
    v6_network: "",
    v6_main_ip: "",
    v6_network_size: 0,
    label,
    internal_ip: "",
    kvm: `https://my.vultr.com/subs/vps/novnc/api.php?data=${id.replaceAll("-", "")}`,
    hostname: label,
    os_id: 1743,
    app_id: 0,
    image_id: "",
    firewall_group_id: "",
    features: [...(features ?? (hasV6 ? ["ipv6"] : []))],
    tags: [...(tags ?? [])],
    user_scheme: "root",
    ...given,
  };
}
