// `foyer render --out DIR` through the binary, as root, with an attacker (uid 65534) who owns things
// in and around DIR: links at the file, at a directory beneath DIR, at DIR itself and on the way to
// it, a FIFO where a file goes, a file of theirs at the target, and pseudo filesystems as DIR.
// Each refusal is exit 78 with the path named and nothing written anywhere.
import { spawnSync } from "node:child_process";
import { chmodSync, closeSync, existsSync, lchownSync, lstatSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync, chownSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const FOYER = join(__dirname, "../../../dist/foyer");
const ATTACKER = 65534;
const SECRET = "pa55-w0rd-for-db";
let dir = "";
let spec = "";
let victim = ""; // a root file the attacker wants overwritten, chmodded or read
let victimDir = ""; // a root directory the attacker wants files planted in

function render(out: string, ...extra: string[]) {
  const r = spawnSync(FOYER, ["render", "--spec", spec, "--out", out, ...extra], {
    encoding: "utf8",
    timeout: 20_000, // the old code hung on a FIFO and spun on /proc/self: a timeout shows as status null
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", DB_PASSWORD: SECRET },
  });
  return { status: r.status, out: r.stdout + r.stderr };
}

/** Something owned by the attacker (a link itself, not its target). */
const own = (path: string) => lchownSync(path, ATTACKER, ATTACKER);
const modeOf = (path: string) => lstatSync(path).mode & 0o7777;

function expectVictimsUntouched() {
  expect(readFileSync(victim, "utf8")).toBe("root only\n");
  expect(modeOf(victim)).toBe(0o600);
  expect(statSync(victim).uid).toBe(0);
  expect(readdirSync(victimDir)).toEqual([]);
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "foyer-render-"));
  chmodSync(dir, 0o755);
  victim = join(dir, "victim.conf");
  writeFileSync(victim, "root only\n", { mode: 0o600 });
  victimDir = join(dir, "victim-dir");
  mkdirSync(victimDir, { mode: 0o755 });
  spec = join(dir, "spec.yaml");
  writeFileSync(
    spec,
    `secrets:
  db: { env: DB_PASSWORD }
files:
  - path: /etc/app/db.conf
    template: "password={{secret 'db'}}\\n"
    mode: "0640"
  - path: /etc/app/plain.conf
    content: "x=1\\n"
`,
  );
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("render --out writes only real files beneath DIR", () => {
  it("makes an absent DIR; a secret file with real values is 0600 and the caller's, a plain one keeps its mode", () => {
    const out = join(dir, "new", "out");
    const r = render(out);
    expect(r.status, r.out).toBe(0);
    expect(readFileSync(join(out, "etc/app/db.conf"), "utf8")).toBe(`password=${SECRET}\n`);
    expect(modeOf(join(out, "etc/app/db.conf"))).toBe(0o600); // planned 0640: the group would be the caller's
    expect(statSync(join(out, "etc/app/db.conf"))).toMatchObject({ uid: 0, gid: 0 });
    expect(modeOf(join(out, "etc/app/plain.conf"))).toBe(0o644);
    expect(r.out).not.toContain(SECRET);
  });

  it("with --redact, the planned mode is kept and no secret is written", () => {
    const out = join(dir, "out");
    expect(render(out, "--redact").status).toBe(0);
    expect(readFileSync(join(out, "etc/app/db.conf"), "utf8")).toBe("password=<secret:db>\n");
    expect(modeOf(join(out, "etc/app/db.conf"))).toBe(0o640);
  });

  it("a file of the attacker's at the target is replaced by a new root file: their open fd never sees the secret", () => {
    const out = join(dir, "out");
    mkdirSync(join(out, "etc/app"), { recursive: true });
    own(join(out, "etc/app")); // e.g. left from an earlier, shared render
    const target = join(out, "etc/app/db.conf");
    writeFileSync(target, "theirs\n", { mode: 0o666 });
    chmodSync(target, 0o666);
    own(target);
    const theirFd = openSync(target, "r");
    try {
      const r = render(out);
      expect(r.status, r.out).toBe(0);
      const buf = Buffer.alloc(100);
      expect(buf.toString("utf8", 0, readSync(theirFd, buf, 0, 100, 0))).toBe("theirs\n");
    } finally {
      closeSync(theirFd);
    }
    expect(readFileSync(target, "utf8")).toBe(`password=${SECRET}\n`);
    expect(statSync(target).uid).toBe(0);
    expect(modeOf(target)).toBe(0o600);
  });
});

describe("render --out refuses, naming the path, exit 78, nothing written", () => {
  /** Refused with `mention` in the message; no rendered file anywhere, victims intact. */
  function expectRefused(out: string, mention: string) {
    const r = render(out);
    expect(r.status, r.out).toBe(78);
    expect(r.out).toContain(mention);
    expect(r.out).not.toMatch(/\n\s+at /); // no stack trace
    expect(r.out).not.toContain(SECRET);
    expectVictimsUntouched();
    return r;
  }

  it("a link planted at a file's place (in a directory the attacker owns)", () => {
    const out = join(dir, "out");
    mkdirSync(join(out, "etc/app"), { recursive: true });
    own(join(out, "etc/app"));
    symlinkSync(victim, join(out, "etc/app/db.conf"));
    own(join(out, "etc/app/db.conf"));
    expectRefused(out, `${out}/etc/app/db.conf is a symbolic link`);
    expect(existsSync(join(out, "etc/app/plain.conf"))).toBe(false);
  });

  it("a link at a directory beneath DIR, even one root made: nothing beneath DIR is followed", () => {
    const out = join(dir, "out");
    mkdirSync(out);
    symlinkSync(victimDir, join(out, "etc"));
    expectRefused(out, `${out}/etc is a symbolic link foyer does not follow`);
  });

  it("DIR itself a link (the attacker's, or root's)", () => {
    const attackers = join(dir, "tmp-out");
    symlinkSync(victimDir, attackers);
    own(attackers);
    expectRefused(attackers, `${attackers} is a symbolic link`);
    const roots = join(dir, "root-out");
    symlinkSync(victimDir, roots);
    expectRefused(roots, `${roots} is a symbolic link`);
  });

  it("an attacker's link on the way to DIR", () => {
    const shared = join(dir, "shared");
    mkdirSync(shared, { mode: 0o1777 });
    chmodSync(shared, 0o1777); // like /tmp
    symlinkSync(dir, join(shared, "project"));
    own(join(shared, "project"));
    // planted so that <shared>/project/victim-dir/out would land in a root directory
    expectRefused(join(shared, "project", "victim-dir", "out"), `${shared}/project is a symbolic link foyer does not follow: it belongs to uid ${ATTACKER}`);
  });

  it("a DIR others can write, or that belongs to someone else", () => {
    const open = join(dir, "open");
    mkdirSync(open);
    chmodSync(open, 0o777);
    expectRefused(open, `${open} is writable by group or others`);
    expect(readdirSync(open)).toEqual([]);
    const theirs = join(dir, "theirs");
    mkdirSync(theirs);
    chownSync(theirs, ATTACKER, ATTACKER);
    expectRefused(theirs, `${theirs} belongs to uid ${ATTACKER}`);
    expect(readdirSync(theirs)).toEqual([]);
  });

  it("run by a user, a DIR of root's they cannot write: refused up front (exit 78), not an exit 70 at the first mkdir", () => {
    const rootDir = join(dir, "roots");
    mkdirSync(rootDir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    const plain = join(dir, "plain.yaml");
    writeFileSync(plain, `files:\n  - { path: /etc/app/app.conf, content: "x\\n" }\n`, { mode: 0o644 });
    const r = spawnSync("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", FOYER, "render", "--spec", plain, "--out", rootDir], { encoding: "utf8", timeout: 20_000 });
    expect(r.status, r.stderr).toBe(78);
    expect(r.stderr).toContain(`${rootDir} belongs to root and only root can write in it: --out must be a directory you can write, or absent`);
    expect(readdirSync(rootDir)).toEqual([]);
  });

  it("a FIFO where a file goes (the old code blocked forever opening it)", () => {
    const out = join(dir, "out");
    mkdirSync(join(out, "etc/app"), { recursive: true });
    const mk = spawnSync("mkfifo", [join(out, "etc/app/db.conf")]);
    expect(mk.status).toBe(0);
    expectRefused(out, `${out}/etc/app/db.conf is a FIFO`);
    expect(readdirSync(join(out, "etc/app"))).toEqual(["db.conf"]);
  });

  it("a directory where a file goes", () => {
    const out = join(dir, "out");
    mkdirSync(join(out, "etc/app/db.conf"), { recursive: true });
    expectRefused(out, `${out}/etc/app/db.conf is a directory`);
    expect(readdirSync(join(out, "etc/app"))).toEqual(["db.conf"]);
  });

  it.each(["/proc/self", "/proc/self/fd", "/sys/kernel"])("%s (the old code spun forever on /proc/self)", (out) => {
    const r = render(out);
    expect(r.status, r.out).toBe(78);
    expect(r.out).toContain(out);
  });
});

it("a link root owns on the way to DIR, in a directory only root can write, is followed", () => {
  mkdirSync(join(dir, "real"));
  symlinkSync(join(dir, "real"), join(dir, "alias"));
  const r = render(join(dir, "alias", "out"));
  expect(r.status, r.out).toBe(0);
  expect(readFileSync(join(dir, "real", "out", "etc/app/plain.conf"), "utf8")).toBe("x=1\n");
});
