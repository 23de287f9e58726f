import { oneLine } from "./safe-text.ts";

/**
 * Outside text for inline Markdown — a table cell, a list item after its key — where it must stay
 * text: no emphasis, link, image, code span, HTML, heading, strikethrough or math, no cell
 * boundary, no line break. CommonMark lets any ASCII punctuation be backslash-escaped; `&`, `<` and
 * `>` become entities so no HTML renderer sees a tag. Controls and line breaks are shown as in the
 * terminal (`\e`, `\n`), then escaped like any backslash. Pure.
 */
export function markdownInline(text: string): string {
  return oneLine(text)
    .replace(/[\\`*_[\]()#|~$!]/g, "\\$&")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;");
}
