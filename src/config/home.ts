import { homedir } from "node:os";
import { join } from "node:path";

/** "~" and "~/x" → the home directory (HOME when given, else the OS's); other paths unchanged. */
export function expandHome(path: string, home: string | undefined = undefined): string {
  if (path !== "~" && !path.startsWith("~/")) return path;
  const base = home !== undefined && home !== "" ? home : homedir();
  return path === "~" ? base : join(base, path.slice(2));
}
