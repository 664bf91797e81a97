// The executor against real files in temp dirs, as root: idempotence per action kind (mtimes kept),
// modes and owners, the all-or-nothing preflight, and atomic replacement when a syscall fails.
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import * as realFsModule from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { ConfigError, ExitCode } from "../../../src/errors.js";
import { Redactor } from "../../../src/log/index.js";
import { filesDatabase, runAsSync } from "../../../src/identity/index.js";
import { applyPlan, formatPlan, observe, readTemplateFiles, renderTo, type Action, type FsOps } from "../../../src/plan/index.js";

// commands run the way programs do: through the binary's exec-as (so they see the host's NSS)
const runAs = runAsSync([join(__dirname, "../../../dist/foyer")]);
const users = filesDatabase("root:x:0:0::/root:/bin/sh\nsvc:x:1234:1234::/home/svc:/bin/sh\n", "root:x:0:\nsvc:x:1234:\ndata:x:2345:svc\n");
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "foyer-exec-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const p = (...parts: string[]) => join(dir, ...parts);
const mtime = (path: string) => lstatSync(path, { bigint: true }).mtimeNs;
const modeOf = (path: string) => lstatSync(path).mode & 0o7777;
const write = (path: string, content: string, extra: Partial<Action> = {}): Action =>
  ({ kind: "write-file", path, reason: "test", content, mode: 0o644, secret: false, ...extra }) as Action;

/** Apply twice; the second apply must change nothing and keep every mtime. */
function applyTwice(actions: Action[], paths: string[]) {
  const first = applyPlan(actions, { users });
  const before = paths.map(mtime);
  const second = applyPlan(actions, { users });
  expect(second.changed).toEqual([]);
  expect(second.unchanged).toHaveLength(actions.length);
  expect(paths.map(mtime)).toEqual(before);
  return first;
}

describe("idempotence per action kind (second apply: nothing changed, mtimes kept)", () => {
  test("write-file, with owner and mode set before it appears", () => {
    const f = p("etc", "rstudio", "rserver.conf");
    const first = applyTwice([write(f, "www-port=8787\n", { mode: 0o640, owner: "svc:data" })], [f]);
    expect(first.changed).toEqual([f]);
    expect(readFileSync(f, "utf8")).toBe("www-port=8787\n");
    expect(statSync(f)).toMatchObject({ uid: 1234, gid: 2345 });
    expect(modeOf(f)).toBe(0o640);
  });

  test("ensure-dir (mode set exactly, despite the umask)", () => {
    const d = p("var", "run", "rstudio-server");
    const old = process.umask(0o077);
    try {
      applyTwice([{ kind: "ensure-dir", path: d, reason: "t", mode: 0o1777, owner: "svc" }], [d]);
    } finally {
      process.umask(old);
    }
    expect(modeOf(d)).toBe(0o1777);
    expect(statSync(d)).toMatchObject({ uid: 1234, gid: 1234 });
  });

  test("symlink", () => {
    const l = p("current");
    applyTwice([{ kind: "symlink", path: l, reason: "t", target: "/opt/R/4.4" }], [l]);
    expect(readlinkSync(l)).toBe("/opt/R/4.4");
  });

  test("chown (recursive) and chmod", () => {
    mkdirSync(p("home", "sub"), { recursive: true });
    writeFileSync(p("home", "sub", "f"), "x");
    const actions: Action[] = [
      { kind: "chown", path: p("home"), reason: "t", owner: "1234:1234", recursive: true },
      { kind: "chmod", path: p("home", "sub", "f"), reason: "t", mode: 0o600 },
    ];
    const first = applyTwice(actions, [p("home"), p("home", "sub"), p("home", "sub", "f")]);
    expect(first.changed).toEqual([p("home"), p("home", "sub", "f")]);
    for (const q of [p("home"), p("home", "sub"), p("home", "sub", "f")]) expect(statSync(q).uid).toBe(1234);
    expect(modeOf(p("home", "sub", "f"))).toBe(0o600);
  });

  test("merge-json keeps the user's keys and rewrites nothing once merged", () => {
    const f = p("settings", "overrides.json");
    mkdirSync(p("settings"));
    writeFileSync(f, '{ "theme": "dark", // mine\n "favorites": [] }');
    applyTwice([{ kind: "merge-json", path: f, reason: "t", patch: { favorites: [{ path: "work" }] }, mode: 0o644, secret: false }], [f]);
    expect(JSON.parse(readFileSync(f, "utf8"))).toEqual({ theme: "dark", favorites: [{ path: "work" }] });
  });

  test("run-command-as-user runs once as the user, through exec-as (creates marks it done)", () => {
    chmodSync(dir, 0o755); // mkdtemp makes it 0700
    mkdirSync(p("work"));
    chmodSync(p("work"), 0o777);
    const out = p("work", "who");
    const script = `echo "$(id -u) $(id -g) $(id -G) $HOME $(pwd) $GREETING \${SECRET_OF_FOYER:-none}" > ${out}`;
    // 4242 has no passwd entry: gid 0 and HOME=/, like a program with user: 4242 and a file owner 4242
    const cmd: Action = { kind: "run-command-as-user", path: p("work"), reason: "t", argv: ["sh", "-c", script], user: "4242", env: { GREETING: "hi" }, creates: out };
    process.env.SECRET_OF_FOYER = "leaked";
    try {
      const first = applyPlan([cmd], { users, runAs });
      expect(first.changed).toEqual([p("work")]);
      expect(applyPlan([cmd], { users, runAs }).changed).toEqual([]);
    } finally {
      delete process.env.SECRET_OF_FOYER;
    }
    expect(readFileSync(out, "utf8")).toBe(`4242 0 0 / ${p("work")} hi none\n`);
    expect(statSync(out).uid).toBe(4242);
    expect(statSync(out).gid).toBe(0);
  });
});

test("a failing command with `otherwise` makes that link instead (parent made, nothing followed) and the apply goes on; a path taken stops it", () => {
  const link = { kind: "symlink" as const, path: p("home", "ada", "jovyan"), target: "/home/jovyan", reason: "t", source: "env NB_USER" };
  const cmd: Action = { kind: "run-command-as-user", path: "/", reason: "t", source: "env NB_USER", argv: ["sh", "-c", "exit 1"], user: "0", env: {}, creates: p("home", "ada"), otherwise: link };
  const seen: string[] = [];
  const r = applyPlan([cmd, write(p("after.conf"), "x\n")], { users, runAs, onAction: (_a, v) => seen.push(...v.changes) });
  expect(readlinkSync(link.path)).toBe("/home/jovyan");
  expect(statSync(p("home", "ada")).mode & 0o7777).toBe(0o755);
  expect(r.changed).toContain(p("after.conf"));
  expect(seen.join("\n")).toContain(`command "sh" as 0 failed: exit code 1; linked ${link.path} → /home/jovyan instead`);
  // `ln -s` refuses a path that is there: so does the fallback
  rmSync(p("home", "ada"), { recursive: true });
  mkdirSync(link.path, { recursive: true });
  const again: Action = { ...cmd, creates: undefined };
  expect(() => applyPlan([again], { users, runAs })).toThrow(`env NB_USER: command "sh" as 0 failed: exit code 1, and ${link.path} exists: no link made`);
});

test("a failing command stops the apply with its exit code", () => {
  const cmd: Action = { kind: "run-command-as-user", path: "/", reason: "t", source: "home.venv", argv: ["sh", "-c", "exit 3"], user: "0", env: {} };
  expect(() => applyPlan([cmd], { users, runAs })).toThrow('home.venv: command "sh" as 0 failed: exit code 3');
});

describe("changes are minimal", () => {
  test("same bytes, new mode/owner: replaced atomically with the new mode and owner", () => {
    const f = p("a.conf");
    applyPlan([write(f, "x=1\n")], { users });
    const inode = statSync(f).ino;
    const r = applyPlan([write(f, "x=1\n", { mode: 0o600, owner: "svc" })], { users });
    expect(r.changed).toEqual([f]);
    expect(statSync(f).ino).not.toBe(inode); // a new file renamed into place, not a chmod in place
    expect(modeOf(f)).toBe(0o600);
    expect(statSync(f).uid).toBe(1234);
    expect(readFileSync(f, "utf8")).toBe("x=1\n");
  });

  test("a symlink at a file's path is replaced, and its target is left alone", () => {
    writeFileSync(p("victim"), "do not touch\n");
    symlinkSync(p("victim"), p("link.conf"));
    applyPlan([write(p("link.conf"), "mine\n")], { users });
    expect(lstatSync(p("link.conf")).isFile()).toBe(true);
    expect(readFileSync(p("victim"), "utf8")).toBe("do not touch\n");
  });

  test("recursive chown never follows a symlink out of the tree", () => {
    mkdirSync(p("home"));
    writeFileSync(p("outside"), "root's");
    symlinkSync(p("outside"), p("home", "escape"));
    applyPlan([{ kind: "chown", path: p("home"), reason: "t", owner: "svc", recursive: true }], { users });
    expect(statSync(p("outside")).uid).toBe(0);
    expect(lstatSync(p("home", "escape")).uid).toBe(1234);
  });

  test("ensure-dir accepts a link to a directory (a mounted config dir) without touching its target", () => {
    mkdirSync(p("mnt"), { mode: 0o700 });
    chmodSync(p("mnt"), 0o700);
    symlinkSync(p("mnt"), p("etc-rstudio"));
    const r = applyPlan([{ kind: "ensure-dir", path: p("etc-rstudio"), reason: "t", mode: 0o755, owner: "svc" }, write(p("etc-rstudio", "a.conf"), "a=1\n")], { users });
    expect(r.unchanged).toEqual([p("etc-rstudio")]);
    expect(modeOf(p("mnt"))).toBe(0o700);
    expect(statSync(p("mnt")).uid).toBe(0);
    expect(readFileSync(p("mnt", "a.conf"), "utf8")).toBe("a=1\n");
  });

  test("temp files left by a killed run are cleaned up on the next write", () => {
    writeFileSync(p(".x.conf.foyer-4194305-deadbeef.tmp"), "partial"); // a pid above pid_max: never alive
    mkdirSync(p(".d.foyer-4194305-0badf00d.tmp"));
    applyPlan([write(p("x.conf"), "full\n"), { kind: "ensure-dir", path: p("d"), reason: "t", mode: 0o755 }], { users });
    expect(readdirSync(dir).sort()).toEqual(["d", "x.conf"]);
  });
});

describe("preflight: a bad plan writes nothing (ConfigError, exit 78)", () => {
  const expectNothingWritten = (actions: Action[], message: RegExp) => {
    let err: unknown;
    try {
      applyPlan(actions, { users });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).exitCode).toBe(ExitCode.config);
    expect((err as ConfigError).message).toMatch(message);
    expect(readdirSync(dir)).toEqual([]);
  };

  test("an owner that does not exist", () => {
    expectNothingWritten([write(p("first"), "1"), write(p("second"), "2", { owner: "ghost", source: "files[1]" })], /user "ghost" does not exist[\s\S]*files\[1\]\.owner/);
  });
  test("a mode that is not allowed", () => expectNothingWritten([write(p("first"), "1"), write(p("suid"), "2", { mode: 0o4755 })], /setuid/));
  test("a path traversal", () => expectNothingWritten([write(p("first"), "1"), write(`${dir}/../escape`, "2")], /traversal/));
  test("a directory where a file should go", () => {
    mkdirSync(p("taken"));
    let err: unknown;
    try {
      applyPlan([write(p("first"), "1"), write(p("taken"), "2")], { users });
    } catch (e) {
      err = e;
    }
    expect((err as ConfigError).exitCode).toBe(78);
    expect(readdirSync(dir)).toEqual(["taken"]);
  });
  test("chown/chmod of a path nothing creates is refused; of one an earlier action creates, accepted", () => {
    expect(() => applyPlan([write(p("x"), "1"), { kind: "chmod", path: p("nowhere", "y"), reason: "t", mode: 0o600 }], { users })).toThrow(/does not exist/);
    expect(readdirSync(dir)).toEqual([]);
    const r = applyPlan([{ kind: "ensure-dir", path: p("new"), reason: "t", mode: 0o755 }, { kind: "chown", path: p("new"), reason: "t", owner: "svc", recursive: false }, { kind: "chmod", path: p("new"), reason: "t", mode: 0o700 }], { users });
    expect(r.changed).toEqual([p("new"), p("new"), p("new")]);
    expect(statSync(p("new")).uid).toBe(1234);
    expect(modeOf(p("new"))).toBe(0o700);
  });

  test("a file where a parent directory should be", () => {
    writeFileSync(p("etc"), "a file, not a dir");
    let err: unknown;
    try {
      applyPlan([write(p("first"), "1"), write(p("etc", "rstudio", "rserver.conf"), "2", { source: "config.server.rserver.conf" })], { users });
    } catch (e) {
      err = e;
    }
    expect((err as ConfigError).issues).toEqual([{ path: "config.server.rserver.conf", message: `cannot create ${p("etc", "rstudio", "rserver.conf")}: ${p("etc")} exists and is not a directory` }]);
    expect(readdirSync(dir)).toEqual(["etc"]);
  });

  test("an existing JSON file that cannot be parsed is not merged into", () => {
    writeFileSync(p("bad.json"), "{ nope");
    expect(() => applyPlan([{ kind: "merge-json", path: p("bad.json"), reason: "t", patch: { a: 1 }, mode: 0o644, secret: false }], { users })).toThrow(/not valid JSON/);
    expect(readFileSync(p("bad.json"), "utf8")).toBe("{ nope");
  });
});

describe("atomic replacement when a syscall fails", () => {
  const failing = (name: keyof FsOps): FsOps => ({
    ...realFsModule,
    [name]: () => {
      throw Object.assign(new Error(`injected ${name} failure`), { code: "EIO" });
    },
  });

  test.each(["renameSync", "fsyncSync", "writeSync", "fchmodSync", "fchownSync"] as const)("%s fails: the old file stays whole and no temp is left", (name) => {
    const f = p("rserver.conf");
    writeFileSync(f, "old=1\n", { mode: 0o644 });
    expect(() => applyPlan([write(f, "new=2\n", { mode: 0o600, owner: "svc" })], { users, fs: failing(name) })).toThrow(`injected ${name} failure`);
    expect(readFileSync(f, "utf8")).toBe("old=1\n");
    expect(modeOf(f)).toBe(0o644);
    expect(readdirSync(dir)).toEqual(["rserver.conf"]);
  });
});

test("a system error mid-apply names the action and what was already changed (exit 70, no stack)", () => {
  let opens = 0;
  const fs: FsOps = {
    ...realFsModule,
    openSync: ((...args: Parameters<typeof realFsModule.openSync>) => {
      if (String(args[0]).includes(".second.") && ++opens > 0) throw Object.assign(new Error("ENOSPC: no space left on device"), { code: "ENOSPC" });
      return realFsModule.openSync(...args);
    }) as FsOps["openSync"],
  };
  let err: unknown;
  try {
    applyPlan([write(p("first"), "1"), write(p("second"), "2")], { users, fs });
  } catch (e) {
    err = e;
  }
  expect((err as Error).message).toBe(`cannot apply write-file ${p("second")}: ENOSPC: no space left on device (after 1 change(s): ${p("first")})`);
  expect((err as { exitCode: number }).exitCode).toBe(ExitCode.internal);
  expect(readdirSync(dir)).toEqual(["first"]);
});

test("each directory is fsynced once per apply, after its renames", () => {
  const synced: string[] = [];
  const fs: FsOps = {
    ...realFsModule,
    fsyncSync: (fd: number) => {
      if (realFsModule.fstatSync(fd).isDirectory()) synced.push(realFsModule.readlinkSync(`/proc/self/fd/${fd}`));
      realFsModule.fsyncSync(fd);
    },
  };
  applyPlan([write(p("a", "1"), "1"), write(p("a", "2"), "2"), write(p("b", "3"), "3"), write(p("a", "4"), "4")], { users, fs });
  expect(synced.sort()).toEqual([p("a"), p("b")]);
});

describe("observe, plan printing, render --out, template files", () => {
  test("after apply, the plan printed against the disk says every action is unchanged", () => {
    const actions: Action[] = [{ kind: "ensure-dir", path: p("etc"), reason: "t", mode: 0o755 }, write(p("etc", "a.conf"), "a=1\n", { owner: "svc" })];
    applyPlan(actions, { users });
    const text = formatPlan(actions, new Redactor(), observe(actions, users));
    expect(text.trimEnd().split("\n").at(-1)).toBe("2 actions (2 unchanged)");
  });

  test("renderTo mirrors absolute paths under DIR with modes, and can mask secrets", () => {
    const r = new Redactor();
    r.add("db", "hunter2");
    const out = p("out");
    const res = renderTo([write("/etc/rstudio/database.conf", "password=hunter2\n", { mode: 0o600, secret: true }), { kind: "ensure-dir", path: "/x", reason: "t", mode: 0o755 }], out, { redactor: r });
    expect(res.written).toEqual([join(out, "etc/rstudio/database.conf")]);
    expect(readFileSync(join(out, "etc/rstudio/database.conf"), "utf8")).toBe("password=<secret:db>\n");
    expect(modeOf(join(out, "etc/rstudio/database.conf"))).toBe(0o600);
    expect(existsSync(join(out, "x"))).toBe(false);
  });

  test("readTemplateFiles reports unreadable files by reason", () => {
    writeFileSync(p("t.tpl"), "hello {{env 'USER'}}");
    mkdirSync(p("adir"));
    const r = readTemplateFiles([p("t.tpl"), p("missing.tpl"), p("adir")]);
    expect(r.get(p("t.tpl"))).toEqual({ ok: true, content: "hello {{env 'USER'}}" });
    expect(r.get(p("missing.tpl"))).toEqual({ ok: false, error: "no such file" });
    expect(r.get(p("adir"))).toEqual({ ok: false, error: "it is a directory, not a regular file" });
  });
});
