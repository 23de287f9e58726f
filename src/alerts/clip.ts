/** Services reject messages past their limits (Discord 4096, Telegram 4096, Slack header 150): shorten, never fail. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 1))}…`;
}
