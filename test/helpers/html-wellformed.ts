/**
 * A small well-formedness check for the HTML nodeward writes (no parser dependency): every
 * element closed in order (void elements excepted), attributes quoted, entities known, text free
 * of a raw "<". Returns the problems (empty: well-formed) and the text content.
 */
const VOID = new Set(["meta", "br", "hr", "img", "link", "input", "col", "wbr"]);
const RAW_TEXT = new Set(["style", "script"]);
const ENTITY = /^&(amp|lt|gt|quot|#39|#\d{1,6}|#x[0-9a-f]{1,6});/i;

export function checkHtml(html: string): { problems: string[]; text: string; tags: string[] } {
  const problems: string[] = [];
  const stack: string[] = [];
  const tags: string[] = [];
  let text = "";
  let i = 0;
  const doctype = /^<!DOCTYPE html>/i.exec(html);
  if (doctype === null) problems.push("no <!DOCTYPE html> at the start");
  else i = doctype[0].length;
  while (i < html.length) {
    const ch = html[i]!;
    if (ch === "<") {
      const m = /^<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+(?:="[^"<>]*")?)*)\s*(\/?)>/.exec(html.slice(i));
      if (m === null) {
        problems.push(`bad tag at ${i}: ${JSON.stringify(html.slice(i, i + 40))}`);
        i++;
        continue;
      }
      const [all, closing, rawName, , selfClose] = m;
      const name = rawName!.toLowerCase();
      tags.push(closing ? `/${name}` : name);
      if (closing) {
        const open = stack.pop();
        if (open !== name) problems.push(`</${name}> closes <${open ?? "nothing"}>`);
      } else if (!VOID.has(name) && selfClose === "") {
        stack.push(name);
        if (RAW_TEXT.has(name)) {
          const end = html.indexOf(`</${name}>`, i + all!.length);
          if (end < 0) problems.push(`<${name}> never closed`);
          i = end < 0 ? html.length : end;
          continue;
        }
      }
      i += all!.length;
    } else if (ch === "&") {
      const m = ENTITY.exec(html.slice(i));
      if (m === null) problems.push(`bare & at ${i}: ${JSON.stringify(html.slice(i, i + 12))}`);
      text += m === null ? "&" : decode(m[0]);
      i += m === null ? 1 : m[0].length;
    } else if (ch === ">") {
      problems.push(`raw > in text at ${i}`);
      i++;
    } else {
      text += ch;
      i++;
    }
  }
  if (stack.length > 0) problems.push(`never closed: ${stack.join(" > ")}`);
  return { problems, text, tags };
}

function decode(e: string): string {
  const named: Record<string, string> = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'" };
  if (named[e] !== undefined) return named[e];
  const n = e.startsWith("&#x") ? parseInt(e.slice(3, -1), 16) : parseInt(e.slice(2, -1), 10);
  return String.fromCodePoint(n);
}
