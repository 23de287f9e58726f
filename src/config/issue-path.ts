/** `firewall.adminAccess[1].cidr` from ["firewall", "adminAccess", 1, "cidr"]; "" for the top level. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else out += out === "" ? String(seg) : `.${String(seg)}`;
  }
  return out;
}
