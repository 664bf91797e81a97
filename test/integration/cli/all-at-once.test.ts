// The validation stage through the binary: a spec with mistakes of every stage (secret resolution,
// templates, NSS users, program secrets, the disk, hook dirs, the health port, contradictions, the
// main name) is reported in ONE run of validate, plan and run, each mistake with its line:col, and
// nothing is written or started. Also: what overrides may now set, and `validate` without a spec.
import { spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const FOYER = join(__dirname, "../../../dist/foyer");
let dir = "";
let taken: Server;
let port = 0;

function foyer(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(FOYER, args, { encoding: "utf8", cwd: dir, env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...env }, timeout: 30_000 });
  return { status: r.status, out: r.stdout + r.stderr, stdout: r.stdout };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "foyer-all-"));
  chmodSync(dir, 0o777); // a program runs as uid 4243 and writes here
  mkdirSync(join(dir, "adir"));
  taken = createServer();
  await new Promise<void>((r) => taken.listen(0, "127.0.0.1", () => r()));
  port = (taken.address() as { port: number }).port;
});
afterAll(() => taken.close());

const spec = () => `secrets:
  db: { env: FOYER_TEST_UNSET_SECRET }
files:
  - path: ${dir}/out/good.conf
    content: "fine\\n"
  - path: ${dir}/out/t.conf
    template: "{{undefinedThing}}"
  - path: ${dir}/adir
    content: "x"
hooks:
  init: ${dir}/init.d
health:
  listen: 127.0.0.1:${port}
programs:
  main:
    command: [touch, ${dir}/started]
    user: no-such-user-xyz
    secrets: { PW: nope }
    oneshot: true
    restart: always
log: { levle: debug }
shutdown: { deadline: forever }
`;

// [place, problem] of each mistake; the place includes the line:col
const MISTAKES: Array<[RegExp, RegExp]> = [
  [/secrets\.db \(.*spec\.yaml:2:7\)/, /FOYER_TEST_UNSET_SECRET is not set/],
  [/files\[1\]\.template \(.*spec\.yaml:7:15\)/, /undefinedThing/],
  [/files\[2\] \(.*spec\.yaml:8:5\)/, /it is a directory/],
  [/hooks\.init \(.*spec\.yaml:11:9\)/, /init\.d does not exist/],
  [/health\.listen \(.*spec\.yaml:13:11\)/, /already in use/],
  [/programs\.main\.user \(.*spec\.yaml:17:11\)/, /no-such-user-xyz" does not exist/],
  [/programs\.main\.secrets\.PW \(.*spec\.yaml:18:20\)/, /'nope' is not declared/],
  [/programs\.main\.restart \(.*spec\.yaml:20:14\)/, /contradicts oneshot/],
  // schema mistakes in other sections do not hide the checks above
  [/log\.levle \(.*spec\.yaml:21:8\)/, /did you mean "level"/],
  [/shutdown\.deadline \(.*spec\.yaml:22:23\)/, /expected a duration/],
];

describe("every mistake of every stage in one run", () => {
  it.each([["validate"], ["plan"], ["run"]])("foyer %s", (command) => {
    writeFileSync(join(dir, "spec.yaml"), spec());
    const withMain = command === "run" ? ["--", "true"] : [];
    const r = foyer([command, "--spec", join(dir, "spec.yaml"), ...withMain]);
    expect(r.status, r.out).toBe(78);
    // the problem line, then its place: "✖ problem\n  → at place (file:line:col)"
    const blocks = r.out.split("✖ ").slice(1);
    for (const [place, problem] of MISTAKES) {
      expect(blocks.some((b) => problem.test(b) && place.test(b)), `${problem} at ${place}\n${r.out}`).toBe(true);
    }
    if (command === "run") expect(r.out).toMatch(/'main' is the name of the program given after --[\s\S]*programs\.main \(/);
    else expect(r.out).not.toContain("'main' is the name");
    expect(r.out).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    expect(existsSync(join(dir, "out")), "nothing written").toBe(false);
    expect(existsSync(join(dir, "started")), "nothing started").toBe(false);
    expect(readdirSync(dir).sort()).toEqual(["adir", "spec.yaml"]);
  });
});

describe("FOYER__ overrides set fields of their type", () => {
  it("user: 1000 and env.DEBUG: true reach the program as written", () => {
    writeFileSync(join(dir, "ov.yaml"), `programs:\n  show:\n    oneshot: true\n    command: [sh, -c, 'echo "debug=$DEBUG uid=$(id -u)" > ${dir}/ov.out']\n`);
    const env = { FOYER__programs__show__user: "4243", FOYER__env__DEBUG: "true" };
    const v = foyer(["validate", "--spec", join(dir, "ov.yaml")], env);
    expect(v.status, v.out).toBe(0);
    const r = spawnSync("unshare", ["--pid", "--fork", "--mount-proc", FOYER, "run", "--spec", join(dir, "ov.yaml"), "--", "true"], { encoding: "utf8", cwd: dir, env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...env }, timeout: 30_000 });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(spawnSync("cat", [join(dir, "ov.out")], { encoding: "utf8" }).stdout).toBe("debug=true uid=4243\n");
  });
});

describe("FOYER__ overrides of a text field keep the text as written", () => {
  it("a ' #' (JAVA_OPTS), 'a: b', '- x', quotes, an &anchor and an empty value reach the program unchanged", () => {
    writeFileSync(join(dir, "ov2.yaml"), `programs:\n  show:\n    oneshot: true\n    command: [sh, -c, 'printf "[%s]" "$A" "$B" "$C" "$D" "$E" "$F" > ${dir}/ov2.out']\n`);
    const values = { A: "-Xmx1g #gc", B: "key: value", C: "- verbose", D: '"quoted"', E: "&anchor x", F: "" };
    const env = Object.fromEntries(Object.entries(values).map(([k, v]) => [`FOYER__programs__show__env__${k}`, v]));
    const v = foyer(["validate", "--spec", join(dir, "ov2.yaml")], env);
    expect(v.status, v.out).toBe(0);
    const r = spawnSync("unshare", ["--pid", "--fork", "--mount-proc", FOYER, "run", "--spec", join(dir, "ov2.yaml"), "--", "true"], { encoding: "utf8", cwd: dir, env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...env }, timeout: 30_000 });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(spawnSync("cat", [join(dir, "ov2.out")], { encoding: "utf8" }).stdout).toBe(Object.values(values).map((x) => `[${x}]`).join(""));
  });
});

describe("a FOYER__ variable naming a path tens of thousands of levels deep", () => {
  it("exit 78 naming the variable, not an internal error (stack overflow)", () => {
    writeFileSync(join(dir, "deep.yaml"), "env: {}\n");
    const name = "FOYER__env" + "__x".repeat(30_000);
    const r = foyer(["validate", "--spec", join(dir, "deep.yaml")], { [name]: "1" });
    expect(r.status, r.out.slice(0, 500)).toBe(78);
    expect(r.out).toContain("FOYER__env__x__x__x");
    expect(r.out).toMatch(/names a path 30001 levels deep; no spec field is deeper than 32/);
    expect(r.out).not.toMatch(/internal error|call stack/);
  });
});

describe("hooks that run as root from a directory others can fill", () => {
  it("a warning naming the directory (an error with --strict); none for a root 0755 one or hooks with a user:", () => {
    const open = join(dir, "open.d");
    mkdirSync(open);
    chmodSync(open, 0o777);
    const theirs = join(dir, "theirs.d");
    mkdirSync(theirs);
    chownSync(theirs, 65534, 65534);
    const fine = join(dir, "fine.d");
    mkdirSync(fine, { mode: 0o755 });
    writeFileSync(join(dir, "hooks.yaml"), `hooks:\n  init: [${open}, ${fine}]\n  finish: { dir: ${theirs} }\n`);
    const v = foyer(["validate", "--spec", join(dir, "hooks.yaml")]);
    expect(v.status, v.out).toBe(0);
    expect(v.out).toContain(`init hooks: ${open} is writable by group or others (mode 0777), and its hooks run as root`);
    expect(v.out).toContain(`finish hooks: ${theirs} belongs to uid 65534, and its hooks run as root`);
    expect(v.out).not.toContain(`${fine} is`);
    expect(foyer(["validate", "--strict", "--spec", join(dir, "hooks.yaml")]).status).toBe(78);
    writeFileSync(join(dir, "hooks-user.yaml"), `hooks:\n  init: { dir: ${open}, user: nobody }\n`);
    expect(foyer(["validate", "--spec", join(dir, "hooks-user.yaml")]).out).not.toContain("run as root");
  });
});

describe("foyer validate without a spec", () => {
  it("says no spec was found (exit 78) instead of 'valid'", () => {
    const r = foyer(["validate"], {});
    expect(r.status, r.out).toBe(78);
    expect(r.out).toMatch(/no spec found: give --spec F, set \$FOYER_SPEC, or create \/etc\/foyer\/foyer\.yaml/);
    expect(r.out).not.toMatch(/valid:/);
  });
});
