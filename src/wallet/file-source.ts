import { open, type FileHandle } from "node:fs/promises";
import type { PageSource } from "./bdb-walk.ts";

/**
 * A wallet file opened read-only: positional reads, no lock, never written. The handle is closed
 * by `use` whatever the body does.
 */
export async function withFileSource<T>(path: string, body: (src: PageSource) => Promise<T>): Promise<T> {
  const fh: FileHandle = await open(path, "r");
  try {
    const size = (await fh.stat()).size;
    const src: PageSource = {
      size,
      async read(offset, length) {
        const n = Math.max(0, Math.min(length, size - offset));
        const buf = new Uint8Array(n);
        let got = 0;
        while (got < n) {
          const { bytesRead } = await fh.read(buf, got, n - got, offset + got);
          if (bytesRead === 0) break;
          got += bytesRead;
        }
        return got === n ? buf : buf.subarray(0, got);
      },
    };
    return await body(src);
  } finally {
    await fh.close();
  }
}
