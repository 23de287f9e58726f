import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { COIN_IDS, CUSTOM_COIN, coinProfiles, findCoin, portText } from "./index.ts";

describe("coin registry", () => {
  it("lists every profile under a unique id", () => {
    const ids = coinProfiles.map((c) => c.id);
    assert.equal(new Set(ids).size, ids.length);
    assert.deepEqual([...COIN_IDS], [...ids, CUSTOM_COIN]);
  });

  it("gives every profile a name, notes and at least one valid port", () => {
    for (const c of coinProfiles) {
      assert.ok(c.name.length > 0, c.id);
      assert.ok(c.notes.length > 80, `${c.id} needs a paragraph of notes`);
      assert.ok(c.ports.length > 0, `${c.id} has no ports`);
      for (const p of c.ports) {
        assert.ok(Number.isInteger(p.port) && p.port >= 1 && p.port <= 65535, `${c.id} ${p.port}`);
        assert.ok(p.purpose.length > 0 && p.why.length > 0, `${c.id} ${p.port} needs purpose and why`);
      }
    }
  });

  it("keeps P2P magic as 8 hex digits and the default port among the profile's ports", () => {
    for (const c of coinProfiles) {
      if (!c.p2p) continue;
      assert.match(c.p2p.magic, /^[0-9a-f]{8}$/);
      assert.ok(c.ports.some((p) => p.port === c.p2p?.defaultPort), c.id);
      assert.ok(c.p2p.minProtocolVersion <= c.p2p.protocolVersion, c.id);
    }
  });

  it("opens SAPI 8080 for smartcash and only 9678 for smartcash-legacy", () => {
    assert.deepEqual(findCoin("smartcash")?.ports.map(portText), ["9678", "8080"]);
    assert.deepEqual(findCoin("smartcash-legacy")?.ports.map(portText), ["9678"]);
    assert.match(findCoin("smartcash-legacy")?.notes ?? "", /WILL EXPIRE/);
  });

  it("finds no profile for custom or an unknown id", () => {
    assert.equal(findCoin(CUSTOM_COIN), undefined);
    assert.equal(findCoin("bitcoin"), undefined);
  });

  it("prints ports and ranges the way firewall rules do", () => {
    assert.equal(portText({ port: 22 }), "22");
    assert.equal(portText({ port: 8000, portEnd: 8080 }), "8000:8080");
    assert.equal(portText({ port: 22, portEnd: 22 }), "22");
  });
});
