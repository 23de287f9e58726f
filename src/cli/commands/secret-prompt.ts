import { createInterface } from "node:readline";
import { Writable } from "node:stream";

/**
 * Reads secrets (passwords, codes) for a command: on a terminal without echo, otherwise one line
 * per answer from standard input (so scripts and tests can pipe them). Never from argv.
 */
export interface SecretPrompt {
  ask(question: string, opts?: { echo?: boolean }): Promise<string>;
  close(): void;
}

export function secretPrompt(input: NodeJS.ReadableStream & { isTTY?: boolean }, output: NodeJS.WritableStream): SecretPrompt {
  let muted = false;
  const sink = new Writable({
    write(chunk, _enc, cb) {
      if (!muted) output.write(chunk);
      cb();
    },
  });
  const tty = input.isTTY === true;
  const rl = createInterface({ input, output: sink, terminal: tty });
  const lines: string[] = [];
  const waiting: ((line: string | null) => void)[] = [];
  let ended = false;
  rl.on("line", (l) => {
    const w = waiting.shift();
    if (w) w(l);
    else lines.push(l);
  });
  rl.on("close", () => {
    ended = true;
    for (const w of waiting.splice(0)) w(null);
  });
  const next = () =>
    new Promise<string | null>((resolve) => {
      const l = lines.shift();
      if (l !== undefined) resolve(l);
      else if (ended) resolve(null);
      else waiting.push(resolve);
    });
  return {
    async ask(question, opts = {}) {
      output.write(question);
      muted = tty && opts.echo !== true;
      const line = await next();
      muted = false;
      if (!tty || opts.echo !== true) output.write("\n");
      if (line === null) throw new Error("standard input ended before the answer");
      return line;
    },
    close: () => rl.close(),
  };
}
