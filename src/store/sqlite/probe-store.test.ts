import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { statSync } from "node:fs";
import { HOUR, minutes, T0 } from "../contracts/samples.ts";
import { tempDir } from "../temp-dir.test-support.ts";
import { openSqliteStore } from "./open.ts";

const temp = tempDir();
const nodes = Array.from({ length: 50 }, (_, i) => `node-${i}`);

describe("SQLite probes", () => {
  it("gives the space of a large drop back to the file system", async () => {
    const path = temp.file("shrink.db");
    const store = openSqliteStore(path);
    await store.probes.appendProbes(nodes.flatMap((n) => minutes(n, T0, 24 * 60)));
    store.close(); // checkpoints the WAL into the file
    const full = statSync(path).size;

    const again = openSqliteStore(path);
    assert.deepEqual(await again.probes.compact(T0 + 24 * HOUR, T0 + 24 * HOUR), { rolledUp: 50 * 24 * 60, deleted: 50 * 24 });
    again.close();
    const shrunk = statSync(path).size;
    assert.ok(shrunk < full / 10, `file went from ${full} to ${shrunk} bytes`);
  });

  it("lets a second connection (the CLI next to the daemon) read while the first writes", async () => {
    const path = temp.file("two.db");
    const daemon = openSqliteStore(path);
    const cli = openSqliteStore(path);
    for (let i = 0; i < 20; i++) {
      await daemon.probes.appendProbes(minutes("n1", T0 + i * HOUR, 60));
      assert.equal((await cli.probes.uptime("n1", T0, T0 + 24 * HOUR)).total, (i + 1) * 60);
    }
    await cli.probes.compact(T0 + 10 * HOUR, 0);
    await daemon.probes.appendProbes(minutes("n2", T0, 5));
    assert.equal((await daemon.probes.uptime("n1", T0, T0 + 24 * HOUR)).total, 1200);
    assert.equal((await cli.probes.recentProbes("n2", 10)).length, 5);
    daemon.close();
    cli.close();
  });
});
