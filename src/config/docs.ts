import { configJsonSchema } from "./json-schema.ts";

export const CONFIG_DOCS_FILE = "docs/config.md";

type Node = { [k: string]: unknown };

/**
 * docs/config.md, generated from the same schema as the editor JSON Schema: one row per key
 * (dotted path, type, default, description), so the reference cannot drift from the validator.
 */
export function configDocsMarkdown(): string {
  const rows: string[] = [];
  const walk = (node: Node, path: string, required: boolean) => {
    if (path !== "") rows.push(`| \`${path}\` | ${typeOf(node)} | ${defaultOf(node, required)} | ${cell(String(node.description ?? ""))} |`);
    const props = node.properties as Record<string, Node> | undefined;
    const req = new Set((node.required as string[] | undefined) ?? []);
    for (const [k, child] of Object.entries(props ?? {})) walk(child, path === "" ? k : `${path}.${k}`, req.has(k));
    const items = node.items as Node | undefined;
    const objectItem = items === undefined ? undefined : (items.properties !== undefined ? items : (items.anyOf as Node[] | undefined)?.find((x) => x.properties !== undefined));
    if (objectItem !== undefined) walk(objectItem, `${path}[]`, false);
  };
  walk(configJsonSchema() as Node, "", true);
  return `# nodeward.yaml reference

Generated from the configuration schema (\`src/config/schema.ts\`) by \`npm run schema\`; the same
schema validates the file and produces \`schema/nodeward.schema.json\` for editors (add
\`# yaml-language-server: $schema=./schema/nodeward.schema.json\` at the top of your file).
\`nodeward init\` writes a commented starter; \`nodeward config check\` validates it and lists every
problem at once with its line (exit 3).

| key | type | default | description |
|---|---|---|---|
${rows.join("\n")}
`;
}

function typeOf(n: Node): string {
  if (n.const !== undefined) return `\`${JSON.stringify(n.const)}\``;
  if (Array.isArray(n.enum)) return (n.enum as unknown[]).map((v) => `\`${String(v)}\``).join(" \\| ");
  if (Array.isArray(n.anyOf)) return [...new Set((n.anyOf as Node[]).map(typeOf))].join(" or ");
  if (n.type === "array") return n.items === undefined ? "list" : `list of ${typeOf(n.items as Node)}`;
  const range = n.minimum !== undefined && n.maximum !== undefined ? ` ${String(n.minimum)}–${String(n.maximum)}` : "";
  return `${String(n.type ?? "any")}${range}`;
}

function defaultOf(n: Node, required: boolean): string {
  if (n.default !== undefined) return `\`${JSON.stringify(n.default)}\``;
  return required ? "**required**" : "—";
}

function cell(s: string): string {
  return s.replace(/\|/g, "\\|").replace(/\n+/g, " ");
}
