import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { AlertEvent } from "../alerts/event.ts";
import { alertEventSchema, parseStoredAlertEvent } from "./alert-event-schema.ts";
import { ALERT_EVENTS, alertEvent } from "./contracts/samples.ts";

describe("alertEventSchema", () => {
  it("accepts one event of every kind as it is", () => {
    for (const e of ALERT_EVENTS) assert.deepEqual(alertEventSchema.parse(e), e, e.kind);
  });

  it("reads back what JSON.stringify wrote", () => {
    for (const e of ALERT_EVENTS) assert.deepEqual(parseStoredAlertEvent(JSON.stringify(e)), { ok: true, event: e });
  });

  it("drops keys it does not know", () => {
    const parsed = parseStoredAlertEvent(JSON.stringify({ ...alertEvent("i1"), extra: "x" }));
    assert.deepEqual(parsed, { ok: true, event: alertEvent("i1") });
  });

  it("says which field is wrong", () => {
    const { clock: _clock, ...noClock } = alertEvent("i1") as Extract<AlertEvent, { kind: "down" }>;
    assert.deepEqual(parseStoredAlertEvent(JSON.stringify(noClock)), {
      ok: false,
      error: "stored alert event failed validation: clock: Invalid input: expected object, received undefined",
    });
    const bad = parseStoredAlertEvent(JSON.stringify({ ...alertEvent("i1"), at: -5 }));
    assert.ok(!bad.ok && bad.error.includes("at:"), JSON.stringify(bad));
  });

  it("refuses an unknown kind, a non-object and text that is not JSON", () => {
    assert.equal(parseStoredAlertEvent(JSON.stringify({ kind: "party", at: 1 })).ok, false);
    assert.equal(parseStoredAlertEvent("[]").ok, false);
    const notJson = parseStoredAlertEvent("{kind:");
    assert.ok(!notJson.ok && notJson.error.startsWith("stored alert event is not JSON"));
  });
});
