import { maskControls } from "../core/safe-text.ts";

/**
 * Text that reaches a person or a service's parser: well-formed, one line where a line is
 * expected, and short enough for the service. Services reject messages past their limits
 * (Discord 6000 per message, Telegram 4096, Slack header 150) with a 400 that no retry cures, so
 * text is shortened, never refused. Pure.
 */

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const LINE_BREAKS = /\r\n|[\r\n\t\u2028\u2029]/g;

/** At most `max` UTF-16 units, "…" marking a cut; never splits a surrogate pair. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - 1);
  if (end > 0 && /[\uD800-\uDBFF]/.test(text[end - 1]!)) end--;
  return `${text.slice(0, end)}…`;
}

/** Lone surrogates (which no UTF-8 encoder can write) become U+FFFD. */
export function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, "\uFFFD");
}

/**
 * Outside text (a node's name, a cause) made fit to show on one line: line breaks and tabs become
 * spaces, every other control or direction-changing character (the set core/safe-text.ts shows at
 * the terminal: "sn-\u202Egpj.exe" would show as "sn-exe.jpg") a visible U+FFFD, then clipped.
 */
export function displayLine(text: string, max: number): string {
  return clip(maskControls(wellFormed(text).replace(LINE_BREAKS, " "), "\uFFFD"), max);
}
