import { firewallRoutes } from "./firewall-routes.ts";
import { instanceRoutes } from "./instance-routes.ts";
import type { Route } from "./reply.ts";

/** Every route the simulator serves: the one place they are listed. */
export function simRoutes(): Route[] {
  return [...firewallRoutes(), ...instanceRoutes()];
}
