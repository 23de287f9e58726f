/** How the pages write numbers and times: UTC, short, "—" for unknown. */

export function percent(r: number | null): string {
  return r === null ? "—" : `${(Math.floor(r * 10_000) / 100).toFixed(2)} %`;
}

export function utc(at: number | null): string {
  return at === null ? "—" : `${new Date(at).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

export function ago(at: number | null, now: number): string {
  if (at === null) return "never";
  const s = Math.max(0, Math.round((now - at) / 1000));
  if (s < 90) return `${s} s ago`;
  if (s < 90 * 60) return `${Math.round(s / 60)} min ago`;
  if (s < 36 * 3600) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} d ago`;
}

export function ms(v: number | null): string {
  return v === null ? "—" : `${Math.round(v)} ms`;
}

export function num(v: number | null): string {
  return v === null ? "—" : v.toLocaleString("en-US");
}
