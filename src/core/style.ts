/** Terminal styling: colour only on a TTY and never when NO_COLOR is set (https://no-color.org). */
export interface Style {
  readonly color: boolean;
  green(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
  bold(s: string): string;
  dim(s: string): string;
  /**
   * Text holding SGR colour codes nodeward generated itself (the QR code), carried through the
   * terminal edge like the colours above; without colour the codes are dropped. Never outside text.
   */
  ours(s: string): string;
}

/** The ANSI "select graphic rendition" sequence for `params` ("31", "1", "47;30"). */
export const ansiSgr = (params: string): string => `\u001b[${params}m`;

// eslint-disable-next-line no-control-regex -- our own SGR codes
const SGR = /\u001b\[([0-9;]*)m/g;

/**
 * `sgr` writes one colour code; the CLI's terminal edge (cli/terminal.ts) passes one that only it
 * can turn back into an escape sequence, so colour codes inside outside text never pass.
 */
export function makeStyle(color: boolean, sgr: (params: string) => string = ansiSgr): Style {
  const wrap = (open: number, close: number) => (s: string) => (color ? `${sgr(String(open))}${s}${sgr(String(close))}` : s);
  return {
    color,
    green: wrap(32, 39),
    red: wrap(31, 39),
    yellow: wrap(33, 39),
    cyan: wrap(36, 39),
    bold: wrap(1, 22),
    dim: wrap(2, 22),
    ours: (s) => s.replace(SGR, (_m, params: string) => (color ? sgr(params) : "")),
  };
}

export function wantsColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0") return true;
  return stream.isTTY === true;
}
