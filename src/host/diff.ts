/**
 * A line diff (longest common subsequence) for `host plan`: "  " same, "- " only in what is
 * loaded, "+ " only in what is wanted. Rulesets are a few dozen lines, so O(n·m) is fine. Pure.
 */

export interface LineDiff {
  changed: boolean;
  lines: string[];
}

export function diffLines(before: string, after: string): LineDiff {
  const a = split(before);
  const b = split(after);
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i -= 1) {
    for (let j = m - 1; j >= 0; j -= 1) {
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const lines: string[] = [];
  let changed = false;
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      lines.push(`  ${a[i]}`);
      i += 1;
      j += 1;
    } else if (j < m && (i >= n || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) {
      lines.push(`+ ${b[j]}`);
      changed = true;
      j += 1;
    } else {
      lines.push(`- ${a[i]}`);
      changed = true;
      i += 1;
    }
  }
  return { changed, lines };
}

/** Rulesets compare without indentation differences (nft prints tabs; files may use spaces). */
function split(text: string): string[] {
  return text.split("\n").map((l) => l.trim()).filter((l) => l !== "");
}
