import { AppError } from "../../core/errors.ts";

/**
 * Asks for a secret on the terminal without echoing it (stdin in raw mode; the prompt on stderr).
 * Ctrl-C or Ctrl-D abort; backspace works.
 */
export function promptHidden(question: string, input: NodeJS.ReadStream = process.stdin, output: NodeJS.WritableStream = process.stderr): Promise<string> {
  return new Promise((resolve, reject) => {
    let value = "";
    const wasRaw = input.isRaw;
    input.setRawMode?.(true); // echo off before the prompt shows, so nothing typed after it is echoed
    input.resume();
    output.write(question);
    const finish = (err?: Error) => {
      input.off("data", onData);
      input.setRawMode?.(wasRaw);
      input.pause();
      output.write("\n");
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString("utf8")) {
        if (ch === "\r" || ch === "\n") return finish();
        if (ch === "\u0003" || ch === "\u0004") return finish(new AppError("ABORTED", "cancelled at the passphrase prompt"));
        if (ch === "\u007f" || ch === "\b") value = [...value].slice(0, -1).join("");
        else if (ch >= " ") value += ch;
      }
    };
    input.on("data", onData);
  });
}
