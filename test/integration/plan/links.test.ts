// Writes foyer makes under directories someone else can write: `foyer init` through the binary with
// an attacker (uid 65534) who owns a home directory and plants links in it, and the executor's
// chown/chmod/write against a directory swapped for a link in the middle of the operation (the swap
// is made by the FsOps wrapper at a chosen call, so the race is hit every time, without sleeping).
import { spawnSync } from "node:child_process";
import * as realFsModule from "node:fs";
import { chmodSync, chownSync, lchownSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigError } from "../../../src/errors.js";
import { followTrustedLinks, openDirPath } from "../../../src/fs/index.js";
import { applyPlan, type Action, type FsOps } from "../../../src/plan/index.js";
import { filesDatabase } from "../../../src/identity/index.js";

const FOYER = join(__dirname, "../../../dist/foyer");
const ATTACKER = 65534;
const users = filesDatabase("root:x:0:0::/root:/bin/sh\nsvc:x:1234:1234::/home/svc:/bin/sh\n", "root:x:0:\nsvc:x:1234:\n");
let dir = "";
let home = ""; // the attacker's home: they can create, rename and link anything in it
let victim = "";
let victimDir = "";

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "foyer-links-"));
  chmodSync(dir, 0o755);
  home = join(dir, "home", "alice");
  mkdirSync(home, { recursive: true });
  chownSync(home, ATTACKER, ATTACKER);
  victim = join(dir, "shadow");
  writeFileSync(victim, "root:secret-hash:\n", { mode: 0o600 });
  victimDir = join(dir, "etc");
  mkdirSync(victimDir);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const own = (path: string) => lchownSync(path, ATTACKER, ATTACKER);
const modeOf = (path: string) => lstatSync(path).mode & 0o7777;
function expectVictimsUntouched() {
  expect(readFileSync(victim, "utf8")).toBe("root:secret-hash:\n");
  expect(statSync(victim)).toMatchObject({ uid: 0, gid: 0 });
  expect(modeOf(victim)).toBe(0o600);
  expect(readdirSync(victimDir)).toEqual([]);
}

function init(files: { path: string; content: string; mode?: string }[], extra = "") {
  const spec = join(dir, "spec.yaml");
  const body = files.map((f) => `  - path: ${f.path}\n    content: ${JSON.stringify(f.content)}\n    owner: "${ATTACKER}:${ATTACKER}"\n${f.mode ? `    mode: "${f.mode}"\n` : ""}`).join("");
  writeFileSync(spec, `${extra}${files.length ? `files:\n${body}` : ""}`);
  const r = spawnSync(FOYER, ["init", "--spec", spec], { encoding: "utf8", timeout: 20_000, env: { PATH: process.env.PATH ?? "/usr/bin:/bin" } });
  return { status: r.status, out: r.stdout + r.stderr };
}

describe("foyer init in a home the user controls", () => {
  it("~/.bashrc -> the victim: the link is replaced, the victim is left untouched", () => {
    symlinkSync(victim, join(home, ".bashrc"));
    own(join(home, ".bashrc"));
    const r = init([{ path: join(home, ".bashrc"), content: "export A=1\n" }]);
    expect(r.status, r.out).toBe(0);
    expect(lstatSync(join(home, ".bashrc")).isFile()).toBe(true);
    expect(readFileSync(join(home, ".bashrc"), "utf8")).toBe("export A=1\n");
    expectVictimsUntouched();
  });

  it("a FIFO at ~/.bashrc is replaced without being opened (no hang)", () => {
    expect(spawnSync("mkfifo", [join(home, ".bashrc")]).status).toBe(0);
    const r = init([{ path: join(home, ".bashrc"), content: "export A=1\n" }]);
    expect(r.status, r.out).toBe(0);
    expect(readFileSync(join(home, ".bashrc"), "utf8")).toBe("export A=1\n");
  });

  it("a huge sparse ~/.bashrc (1.5 GB, 3 GB) is replaced without being read: plan and init stay small and fast", () => {
    for (const size of ["1500M", "3G"]) {
      expect(spawnSync("truncate", ["-s", size, join(home, ".bashrc")]).status).toBe(0);
      own(join(home, ".bashrc"));
      const spec = join(dir, "spec.yaml");
      writeFileSync(spec, `files:\n  - path: ${home}/.bashrc\n    content: "export A=1\\n"\n    owner: "${ATTACKER}:${ATTACKER}"\n`);
      for (const cmd of ["plan", "init"]) {
        const r = spawnSync("/usr/bin/time", ["-f", "maxrss=%M", FOYER, cmd, "--spec", spec], { encoding: "utf8", timeout: 20_000 });
        expect(r.status, r.stderr).toBe(0);
        if (cmd === "plan") expect(r.stdout).toMatch(/~ write-file \S+\.bashrc: update: content changed/);
        const kb = Number(/maxrss=(\d+)/.exec(r.stderr)![1]);
        expect(kb / 1024, `${cmd} over a ${size} file`).toBeLessThan(250);
      }
      expect(readFileSync(join(home, ".bashrc"), "utf8")).toBe("export A=1\n");
    }
  });

  it("~/.config -> a root directory: refused before any write (exit 78), naming the link", () => {
    symlinkSync(victimDir, join(home, ".config"));
    own(join(home, ".config"));
    const r = init([
      { path: join(home, "first.conf"), content: "1\n" },
      { path: join(home, ".config", "app", "settings.conf"), content: "a=1\n" },
    ]);
    expect(r.status, r.out).toBe(78);
    expect(r.out).toContain(`${home}/.config is a symbolic link foyer does not follow: it belongs to uid ${ATTACKER}`);
    expect(readdirSync(home)).toEqual([".config"]); // first.conf was not written either
    expectVictimsUntouched();
  });

  it("a root-owned link the user moved into their home is not followed either (the directory holding it is theirs)", () => {
    symlinkSync(victimDir, join(dir, "roots-link"));
    renameSync(join(dir, "roots-link"), join(home, ".local"));
    expect(lstatSync(join(home, ".local")).uid).toBe(0);
    const r = init([{ path: join(home, ".local", "x.conf"), content: "x\n" }]);
    expect(r.status, r.out).toBe(78);
    expect(r.out).toContain(`${home}/.local is a symbolic link foyer does not follow: the directory holding it belongs to uid ${ATTACKER}`);
    expectVictimsUntouched();
  });

  it("config.dir linked by the user: refused, not accepted as a mounted config dir", () => {
    symlinkSync(victimDir, join(home, "conf"));
    own(join(home, "conf"));
    const r = init([], `config:\n  dir: ${join(home, "conf")}\n  server:\n    rserver.conf: { www-port: 8787 }\n`);
    expect(r.status, r.out).toBe(78);
    expect(r.out).toContain(`${home}/conf is a symbolic link foyer does not follow`);
    expectVictimsUntouched();
  });

  it("links root made where only root can write are followed (/var/run -> /run style, a mounted config dir)", () => {
    mkdirSync(join(dir, "volume"));
    symlinkSync(join(dir, "volume"), join(dir, "conf-link"));
    mkdirSync(join(dir, "sticky"), { mode: 0o1777 });
    chmodSync(join(dir, "sticky"), 0o1777);
    symlinkSync("../volume", join(dir, "sticky", "rel-link")); // root's link in a sticky dir: only root can replace it
    const r = init([
      { path: join(dir, "conf-link", "a.conf"), content: "a\n" },
      { path: join(dir, "sticky", "rel-link", "b.conf"), content: "b\n" },
    ]);
    expect(r.status, r.out).toBe(0);
    expect(readdirSync(join(dir, "volume")).sort()).toEqual(["a.conf", "b.conf"]);
  });

  it("a root link in a directory group members can write is not followed", () => {
    mkdirSync(join(dir, "team"), { mode: 0o775 });
    chmodSync(join(dir, "team"), 0o775);
    symlinkSync(victimDir, join(dir, "team", "conf"));
    const r = init([{ path: join(dir, "team", "conf", "x.conf"), content: "x\n" }]);
    expect(r.status, r.out).toBe(78);
    expect(r.out).toContain(`${dir}/team/conf is a symbolic link foyer does not follow: the directory holding it is writable by group or others`);
    expectVictimsUntouched();
  });
});

/** An FsOps that, at the first call of one of `ops` matching `when`, swaps `swapped` for a link to `to`. */
function swapOnce(ops: (keyof FsOps)[], when: (path: string) => boolean, swapped: string, to: string): FsOps {
  let done = false;
  const wrap = (op: keyof FsOps) => {
    const real = realFsModule[op] as (...a: unknown[]) => unknown;
    return (...args: unknown[]) => {
      const p = String(args[0]);
      const shown = p.startsWith("/proc/self/fd/") ? p.replace(/^\/proc\/self\/fd\/(\d+)/, (_, fd: string) => realFsModule.readlinkSync(`/proc/self/fd/${fd}`)) : p;
      if (!done && when(shown)) {
        done = true;
        renameSync(swapped, `${swapped}.moved`);
        symlinkSync(to, swapped);
        own(swapped);
      }
      return real(...args);
    };
  };
  return { ...realFsModule, ...Object.fromEntries(ops.map((op) => [op, wrap(op)])) } as FsOps;
}

describe("a directory swapped for a link in the middle of an action", () => {
  it("recursive chown: the walk stays in the tree it opened (the old code chowned the victim)", () => {
    mkdirSync(join(home, "data"));
    writeFileSync(join(home, "data", "f"), "mine");
    writeFileSync(join(victimDir, "passwd"), "root:x:0:0\n");
    const fs = swapOnce(["readdirSync"], (p) => p === join(home, "data"), join(home, "data"), victimDir);
    applyPlan([{ kind: "chown", path: home, reason: "t", owner: "svc", recursive: true }], { users, fs });
    expect(statSync(join(victimDir, "passwd")).uid).toBe(0);
    expect(statSync(join(home, "data.moved", "f")).uid).toBe(1234);
  });

  it("chmod: acts on the file it opened, never through the link (the old code chmodded the victim)", () => {
    mkdirSync(join(home, "data"));
    writeFileSync(join(home, "data", "f"), "mine", { mode: 0o644 });
    mkdirSync(join(dir, "victim-data"));
    writeFileSync(join(dir, "victim-data", "f"), "root's", { mode: 0o600 });
    const fs = swapOnce(["chmodSync"], () => true, join(home, "data"), join(dir, "victim-data"));
    applyPlan([{ kind: "chmod", path: join(home, "data", "f"), reason: "t", mode: 0o640 }], { users, fs });
    expect(modeOf(join(dir, "victim-data", "f"))).toBe(0o600);
    expect(modeOf(join(home, "data.moved", "f"))).toBe(0o640);
  });

  it("write-file: the temp file and rename stay in the directory walked to (the old code wrote into the victim dir)", () => {
    mkdirSync(join(home, ".config"));
    own(join(home, ".config"));
    const isTemp = (p: string) => p.includes(".app.conf.foyer-");
    const fs = swapOnce(["openSync"], isTemp, join(home, ".config"), victimDir);
    applyPlan([{ kind: "write-file", path: join(home, ".config", "app.conf"), reason: "t", content: "a=1\n", mode: 0o644, secret: false }], { users, fs });
    expect(readdirSync(victimDir)).toEqual([]);
    expect(readFileSync(join(home, ".config.moved", "app.conf"), "utf8")).toBe("a=1\n");
  });

  it("merge-json: a settings file swapped for a link to a root-only JSON file is never read through (the old code merged it into the user's file)", () => {
    const target = join(home, "overrides.json");
    writeFileSync(target, '{ "theme": "dark" }');
    own(target);
    const rootJson = join(dir, "root-secrets.json");
    writeFileSync(rootJson, '{ "token": "root-only-token" }', { mode: 0o600 });
    let reads = 0;
    // the second read is the executor's own observation, right before it writes
    const fs = swapOnce(["openSync", "readFileSync"], (p) => p === target && ++reads === 2, target, rootJson);
    expect(() => applyPlan([{ kind: "merge-json", path: target, reason: "t", patch: { favorites: [] }, mode: 0o644, secret: false }], { users, fs })).toThrow(/ELOOP/);
    for (const n of readdirSync(home)) if (lstatSync(join(home, n)).isFile()) expect(readFileSync(join(home, n), "utf8")).not.toContain("root-only-token");
  });

  it("ensure-dir of an existing directory: its mode and owner change through its own fd, not a link", () => {
    mkdirSync(join(home, "work"), { mode: 0o755 });
    // the old code lchowned then chmodded the path: the swap lands between the two
    const fs = swapOnce(["openSync", "lchownSync"], (p) => p === join(home, "work"), join(home, "work"), victimDir);
    expect(() => applyPlan([{ kind: "ensure-dir", path: join(home, "work"), reason: "t", mode: 0o700, owner: "svc" }], { users, fs })).toThrow(`${home}/work is a symbolic link`);
    expect(modeOf(victimDir)).toBe(0o755);
    expect(statSync(victimDir).uid).toBe(0);
    expectVictimsUntouched();
  });
});

it("with fs.protected_hardlinks off, a chown -R does not reach a root file hard-linked into the tree", () => {
  realFsModule.linkSync(victim, join(home, "stolen"));
  const unprotected: FsOps = {
    ...realFsModule,
    readFileSync: ((path: string, ...rest: unknown[]) =>
      path === "/proc/sys/fs/protected_hardlinks" ? "0\n" : (realFsModule.readFileSync as (...a: unknown[]) => unknown)(path, ...rest)) as FsOps["readFileSync"],
  };
  expect(() => applyPlan([{ kind: "chown", path: home, reason: "t", owner: "svc", recursive: true }], { users, fs: unprotected })).toThrow(`${home}/stolen has 2 hard links and fs.protected_hardlinks is off`);
  expect(statSync(victim).uid).toBe(0);
});

it("without procfs at /proc, nothing is written and the message says why (exit 70)", () => {
  const noProc: FsOps = { ...realFsModule, statfsSync: ((p: string) => ({ ...realFsModule.statfsSync("/"), p })) as unknown as FsOps["statfsSync"] };
  let err: unknown;
  try {
    applyPlan([{ kind: "write-file", path: join(dir, "x.conf"), reason: "t", content: "x", mode: 0o644, secret: false }], { users, fs: noProc });
  } catch (e) {
    err = e;
  }
  expect((err as Error).message).toBe("/proc/self/fd is not procfs: foyer needs /proc mounted to write without following symbolic links");
  expect((err as { exitCode: number }).exitCode).toBe(70);
  expect(readdirSync(dir).sort()).toEqual(["etc", "home", "shadow"]);
});

describe("the executor's preflight reports every link it would have to cross, before writing", () => {
  it("exit 78 with each offending path; nothing written", () => {
    symlinkSync(victimDir, join(home, "a"));
    own(join(home, "a"));
    symlinkSync(victimDir, join(home, "b"));
    own(join(home, "b"));
    let err: unknown;
    try {
      applyPlan(
        [
          { kind: "write-file", path: join(dir, "ok.conf"), reason: "t", content: "x", mode: 0o644, secret: false },
          { kind: "write-file", path: join(home, "a", "x.conf"), reason: "t", source: "files[1]", content: "x", mode: 0o644, secret: false },
          { kind: "symlink", path: join(home, "b", "link"), reason: "t", source: "files[2]", target: "/x" },
        ] satisfies Action[],
        { users },
      );
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).issues.map((i) => i.path)).toEqual(["files[1]", "files[2]"]);
    expect(readdirSync(dir).sort()).toEqual(["etc", "home", "shadow"]);
    expect(readlinkSync(join(home, "a"))).toBe(victimDir);
    expectVictimsUntouched();
  });

  it("a link loop is an error, not a hang", () => {
    symlinkSync(join(dir, "loop-b"), join(dir, "loop-a"));
    symlinkSync(join(dir, "loop-a"), join(dir, "loop-b"));
    expect(() => openDirPath(realFsModule, join(dir, "loop-a", "x"), { policy: followTrustedLinks, create: 0o755 })).toThrow(`${dir}/loop-a has too many levels of symbolic links`);
    expect(() => applyPlan([{ kind: "write-file", path: join(dir, "loop-a", "x"), reason: "t", content: "x", mode: 0o644, secret: false }], { users })).toThrow(/ELOOP|too many levels/);
  });
});
