import { describe, it } from "node:test";
import assert from "node:assert/strict";
import Database from "better-sqlite3";
import { rejectsWith } from "../contracts/harness.ts";
import { nodeState } from "../contracts/samples.ts";
import { tempDir } from "../temp-dir.test-support.ts";
import { openSqliteStore } from "./open.ts";

const temp = tempDir();

describe("SQLite node states", () => {
  it("reports a damaged escalation list by node instead of inventing one", async () => {
    const path = temp.file("states.db");
    const store = openSqliteStore(path);
    await store.nodeStates.save([nodeState("n1"), nodeState("n2")]);
    const raw = new Database(path);
    raw.prepare("UPDATE node_states SET incident_escalated = '20,,40' WHERE node_id = 'n2'").run();
    raw.close();
    await rejectsWith(store.nodeStates.loadAll(), "corrupt-row");
    await assert.rejects(store.nodeStates.loadAll(), /watch state of "n2" is damaged: escalation list "20,,40"/);
    store.close();
  });

  it("lets the database refuse what is not a list of numbers at all", async () => {
    const path = temp.file("check.db");
    openSqliteStore(path).close();
    const raw = new Database(path);
    const insert = (escalated: string | null, incidentId: string | null) =>
      raw
        .prepare("INSERT INTO node_states (node_id, health, failures, successes, incident_id, incident_started_at, incident_cause, incident_escalated) VALUES ('x', 'down', 0, 0, ?, 1, 'c', ?)")
        .run(incidentId, escalated);
    assert.throws(() => insert("20;40", "i"), /CHECK constraint failed/);
    assert.throws(() => insert("20", null), /CHECK constraint failed/);
    raw.close();
  });
});
