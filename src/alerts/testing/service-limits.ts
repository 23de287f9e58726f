/**
 * Test support only: the rules each chat service applies to a message before it accepts it, as
 * published in its API documentation. A payload that breaks one is answered with HTTP 400 every
 * time it is sent, so the alert is lost. Each checker returns what is wrong (empty: nothing).
 */

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// Every C0 control but \n, DEL, and the C1 controls.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/;

/** Every string in a parsed JSON body: well-formed Unicode, and no control characters but \n. */
export function textProblems(json: unknown, path = "body"): string[] {
  if (typeof json === "string") {
    const problems: string[] = [];
    if (LONE_SURROGATE.test(json)) problems.push(`${path} has a lone surrogate (not valid UTF-8 once sent)`);
    const c = CONTROL.exec(json);
    if (c !== null) problems.push(`${path} has the control character U+${c[0].charCodeAt(0).toString(16).padStart(4, "0")}`);
    return problems;
  }
  if (Array.isArray(json)) return json.flatMap((v, i) => textProblems(v, `${path}[${i}]`));
  if (typeof json === "object" && json !== null) return Object.entries(json).flatMap(([k, v]) => textProblems(v, `${path}.${k}`));
  return [];
}

const max = (what: string, s: unknown, limit: number, min = 1): string[] => {
  if (typeof s !== "string") return [`${what} is not a string`];
  if (s.length > limit) return [`${what} has ${s.length} characters, the limit is ${limit}`];
  if (s.trim().length < min) return [`${what} is empty`];
  return [];
};

interface DiscordEmbed {
  title?: string;
  description?: string;
  fields?: { name: string; value: string }[];
  footer?: { text: string };
  author?: { name: string };
}

/** Discord's execute-webhook limits: content 2000; per embed title 256, description 4096, 25 fields of 256/1024; 6000 in all embeds. */
export function discordProblems(body: { content?: string; embeds?: DiscordEmbed[] }): string[] {
  const p: string[] = [];
  if (body.content !== undefined) p.push(...max("content", body.content, 2000));
  let total = 0;
  for (const [i, e] of (body.embeds ?? []).entries()) {
    if (e.title !== undefined) p.push(...max(`embed ${i} title`, e.title, 256));
    if (e.description !== undefined) p.push(...max(`embed ${i} description`, e.description, 4096));
    const fields = e.fields ?? [];
    if (fields.length > 25) p.push(`embed ${i} has ${fields.length} fields, the limit is 25`);
    for (const [j, f] of fields.entries()) p.push(...max(`embed ${i} field ${j} name`, f.name, 256), ...max(`embed ${i} field ${j} value`, f.value, 1024));
    total += (e.title ?? "").length + (e.description ?? "").length + (e.footer?.text ?? "").length + (e.author?.name ?? "").length;
    total += fields.reduce((n, f) => n + f.name.length + f.value.length, 0);
  }
  if (total > 6000) p.push(`the embeds have ${total} characters in all, the limit is 6000`);
  return [...p, ...textProblems(body)];
}

const TELEGRAM_TAGS = new Set(["b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre", "tg-spoiler", "span", "blockquote"]);

/** Telegram sendMessage with parse_mode HTML: well-formed supported tags and entities, 1–4096 characters once parsed. */
export function telegramProblems(body: { text?: unknown; parse_mode?: unknown }): string[] {
  if (typeof body.text !== "string") return ["text is not a string"];
  const p: string[] = [];
  const open: string[] = [];
  let plain = "";
  const re = /<(\/?)([a-z-]+)[^<>]*>|&(lt|gt|amp|quot|#\d+|#x[0-9a-f]+);|([<>&])|([^<>&]+)/gi;
  for (const m of body.text.matchAll(re)) {
    const [, closing, tag, entity, stray, text] = m;
    if (text !== undefined) plain += text;
    else if (stray !== undefined) p.push(`text has an unescaped "${stray}" (Telegram: can't parse entities)`);
    else if (entity !== undefined) plain += "x";
    else if (tag !== undefined) {
      if (!TELEGRAM_TAGS.has(tag)) p.push(`text has the unsupported tag <${tag}>`);
      else if (closing === "/") {
        if (open.pop() !== tag) p.push(`text closes <${tag}> that is not open`);
      } else open.push(tag);
    }
  }
  if (open.length > 0) p.push(`text leaves <${open.join(">, <")}> open`);
  p.push(...max("text once parsed", plain, 4096));
  return [...p, ...textProblems(body)];
}

interface SlackBlock {
  type: string;
  text?: { text: string };
  fields?: { text: string }[];
}

/** Slack incoming webhooks: header text 150, section text 3000, 10 fields of 2000, 50 blocks; text is cut past 40000. */
export function slackProblems(body: { text?: unknown; blocks?: SlackBlock[] }): string[] {
  const p: string[] = [...max("text", body.text, 40_000)];
  const blocks = body.blocks ?? [];
  if (blocks.length > 50) p.push(`${blocks.length} blocks, the limit is 50`);
  for (const [i, b] of blocks.entries()) {
    if (b.text !== undefined) p.push(...max(`block ${i} text`, b.text.text, b.type === "header" ? 150 : 3000));
    if (b.type === "header" && b.text !== undefined && /\n/.test(b.text.text)) p.push(`block ${i} (header) has a line break`);
    const fields = b.fields ?? [];
    if (fields.length > 10) p.push(`block ${i} has ${fields.length} fields, the limit is 10`);
    for (const [j, f] of fields.entries()) p.push(...max(`block ${i} field ${j}`, f.text, 2000));
  }
  return [...p, ...textProblems(body)];
}

/**
 * An e-mail as it arrived (raw, CRLF): RFC 5322's 998-octet line limit, only the headers nodeward
 * writes, a subject (decoded) of one line without control characters and of a readable length.
 */
export function mailProblems(raw: string, subject: string | undefined, expectedHeaders: readonly string[]): string[] {
  const p: string[] = [];
  const head = raw.slice(0, raw.indexOf("\r\n\r\n"));
  for (const [i, line] of raw.split("\r\n").entries()) {
    if (Buffer.byteLength(line) > 998) p.push(`line ${i + 1} has ${Buffer.byteLength(line)} octets, the limit is 998`);
  }
  const names = head.split("\r\n").filter((l) => !/^[ \t]/.test(l)).map((l) => l.slice(0, l.indexOf(":")).toLowerCase());
  for (const n of names) if (!expectedHeaders.includes(n)) p.push(`unexpected header ${JSON.stringify(n)}`);
  if (subject === undefined) return [...p, "no subject"];
  if (subject.length > 300) p.push(`the subject has ${subject.length} characters`);
  p.push(...textProblems(subject, "subject"));
  if (/\n/.test(subject)) p.push("the subject has a line break");
  return p;
}
