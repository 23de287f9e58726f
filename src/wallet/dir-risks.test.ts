import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { dirRisks, type DirEntry } from "./dir-risks.ts";

/** Who besides us can change what lands in a backup directory, from the modes and owners of it and its parents. */

const names = new Map([
  [0, "root"],
  [1000, "alice"],
  [1001, "mallory"],
]);
const dir = (path: string, mode: number, uid = 1000, gid = 1000): DirEntry => ({ path, mode: 0o40000 | mode, uid, gid });
const home = [dir("/", 0o755, 0, 0), dir("/home", 0o755, 0, 0), dir("/home/alice", 0o700)];

describe("dirRisks", () => {
  const cases: { name: string; chain: DirEntry[]; me?: number; expect: RegExp[] }[] = [
    { name: "a private directory in your home", chain: [dir("/home/alice/b", 0o700), ...home], expect: [] },
    { name: "/tmp-like parents (sticky) are fine for a private directory", chain: [dir("/tmp/b", 0o700), dir("/tmp", 0o1777, 0, 0), dir("/", 0o755, 0, 0)], expect: [] },
    {
      name: "a world-writable directory",
      chain: [dir("/srv/b", 0o777), dir("/srv", 0o755, 0, 0), dir("/", 0o755, 0, 0)],
      expect: [/^\/srv\/b is world-writable \(mode 0777\): any local user can delete or replace backups in it, or plant a symlink; use a private directory \(chmod 700 \/srv\/b\)$/],
    },
    {
      name: "a sticky world-writable directory such as /tmp",
      chain: [dir("/tmp", 0o1777, 0, 0), dir("/", 0o755, 0, 0)],
      expect: [/^\/tmp is world-writable with the sticky bit \(mode 1777\): other users cannot delete your backups, but they can create files under the names yours will take and fill the disk; use a private directory/],
    },
    { name: "a group-writable directory", chain: [dir("/srv/b", 0o770, 1000, 1001), dir("/", 0o755, 0, 0)], expect: [/^\/srv\/b is writable by group mallory \(mode 0770\): its members can delete or replace backups/] },
    { name: "a directory another user owns", chain: [dir("/home/mallory/b", 0o755, 1001, 1001), dir("/", 0o755, 0, 0)], expect: [/^\/home\/mallory\/b belongs to user mallory: they can delete, replace or read backups written there; use a directory you own$/] },
    { name: "root writing into a user's directory", me: 0, chain: [dir("/home/alice/b", 0o700), ...home], expect: [/^\/home\/alice\/b belongs to user alice/] },
    {
      name: "a parent others can write without the sticky bit",
      chain: [dir("/shared/b", 0o700), dir("/shared", 0o777, 0, 0), dir("/", 0o755, 0, 0)],
      expect: [/^\/shared \(a parent of \/shared\/b\) is world-writable without the sticky bit: any local user can move \/shared\/b away and put their own directory in its place; use a private directory$/],
    },
    { name: "a parent another user owns", chain: [dir("/home/mallory/x/b", 0o700), dir("/home/mallory/x", 0o755, 1001), dir("/home/mallory", 0o755, 1001), dir("/", 0o755, 0, 0)], expect: [/^\/home\/mallory\/x \(a parent of \/home\/mallory\/x\/b\) belongs to user mallory/] },
  ];
  for (const c of cases) {
    it(`${c.expect.length === 0 ? "says nothing about" : "warns about"} ${c.name}`, () => {
      const got = dirRisks(c.chain, c.me ?? 1000, names, names);
      assert.equal(got.length, c.expect.length, got.join("\n"));
      c.expect.forEach((re, i) => assert.match(got[i] ?? "", re));
    });
  }
});
