/**
 * Text from outside — provider labels, tags and notes, config strings, P2P and SAPI answers, error
 * messages that quote them — made safe to show. Pure.
 *
 * Control characters are shown, not dropped, so an operator sees that something odd is there:
 * ESC as `\e`, BEL `\a`, CR `\r`, LF `\n`, TAB `\t`, NUL `\0`, the other C0 and C1 controls and DEL
 * as `\xHH`; bidi marks, embeddings, overrides and isolates (which reorder a line on screen) and
 * the Unicode line and paragraph separators as `\uHHHH`. Everything else — Cyrillic, CJK, Arabic
 * letters, emoji — is kept as it is.
 */

const NAMED: Readonly<Record<string, string>> = {
  "\u0000": "\\0",
  "\u0007": "\\a",
  "\b": "\\b",
  "\t": "\\t",
  "\n": "\\n",
  "\v": "\\v",
  "\f": "\\f",
  "\r": "\\r",
  "\u001b": "\\e",
};

/** C0, DEL, C1, ALM, LRM/RLM, line/paragraph separators, LRE…RLO, LRI…PDI. */
// eslint-disable-next-line no-control-regex -- matching controls is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** The same, but line feed and tab pass: for whole rendered text whose lines are our own. */
// eslint-disable-next-line no-control-regex -- matching controls is the point
const UNSAFE_BUT_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** How one unsafe character is shown. */
export function showControl(c: string): string {
  const named = NAMED[c];
  if (named !== undefined) return named;
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
}

/** Every unsafe character replaced by `mask` (chat messages show U+FFFD where a terminal shows `\e`). */
export function maskControls(text: string, mask: string): string {
  return text.replace(UNSAFE, mask);
}

/** A value for inside a line: no character of it can end the line, move the cursor, recolour or reorder. */
export function oneLine(text: string): string {
  return text.replace(UNSAFE, showControl);
}

/** Whole text for a terminal: line feeds and tabs stay, every other control is shown. */
export function terminalText(text: string): string {
  return text.replace(UNSAFE_BUT_LINES, showControl);
}

/**
 * At most `max` code points (a surrogate pair is never split); a clipped text ends in "…(+N more)",
 * or in "…" alone when `max` leaves no room for the count.
 */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const points = [...text];
  if (points.length <= max) return text;
  const more = (n: number) => `…(+${n} more)`;
  if (more(points.length).length * 2 > max) return points.slice(0, Math.max(0, max - 1)).join("") + (max > 0 ? "…" : "");
  const kept = max - more(points.length).length;
  return points.slice(0, kept).join("") + more(points.length - kept);
}

/** One line, at most `max` code points: a metric label value, a header, a name in a narrow column. */
export function boundedLine(text: string, max: number): string {
  return clip(oneLine(text), max);
}

/** What JSON.stringify leaves raw inside strings (its C0 controls are escaped; raw LF is layout). */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * Serialised JSON for a terminal, unchanged for any parser: JSON.stringify escapes C0 controls
 * but leaves DEL, C1 and the bidi controls raw; inside a string literal (the only place they can
 * be) `\uHHHH` means the same character.
 */
export function jsonText(json: string): string {
  return json.replace(UNSAFE_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
