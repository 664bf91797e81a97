// The link rule as a table (pure), and the walk on a temp dir as the current user: relative and
// absolute link targets, `..` in a target, a loop, and nothing followed beneath a directory.
import type { Stats } from "node:fs";
import * as fs from "node:fs";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { followNoLinks, followTrustedLinks, openDirBeneath, openDirPath } from "../../../src/fs/index.js";

const me = process.geteuid!();
const other = me === 0 ? 1000 : me + 1; // neither root nor us
const st = (uid: number, mode = 0) => ({ uid, mode }) as Stats;

describe("followTrustedLinks", () => {
  test.each([
    ["root's link in root's 0755 dir", st(0), st(0, 0o40755), undefined],
    ["our link in our 0700 dir", st(me), st(me, 0o40700), undefined],
    ["root's link in a sticky world-writable dir (/tmp)", st(0), st(0, 0o41777), undefined],
    ["someone else's link", st(other), st(0, 0o40755), `it belongs to uid ${other}`],
    ["root's link in someone else's dir", st(0), st(other, 0o40755), `the directory holding it belongs to uid ${other}`],
    ["root's link in a group-writable dir", st(0), st(0, 0o40775), "the directory holding it is writable by group or others"],
    ["root's link in a world-writable dir without the sticky bit", st(0), st(0, 0o40777), "the directory holding it is writable by group or others"],
  ])("%s", (_, link, holder, why) => {
    expect(followTrustedLinks(link, holder)).toBe(why);
  });

  test("followNoLinks refuses every link", () => expect(followNoLinks(st(0), st(0, 0o40755))).toBeTruthy());
});

describe("the walk", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "foyer-beneath-"));
    mkdirSync(join(dir, "real", "sub"), { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const reach = (path: string) => {
    const d = openDirPath(fs, path, { policy: followTrustedLinks });
    const where = d && fs.readlinkSync(`/proc/self/fd/${d.fd}`);
    d?.close();
    return where;
  };

  test("follows our own links: relative, absolute, and with .. in the target", () => {
    symlinkSync("real", join(dir, "rel"));
    symlinkSync(join(dir, "real"), join(dir, "abs"));
    symlinkSync("../real", join(dir, "real", "up"));
    expect(reach(join(dir, "rel", "sub"))).toBe(join(dir, "real", "sub"));
    expect(reach(join(dir, "abs", "sub"))).toBe(join(dir, "real", "sub"));
    expect(reach(join(dir, "real", "up", "up", "sub"))).toBe(join(dir, "real", "sub"));
  });

  test("a missing directory ends the walk, or is made with the given mode", () => {
    expect(reach(join(dir, "real", "nope", "deeper"))).toBeUndefined();
    const made = openDirPath(fs, join(dir, "real", "a", "b"), { policy: followTrustedLinks, create: 0o700 })!;
    made.close();
    expect(fs.statSync(join(dir, "real", "a", "b")).isDirectory()).toBe(true);
  });

  test("a file on the way, and a link loop, are reported with the path", () => {
    writeFileSync(join(dir, "file"), "");
    expect(() => openDirPath(fs, join(dir, "file", "x"), { policy: followTrustedLinks })).toThrow(`${join(dir, "file")} exists and is not a directory`);
    symlinkSync("loop", join(dir, "loop"));
    expect(() => openDirPath(fs, join(dir, "loop"), { policy: followTrustedLinks })).toThrow(/too many levels of symbolic links/);
  });

  test("beneath a directory, even our own link is refused, and .. is not allowed", () => {
    symlinkSync("real", join(dir, "rel"));
    const base = openDirPath(fs, dir, { policy: followTrustedLinks })!;
    try {
      expect(() => openDirBeneath(base, "rel/sub")).toThrow(`${join(dir, "rel")} is a symbolic link foyer does not follow`);
      expect(() => openDirBeneath(base, "real/../real")).toThrow(/leaves its directory/);
      const sub = openDirBeneath(base, "real/sub")!;
      expect(sub.path).toBe(join(dir, "real", "sub"));
      sub.close();
    } finally {
      base.close();
    }
  });
});
