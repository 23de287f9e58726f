import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from "yaml";

export interface Position {
  line: number;
  column: number;
}

/**
 * Finds where a path lives in the YAML source. `target: "key"` points at the key itself (unknown
 * keys); "value" points at a scalar value, or at the key of a mapping or list. When the path does
 * not exist (a missing key) it points at the deepest ancestor that does — the parent.
 */
export function locate(doc: Document, lines: LineCounter, path: readonly PropertyKey[], target: "key" | "value" = "value"): Position {
  let node: unknown = doc.contents;
  let keyNode: Node | undefined;
  let found = true;
  for (const seg of path) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find((p) => keyText(p.key) === String(seg));
      if (!pair) {
        found = false;
        break;
      }
      keyNode = isNode(pair.key) ? pair.key : undefined;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === "number" && seg < node.items.length) {
      keyNode = undefined;
      node = node.items[seg];
    } else {
      found = false;
      break;
    }
  }
  const valueNode = isNode(node) ? node : undefined;
  const preferValue = found && target === "value" && isScalar(valueNode) && valueNode.value !== null;
  const at = (preferValue ? valueNode : (keyNode ?? valueNode))?.range?.[0];
  return at === undefined ? { line: 1, column: 1 } : position(lines, at);
}

export function position(lines: LineCounter, offset: number): Position {
  const { line, col } = lines.linePos(offset);
  return { line, column: col };
}

function keyText(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key);
}

function isNode(v: unknown): v is Node {
  return isScalar(v) || isMap(v) || isSeq(v) || isAlias(v);
}
