import { homedir } from "node:os";
import { isAbsolute, join } from "node:path";

/**
 * Where the daemon keeps its database when the configuration names no path:
 * `$XDG_DATA_HOME/nodeward/nodeward.db`, else `~/.local/share/nodeward/nodeward.db`.
 * A relative XDG_DATA_HOME is ignored, as the XDG Base Directory spec requires.
 */
export function defaultDataPath(env: Readonly<Record<string, string | undefined>>): string {
  const xdg = env["XDG_DATA_HOME"];
  if (xdg !== undefined && xdg !== "" && isAbsolute(xdg)) return join(xdg, "nodeward", "nodeward.db");
  const home = env["HOME"] !== undefined && env["HOME"] !== "" ? env["HOME"] : homedir();
  return join(home, ".local", "share", "nodeward", "nodeward.db");
}
