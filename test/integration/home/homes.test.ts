// Homes through the binary, on real files with real owners: `nobody` (uid 65534) is the user; what
// it plants in its home it plants itself (setpriv to its uid), as a user in a shared container would.
import { spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const FOYER = join(__dirname, "../../../dist/foyer");
const USER = "nobody";
const UID = 65534;
const FAVORITES = ".jupyter/lab/user-settings/@jlab-enhanced/favorites/favorites.jupyterlab-settings";
let dir = "";
let root = ""; // homes root
let home = ""; // nobody's home
let victim = "";
let victimDir = "";

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "foyer-homes-"));
  chmodSync(dir, 0o755);
  root = join(dir, "home");
  mkdirSync(root);
  home = join(root, USER);
  mkdirSync(join(dir, "skel"));
  writeFileSync(join(dir, "skel", ".bashrc"), "# skel bashrc\n");
  writeFileSync(join(dir, "profile.hbs"), "# profile of {{user}}\nexport WORK={{home}}/work\n");
  victim = join(dir, "shadow");
  writeFileSync(victim, "root:secret-hash:\n", { mode: 0o600 });
  victimDir = join(dir, "etc");
  mkdirSync(victimDir);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function spec(extra = "", profileTemplate = join(dir, "profile.hbs")): string {
  const path = join(dir, "spec.yaml");
  writeFileSync(
    path,
    `home:
  root: ${root}
  users: [${USER}]
  skel: ${join(dir, "skel")}
  dirs: [.jupyter/runtime, { path: .local/share/jupyter, mode: "0700" }]
  dotfiles:
    .profile: { templateFile: ${profileTemplate} }
  jupyterlabFavorites:
    - { path: shared/data, name: Shared data }
    - { path: scratch }
${extra}`,
  );
  return path;
}

function foyer(cmd: "init" | "plan", specPath = spec()) {
  const r = spawnSync(FOYER, [cmd, "--spec", specPath], { encoding: "utf8", timeout: 20_000, env: { PATH: process.env.PATH ?? "/usr/bin:/bin" } });
  return { status: r.status, out: r.stdout + r.stderr };
}

/** Run a command as the user itself (its uid and group, no others). */
function asUser(...argv: string[]) {
  const r = spawnSync("setpriv", [`--reuid=${UID}`, `--regid=${UID}`, "--clear-groups", ...argv], { encoding: "utf8" });
  expect(r.status, r.stderr).toBe(0);
}

const modeOf = (p: string) => lstatSync(p).mode & 0o7777;
const ownerOf = (p: string) => lstatSync(p).uid;
const read = (rel: string) => readFileSync(join(home, rel), "utf8");

function mtimes(top: string): Map<string, bigint> {
  const out = new Map<string, bigint>();
  for (const rel of readdirSync(top, { recursive: true, encoding: "utf8" })) out.set(rel, lstatSync(join(top, rel), { bigint: true }).mtimeNs);
  return out;
}

function expectVictimsUntouched() {
  expect(readFileSync(victim, "utf8")).toBe("root:secret-hash:\n");
  expect(statSync(victim)).toMatchObject({ uid: 0, gid: 0 });
  expect(modeOf(victim)).toBe(0o600);
  expect(readdirSync(victimDir)).toEqual([]);
}

describe("a new home", () => {
  it("is made 0700 for its user, with the static dirs, dotfiles and favorites, all the user's; a second start changes nothing", () => {
    const r = foyer("init");
    expect(r.status, r.out).toBe(0);
    expect(modeOf(home)).toBe(0o700);
    expect(ownerOf(home)).toBe(UID);
    for (const d of [".jupyter", ".jupyter/runtime", ".local", ".local/share", ".jupyter/lab/user-settings/@jlab-enhanced/favorites"]) {
      expect(ownerOf(join(home, d)), d).toBe(UID);
      expect(modeOf(join(home, d)), d).toBe(0o755);
    }
    expect(modeOf(join(home, ".local/share/jupyter"))).toBe(0o700);
    expect(read(".bashrc")).toBe("# skel bashrc\n");
    expect(read(".profile")).toBe(`# profile of nobody\nexport WORK=${home}/work\n`);
    expect(ownerOf(join(home, ".profile"))).toBe(UID);
    expect(modeOf(join(home, ".profile"))).toBe(0o644);
    const fav = JSON.parse(read(FAVORITES)) as { favorites: Array<{ path: string; default: boolean }> };
    expect(fav.favorites.map((f) => f.path)).toEqual(["shared/data", "scratch"]);
    expect(fav.favorites[0]!.default).toBe(true);
    // the record: foyer's own (root), so the user cannot forge one
    expect(ownerOf(join(home, ".foyer-home.json"))).toBe(0);
    expect(modeOf(join(home, ".foyer-home.json"))).toBe(0o600);

    const before = mtimes(home);
    const again = foyer("init");
    expect(again.status, again.out).toBe(0);
    expect(again.out).toContain("nothing to change");
    expect(mtimes(home)).toEqual(before);
  });

  it("the user can use the home: its own files, writable by it", () => {
    expect(foyer("init").status).toBe(0);
    asUser("sh", "-c", `echo hi > ${home}/.jupyter/runtime/x && echo more >> ${home}/.profile`);
  });
});

describe("dotfiles", () => {
  it("a dotfile the user edited survives a start, and the plan says it is kept; an unedited one gets the new template", () => {
    expect(foyer("init").status).toBe(0);
    asUser("sh", "-c", `echo 'alias ll="ls -l"' >> ${home}/.bashrc`);
    writeFileSync(join(dir, "skel", ".bashrc"), "# skel bashrc v2\n");
    writeFileSync(join(dir, "profile.hbs"), "# profile v2 of {{user}}\n");
    const plan = foyer("plan");
    expect(plan.status, plan.out).toBe(0);
    expect(plan.out).toMatch(/≠ write-file \S+\/\.bashrc: kept: changed since foyer wrote it/);
    expect(plan.out).toMatch(/~ write-file \S+\/\.profile: update/);
    const r = foyer("init");
    expect(r.status, r.out).toBe(0);
    expect(r.out).toMatch(/kept \S+\/\.bashrc: changed since foyer wrote it/);
    expect(read(".bashrc")).toBe('# skel bashrc\nalias ll="ls -l"\n');
    expect(read(".profile")).toBe("# profile v2 of nobody\n");
    expect(ownerOf(join(home, ".profile"))).toBe(UID);
    // the next template change still leaves the edited file alone (the record kept its old hash)
    writeFileSync(join(dir, "skel", ".bashrc"), "# skel bashrc v3\n");
    expect(foyer("init").status).toBe(0);
    expect(read(".bashrc")).toBe('# skel bashrc\nalias ll="ls -l"\n');
  });

  it("a dotfile that was there before foyer (an existing home on a volume) is kept, and so is the home's owner and mode", () => {
    mkdirSync(home, { mode: 0o751 });
    chmodSync(home, 0o751);
    chownSync(home, UID, UID);
    asUser("sh", "-c", `echo mine > ${home}/.profile`);
    const r = foyer("init");
    expect(r.status, r.out).toBe(0);
    expect(r.out).toMatch(/kept \S+\/\.profile: it was there before foyer wrote it/);
    expect(read(".profile")).toBe("mine\n");
    expect(modeOf(home)).toBe(0o751);
    expect(read(".bashrc")).toBe("# skel bashrc\n"); // missing ones are still made
  });

  it("a record the user forged (its own file claiming its edit is foyer's) is not trusted", () => {
    expect(foyer("init").status).toBe(0);
    asUser("sh", "-c", `echo mine > ${home}/.profile`);
    const hash = spawnSync("sha256sum", [join(home, ".profile")], { encoding: "utf8" }).stdout.split(" ")[0]!;
    asUser("sh", "-c", `rm -f ${home}/.foyer-home.json && printf '{"written":{".profile":"${hash}"}}' > ${home}/.foyer-home.json`);
    const r = foyer("init");
    expect(r.status, r.out).toBe(0);
    expect(read(".profile")).toBe("mine\n");
    // the forged record is replaced by foyer's own
    expect(ownerOf(join(home, ".foyer-home.json"))).toBe(0);
  });

  it("a skel directory that is not there is an issue (exit 78), not silently no dotfiles", () => {
    rmSync(join(dir, "skel"), { recursive: true });
    const r = foyer("init");
    expect(r.status, r.out).toBe(78);
    expect(r.out).toContain(`${join(dir, "skel")} is not a directory foyer can read`);
    expect(r.out).toContain("home.skel");
  });

  it("a template error names the dotfile and writes nothing", () => {
    writeFileSync(join(dir, "bad.hbs"), "{{nope}}\n");
    const r = foyer("init", spec("", join(dir, "bad.hbs")));
    expect(r.status, r.out).toBe(78);
    expect(r.out).toContain('home.dotfiles[".profile"].templateFile');
    expect(r.out).toContain('undefined variable "nope"');
    expect(existsSync(home)).toBe(false);
  });
});

describe("links and special files the user planted", () => {
  beforeEach(() => expect(foyer("init").status).toBe(0));

  it("~/.bashrc -> /etc/shadow-like victim: the victim is untouched, the link is the user's and stays", () => {
    asUser("sh", "-c", `rm ${home}/.bashrc && ln -s ${victim} ${home}/.bashrc`);
    writeFileSync(join(dir, "skel", ".bashrc"), "# skel bashrc v2\n");
    const r = foyer("init");
    expect(r.status, r.out).toBe(0);
    expect(r.out).toMatch(/kept \S+\/\.bashrc: a symbolic link is there/);
    expect(lstatSync(join(home, ".bashrc")).isSymbolicLink()).toBe(true);
    expectVictimsUntouched();
  });

  it("~/.jupyter -> a root directory: nothing is made or written through it, the start goes on (exit 0)", () => {
    asUser("sh", "-c", `rm -rf ${home}/.jupyter && ln -s ${victimDir} ${home}/.jupyter`);
    const r = foyer("init");
    expect(r.status, r.out).toBe(0);
    expect(r.out).toMatch(/kept \S+\/\.jupyter\/runtime: .*symbolic link foyer does not follow/);
    expect(r.out).toMatch(/kept \S+favorites\.jupyterlab-settings/);
    expectVictimsUntouched();
    // the rest of the home still converges
    expect(read(".profile")).toContain("profile of nobody");
  });

  it("the record replaced by a link to the victim: the link is replaced, the victim untouched", () => {
    asUser("sh", "-c", `rm ${home}/.foyer-home.json && ln -s ${victim} ${home}/.foyer-home.json`);
    const r = foyer("init");
    expect(r.status, r.out).toBe(0);
    expect(lstatSync(join(home, ".foyer-home.json")).isFile()).toBe(true);
    expectVictimsUntouched();
  });

  it("a FIFO at a dotfile and at the favorites file: no hang, the FIFO dotfile is kept, the favorites file is replaced", () => {
    asUser("sh", "-c", `rm ${home}/.profile ${home}/${FAVORITES} && mkfifo ${home}/.profile ${home}/${FAVORITES}`);
    const r = foyer("init");
    expect(r.status, r.out).toBe(0);
    expect(lstatSync(join(home, ".profile")).isFIFO()).toBe(true);
    expect(JSON.parse(read(FAVORITES))).toHaveProperty("favorites");
  });

  it("a 10 GB sparse dotfile and favorites file are not read into memory: kept, the start goes on", () => {
    asUser("sh", "-c", `truncate -s 10G ${home}/.profile && truncate -s 10G ${home}/${FAVORITES}`);
    const r = spawnSync(FOYER, ["init", "--spec", spec()], { encoding: "utf8", timeout: 20_000, env: { PATH: process.env.PATH ?? "/usr/bin:/bin" } });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/kept \S+\/\.profile: changed since foyer wrote it/);
    expect(r.stderr).toMatch(/kept \S+favorites\.jupyterlab-settings: too large to merge \(10737418240 bytes\)/);
    expect(statSync(join(home, ".profile")).size).toBe(10737418240);
  });

  it("the home itself swapped for a link by someone able to write the homes root: refused before any write", () => {
    rmSync(home, { recursive: true });
    chownSync(root, UID, UID); // a homes root the user can write (a misconfigured volume)
    asUser("ln", "-s", victimDir, home);
    const r = foyer("init");
    expect(r.status, r.out).toBe(78);
    expect(r.out).toContain("symbolic link foyer does not follow");
    expectVictimsUntouched();
  });
});

describe("JupyterLab favorites", () => {
  it("merged into the user's own settings (JupyterLab's comments tolerated): the user's entries and its hidden default survive", () => {
    mkdirSync(join(home, ".jupyter/lab/user-settings/@jlab-enhanced/favorites"), { recursive: true });
    writeFileSync(
      join(home, FAVORITES),
      `{
    // @jlab-enhanced/favorites:favorites
    // Favorites
    /* the user's own */
    "favorites": [
        { "root": "/home/nobody", "path": "my/project", "contentType": "directory", "iconLabel": "ui-components:folder", },
        { "path": "scratch", "default": true, "hidden": true },
    ],
    "showWidget": false,
}
`,
    );
    spawnSync("chown", ["-R", `${UID}:${UID}`, home]);
    const r = foyer("init");
    expect(r.status, r.out).toBe(0);
    const fav = JSON.parse(read(FAVORITES)) as { favorites: Array<Record<string, unknown>>; showWidget: boolean };
    expect(fav.favorites.map((f) => f.path)).toEqual(["my/project", "scratch", "shared/data"]);
    expect(fav.favorites[1]).toEqual({ path: "scratch", default: true, hidden: true });
    expect(fav.showWidget).toBe(false);
    expect(ownerOf(join(home, FAVORITES))).toBe(UID);
    const again = foyer("init");
    expect(again.out).toContain("nothing to change");
  });

  it("a favorites file that is not JSON is left as the user wrote it (the start goes on)", () => {
    expect(foyer("init").status).toBe(0);
    asUser("sh", "-c", `echo 'not json {' > ${home}/${FAVORITES}`);
    const r = foyer("init");
    expect(r.status, r.out).toBe(0);
    expect(r.out).toMatch(/kept \S+favorites\.jupyterlab-settings: not valid JSON/);
    expect(read(FAVORITES)).toBe("not json {\n");
  });

  it("site-wide: overrides.json gets the favorites, homes get no settings file", () => {
    const overrides = join(dir, "share/jupyter/lab/settings/overrides.json");
    mkdirSync(join(dir, "share/jupyter/lab/settings"), { recursive: true });
    writeFileSync(overrides, '{"@jupyterlab/apputils-extension:themes": {"theme": "JupyterLab Dark"}}\n');
    const r = foyer("init", spec(`  favoritesOverrides: ${overrides}\n`));
    expect(r.status, r.out).toBe(0);
    const o = JSON.parse(readFileSync(overrides, "utf8")) as Record<string, { favorites?: unknown[]; theme?: string }>;
    expect(o["@jupyterlab/apputils-extension:themes"]!.theme).toBe("JupyterLab Dark");
    expect(o["@jlab-enhanced/favorites:favorites"]!.favorites).toHaveLength(2);
    expect(existsSync(join(home, FAVORITES))).toBe(false);
  });
});

describe("existing homes", () => {
  it("existing: owner sets the home's own owner and mode, not what is inside (no recursive chown unless asked)", () => {
    mkdirSync(join(home, "data"), { recursive: true });
    writeFileSync(join(home, "data", "big.csv"), "x\n");
    const r = foyer("init", spec("  existing: owner\n"));
    expect(r.status, r.out).toBe(0);
    expect(ownerOf(home)).toBe(UID);
    expect(modeOf(home)).toBe(0o700);
    expect(ownerOf(join(home, "data", "big.csv"))).toBe(0);
  });

  it("existing: recursive chowns the whole tree, links themselves only", () => {
    mkdirSync(join(home, "data"), { recursive: true });
    writeFileSync(join(home, "data", "big.csv"), "x\n");
    spawnSync("ln", ["-s", victim, join(home, "data", "link")]);
    const r = foyer("init", spec("  existing: recursive\n"));
    expect(r.status, r.out).toBe(0);
    expect(ownerOf(join(home, "data", "big.csv"))).toBe(UID);
    expect(ownerOf(join(home, "data", "link"))).toBe(UID);
    expectVictimsUntouched();
  });
});
