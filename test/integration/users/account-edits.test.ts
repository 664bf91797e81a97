// The account edits docker-stacks' start.sh needs (usermod --login --home, groupadd --force
// --non-unique, userdel + useradd) made by foyer's one account writer must leave the same files as
// the real shadow-utils: both run on copies of the same Debian /etc, and the texts are compared
// (shadow's last-change day aside, which useradd takes from its own clock).
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, statSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { applyAccountEdits } from "../../../src/users/local-files.js";
import type { AccountEdit } from "../../../src/users/edits.js";
import { makeRoot, read, snapshot, PATH, type FileName } from "./harness.js";

const JOVYAN = [
  ["useradd", "--no-log-init", "--shell", "/bin/bash", "--uid", "1000", "--no-user-group", "--home-dir", "/home/jovyan", "jovyan"],
  ["groupadd", "--gid", "3000", "extra"],
  ["usermod", "-a", "-G", "extra,users", "jovyan"],
];

function shadowUtils(root: string, argv: string[]) {
  const r = spawnSync(argv[0]!, [...argv.slice(1, -1), "--prefix", root, argv[argv.length - 1]!], { encoding: "utf8", env: { PATH } });
  expect(r.status, `${argv.join(" ")}: ${r.stderr}`).toBe(0);
}

/** An image with jovyan (as docker-stacks builds it, plus a second group), copied twice. */
function twoRoots() {
  const root = makeRoot();
  // useradd --prefix reads the image's login.defs (shadow's ageing fields): Debian's, as in the images
  copyFileSync("/etc/login.defs", `${root}/etc/login.defs`);
  for (const c of JOVYAN) shadowUtils(root, c);
  const copy = mkdtempSync("/tmp/foyer-users-copy-");
  expect(spawnSync("cp", ["-a", `${root}/.`, copy]).status).toBe(0); // owners kept (shadow is root:shadow)
  return { viaShadowUtils: root, viaFoyer: copy };
}

const TODAY = Math.floor(Date.now() / 86_400_000);
const sameDay = (text: string) => text.replace(/^([^:\n]+:[^:\n]*:)\d+:/gm, "$1DAY:");
const FILES: FileName[] = ["passwd", "group", "shadow", "gshadow"];

function expectSameFiles(a: string, b: string) {
  for (const f of FILES) expect(sameDay(read(b, f)), f).toBe(sameDay(read(a, f)));
  for (const f of FILES) {
    const [sa, sb] = [statSync(`${a}/etc/${f}`), statSync(`${b}/etc/${f}`)];
    expect([sb.mode & 0o7777, sb.uid, sb.gid], f).toEqual([sa.mode & 0o7777, sa.uid, sa.gid]);
  }
}

describe.skipIf(process.getuid?.() !== 0)("account edits: the same files as shadow-utils", () => {
  it("NB_USER: usermod --home --login renames the entry, its shadow line and every membership", () => {
    const { viaShadowUtils, viaFoyer } = twoRoots();
    shadowUtils(viaShadowUtils, ["usermod", "--home", "/home/ada", "--login", "ada", "jovyan"]);
    expect(applyAccountEdits(`${viaFoyer}/etc`, [{ op: "rename-user", from: "jovyan", to: "ada", home: "/home/ada" }], TODAY)).toBe(true);
    expectSameFiles(viaShadowUtils, viaFoyer);
    expect(read(viaFoyer, "group")).toContain("extra:x:3000:ada\n");
  });

  it("NB_USER=root: root's home moved to /home/root as usermod --home does (and start.sh's sed, on root's line)", () => {
    const { viaShadowUtils, viaFoyer } = twoRoots();
    shadowUtils(viaShadowUtils, ["usermod", "--home", "/home/root", "root"]);
    expect(applyAccountEdits(`${viaFoyer}/etc`, [{ op: "rename-user", from: "root", to: "root", home: "/home/root" }], TODAY)).toBe(true);
    expectSameFiles(viaShadowUtils, viaFoyer);
    expect(read(viaFoyer, "passwd")).toMatch(/^root:x:0:0:[^:]*:\/home\/root:/m);
  });

  it("NB_UID/NB_GID/NB_GROUP: groupadd --force, userdel, useradd --groups 100 (other memberships dropped, as start.sh's)", () => {
    const { viaShadowUtils, viaFoyer } = twoRoots();
    for (const c of [
      ["groupadd", "--force", "--gid", "2345", "--non-unique", "lab"],
      ["userdel", "jovyan"],
      ["useradd", "--no-log-init", "--home", "/home/jovyan", "--shell", "/bin/bash", "--uid", "1234", "--gid", "2345", "--groups", "100", "jovyan"],
    ])
      shadowUtils(viaShadowUtils, c);
    const edits: AccountEdit[] = [
      { op: "add-group", name: "lab", gid: 2345 },
      { op: "recreate-user", name: "jovyan", uid: 1234, gid: 2345, home: "/home/jovyan", shell: "/bin/bash", groups: [100] },
    ];
    expect(applyAccountEdits(`${viaFoyer}/etc`, edits, TODAY)).toBe(true);
    expectSameFiles(viaShadowUtils, viaFoyer);
    expect(read(viaFoyer, "passwd")).toMatch(/^jovyan:x:1234:2345::\/home\/jovyan:\/bin\/bash$/m);
  });

  it("groupadd --force with a name that exists, or a gid already used (--non-unique)", () => {
    const { viaShadowUtils, viaFoyer } = twoRoots();
    shadowUtils(viaShadowUtils, ["groupadd", "--force", "--gid", "5000", "--non-unique", "extra"]);
    shadowUtils(viaShadowUtils, ["groupadd", "--force", "--gid", "100", "--non-unique", "lab"]);
    applyAccountEdits(`${viaFoyer}/etc`, [{ op: "add-group", name: "extra", gid: 5000 }, { op: "add-group", name: "lab", gid: 100 }], TODAY);
    expectSameFiles(viaShadowUtils, viaFoyer);
  });

  it("edits already made write nothing (inode and mtime kept); a rename of a user that is gone fails naming it, nothing written", () => {
    const { viaFoyer } = twoRoots();
    const rename: AccountEdit[] = [{ op: "rename-user", from: "jovyan", to: "ada", home: "/home/ada" }];
    applyAccountEdits(`${viaFoyer}/etc`, [...rename, { op: "recreate-user", name: "ada", uid: 1234, gid: 100, home: "/home/ada", shell: "/bin/bash", groups: [100] }], TODAY);
    const before = snapshot(viaFoyer);
    expect(applyAccountEdits(`${viaFoyer}/etc`, [{ op: "recreate-user", name: "ada", uid: 1234, gid: 100, home: "/home/ada", shell: "/bin/bash", groups: [100] }], TODAY)).toBe(false);
    expect(snapshot(viaFoyer)).toEqual(before);
    expect(() => applyAccountEdits(`${viaFoyer}/etc`, rename, TODAY)).toThrow(/user jovyan does not exist/);
    expect(snapshot(viaFoyer)).toEqual(before);
  });

  it("waits for shadow-utils' lock (/etc/.pwd.lock): an edit made while another program holds it lands once it is released", async () => {
    const { viaFoyer } = twoRoots();
    const lock = `${viaFoyer}/etc/.pwd.lock`;
    // lckpwdf's lock is an fcntl lock (flock(1) would not conflict with it): held by python for 1 s
    const holder = spawn("python3", ["-c", "import fcntl,sys,time; f=open(sys.argv[1],'a'); fcntl.lockf(f, fcntl.LOCK_EX); print('held', flush=True); time.sleep(1)", lock]);
    await new Promise<void>((resolve) => holder.stdout.once("data", () => resolve()));
    const start = Date.now();
    expect(applyAccountEdits(`${viaFoyer}/etc`, [{ op: "rename-user", from: "jovyan", to: "ada", home: "/home/ada" }], TODAY)).toBe(true);
    expect(Date.now() - start).toBeGreaterThan(700); // it waited for the holder's second
    expect(read(viaFoyer, "passwd")).toContain("ada:x:1000:100::/home/ada:/bin/bash");
  });
});
