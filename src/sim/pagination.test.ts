import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { decodeCursor, encodeCursor, pageRequest, paginate } from "./pagination.ts";

const q = (s: string) => new URLSearchParams(s);

describe("cursor pagination", () => {
  it("round-trips an offset through an opaque cursor", () => {
    assert.equal(decodeCursor(encodeCursor(200)), 200);
    assert.doesNotMatch(encodeCursor(200), /200/);
  });

  it("defaults to 100 per page from the start", () => {
    assert.deepEqual(pageRequest(q("")), { ok: true, value: { offset: 0, perPage: 100 } });
  });

  const bad: [string, RegExp][] = [
    ["per_page=501", /between 1 and 500/],
    ["per_page=0", /between 1 and 500/],
    ["per_page=ten", /integer/],
    ["per_page=2.5", /integer/],
    ["cursor=not-a-cursor", /Invalid cursor/],
    ["cursor=%3D%3D", /Invalid cursor/],
  ];
  for (const [query, message] of bad) {
    it(`refuses ${query} with 400`, () => {
      const r = pageRequest(q(query));
      assert.equal(r.ok, false);
      if (!r.ok) {
        assert.equal(r.status, 400);
        assert.match(r.error, message);
      }
    });
  }

  it("links pages with next and prev, and empty strings at the ends", () => {
    const all = [1, 2, 3, 4, 5];
    const first = paginate(all, 0, 2);
    assert.deepEqual(first.items, [1, 2]);
    assert.equal(first.meta.total, 5);
    assert.equal(first.meta.links.prev, "");
    const second = paginate(all, decodeCursor(first.meta.links.next) ?? -1, 2);
    assert.deepEqual(second.items, [3, 4]);
    assert.equal(decodeCursor(second.meta.links.prev), 0);
    const last = paginate(all, decodeCursor(second.meta.links.next) ?? -1, 2);
    assert.deepEqual(last.items, [5]);
    assert.equal(last.meta.links.next, "");
  });

  it("answers an empty page for a cursor past the end of a list that shrank", () => {
    assert.deepEqual(paginate([1], 4, 2).items, []);
  });
});
