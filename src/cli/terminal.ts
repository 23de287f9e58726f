import { randomBytes } from "node:crypto";
import { terminalText } from "../core/safe-text.ts";
import { makeStyle, ansiSgr, type Style } from "../core/style.ts";

/**
 * Where every line the CLI writes meets the terminal (Io's out, err and live pass through
 * `render`). Outside text — provider labels, config strings, P2P and SAPI answers, error messages
 * quoting them — may hold escape sequences that set the window title, clear the screen, recolour
 * or reorder a line, or forge the plan an operator confirms. `render` shows every control
 * character of the whole text (keeping line feeds and tabs: see core/safe-text.ts).
 *
 * Our own colours must survive that, and an escape sequence in a label must not pass as one of
 * them. So the styles made here write each colour as a private mark carrying a per-process random
 * nonce that outside text cannot know; `render` turns only those marks back into SGR sequences,
 * after every raw control has been made visible. A line break inside an outside value cannot be
 * told from ours at this edge: renderers that lay values out in lines pass them through `oneLine`.
 */
export interface TerminalEdge {
  style(color: boolean): Style;
  render(text: string): string;
}

export function terminalEdge(nonce: string = randomBytes(12).toString("hex")): TerminalEdge {
  if (!/^[0-9a-f]{16,}$/.test(nonce)) throw new RangeError("terminalEdge: the nonce must be at least 16 hex digits");
  const mark = (params: string) => `\u{e000}${nonce}${params}\u{e001}`;
  const marks = new RegExp(`\u{e000}${nonce}([0-9;]*)\u{e001}`, "g");
  return {
    style: (color) => makeStyle(color, mark),
    render: (text) => terminalText(text).replace(marks, (_m, params: string) => ansiSgr(params)),
  };
}
