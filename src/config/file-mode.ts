/**
 * The one check for files that hold secrets (the config with inline secrets, an API key file, a
 * `{file: …}` secret): group or others may read or change it. Never true on Windows, whose modes
 * say nothing about that.
 */
export function looseMode(mode: number): boolean {
  return process.platform !== "win32" && (mode & 0o077) !== 0;
}

/** "644" */
export function modeText(mode: number): string {
  return (mode & 0o777).toString(8).padStart(3, "0");
}
