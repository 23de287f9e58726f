import { boundedLine } from "./safe-text.ts";

/** RFC 5322 recommends lines of at most 78 characters; a subject longer than this is unreadable anyway. */
export const MAX_HEADER_TEXT = 200;

/**
 * Outside text for a mail header such as Subject: one line (a CR or LF can never start a new
 * header), no control character, at most `max` code points. Non-ASCII letters stay: the mailer
 * encodes them (RFC 2047). Pure.
 */
export function headerText(text: string, max: number = MAX_HEADER_TEXT): string {
  return boundedLine(text, max);
}
