import { z } from "zod";

/**
 * A channel's docs section: its paragraph, then one row per key generated from its config schema
 * (type, default, description), so the reference cannot drift from what is validated.
 */

type Node = { [k: string]: unknown };

export function channelDocs(type: string, paragraph: string, schema: z.ZodType, example: string): string {
  const json = z.toJSONSchema(schema, { io: "input", target: "draft-07" }) as Node;
  const props = (json.properties ?? {}) as Record<string, Node>;
  const required = new Set((json.required as string[] | undefined) ?? []);
  const rows = Object.entries(props).map(([key, node]) => `| \`${key}\` | ${typeOf(node)} | ${defaultOf(node, required.has(key))} | ${cell(String(node.description ?? ""))} |`);
  return [
    `### ${type}`,
    "",
    paragraph,
    "",
    "| key | type | default | description |",
    "|---|---|---|---|",
    ...rows,
    "",
    "```yaml",
    example.trim(),
    "```",
    "",
  ].join("\n");
}

function typeOf(n: Node): string {
  if (n.const !== undefined) return `\`${JSON.stringify(n.const)}\``;
  if (Array.isArray(n.enum)) return (n.enum as unknown[]).map((v) => `\`${String(v)}\``).join(" \\| ");
  const any = (n.anyOf ?? n.oneOf) as Node[] | undefined;
  if (Array.isArray(any)) {
    const isSecret = any.some((x) => (x.properties as Node | undefined)?.env !== undefined);
    return isSecret ? "secret" : [...new Set(any.map(typeOf))].join(" or ");
  }
  if (n.type === "array") return n.items === undefined ? "list" : `list of ${typeOf(n.items as Node)}`;
  if (n.type === "object" && n.additionalProperties !== undefined && typeof n.additionalProperties === "object") {
    return `map of ${typeOf(n.additionalProperties as Node)}`;
  }
  return String(n.type ?? "any");
}

function defaultOf(n: Node, required: boolean): string {
  if (n.default !== undefined) return `\`${JSON.stringify(n.default)}\``;
  return required ? "**required**" : "—";
}

function cell(s: string): string {
  return s.replace(/\|/g, "\\|").replace(/\n+/g, " ");
}
