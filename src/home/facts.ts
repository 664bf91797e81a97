// The reads planning homes needs, made before planning (the planner is pure): image files (dotfile
// templates, /etc/skel), each home's record, and the state of each dotfile. Inside a home nothing
// is followed: directories are opened beneath the home without following any link, files with
// O_NOFOLLOW|O_NONBLOCK, and only regular files of bounded size are read (a FIFO or /dev/zero
// planted by the user cannot hang or bloat the start).
import { constants as C } from "node:fs";
import { posix } from "node:path";
import { contentDigest } from "../plan/compare.js";
import { readTemplateFiles } from "../plan/observe.js";
import { openDirBeneath, openDirPath, followTrustedLinks, readBoundedFd, type Dir, type FsOps } from "../fs/index.js";
import { spawnSync } from "node:child_process";
import { dotfileSources, homePath, RECORD_NAME, type DotfileNow, type HomeFacts } from "./plan.js";
import { pyvenvVersion, type VenvFacts } from "./venv.js";
import type { HomeSpec } from "./schema.js";

/** A record or skel entry larger than this is not read. */
const MAX_READ = 1 << 20;
/** How deep /etc/skel-like trees are read (skel dirs are shallow; a deep one is a mistake). */
const SKEL_DEPTH = 4;

/** Read what planHomes needs for `users`' homes. */
export function readHomeFacts(home: HomeSpec, users: readonly string[], fs: FsOps, selfUid: number): HomeFacts {
  const listed = home.skel ? listRegularFiles(fs, home.skel) : [];
  const skel = listed ?? [];
  const sources = dotfileSources(home, skel);
  const imageFiles = [...sources.values()].flatMap((d) => (d.templateFile ? [d.templateFile] : d.file ? [d.file] : []));
  const files = readTemplateFiles([...new Set(imageFiles)], fs);
  const records = new Map<string, Record<string, string>>();
  const now = new Map<string, DotfileNow>();
  const builtWith = new Map<string, string>();
  const homeOwners = new Map<string, number>();
  for (const user of new Set(users)) {
    const dir = homePath(home.root, user);
    let homeDir: Dir | undefined;
    try {
      homeDir = openDirPath(fs, dir, { policy: followTrustedLinks });
    } catch {
      homeDir = undefined; // not reachable: the plan's checks say why
    }
    if (!homeDir) continue; // a new home: no record, every dotfile missing
    try {
      homeOwners.set(dir, homeDir.stat().uid);
      const record = readRecord(homeDir, selfUid);
      if (record) records.set(dir, record);
      for (const rel of sources.keys()) now.set(`${dir}/${rel}`, dotfileNow(homeDir, rel));
      const cfg = home.venv ? readBeneath(homeDir, `${home.venv.path}/pyvenv.cfg`) : undefined;
      const version = cfg && pyvenvVersion(cfg.toString("utf8"));
      if (version) builtWith.set(dir, version);
    } finally {
      homeDir.close();
    }
  }
  const skelProblem = listed === undefined ? `${home.skel} is not a directory foyer can read` : undefined;
  if (!home.venv) return { files, skel, records, now, homeOwners, ...(skelProblem ? { skelProblem } : {}) };
  const req = home.venv.requirements ? readTemplateFiles([home.venv.requirements], fs).get(home.venv.requirements) : undefined;
  const venv = { python: basePython(home.venv.python), builtWith, ...(req?.ok ? { requirements: req.content } : {}) };
  return { files, skel, records, now, homeOwners, venv, ...(skelProblem ? { skelProblem } : {}) };
}

/** The base interpreter's version, asked once (it is the image's own Python). */
function basePython(python: string): VenvFacts["python"] {
  const r = spawnSync(python, ["-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"], {
    encoding: "utf8",
    timeout: 10_000,
    env: { PATH: process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const version = r.stdout?.trim();
  if (r.status === 0 && /^\d+\.\d+\.\d+$/.test(version)) return { ok: true, version };
  return { ok: false, error: r.error ? r.error.message : `it exited with ${r.status ?? r.signal}: ${(r.stderr ?? "").trim().split("\n").pop() ?? ""}` };
}

/** A regular file beneath `home` (no link followed anywhere on the way), or undefined. */
function readBeneath(home: Dir, rel: string): Buffer | undefined {
  let dir: Dir | undefined;
  try {
    dir = posix.dirname(rel) === "." ? home.reopen() : openDirBeneath(home, posix.dirname(rel));
    return dir ? readBounded(dir, posix.basename(rel), () => true) : undefined;
  } catch {
    return undefined;
  } finally {
    dir?.close();
  }
}

/** The record, only when it is a regular file owned by foyer's own uid (nobody else can make one). */
function readRecord(home: Dir, selfUid: number): Record<string, string> | undefined {
  const bytes = readBounded(home, RECORD_NAME, (st) => st.uid === selfUid);
  if (!bytes) return undefined;
  try {
    const parsed = JSON.parse(bytes.toString("utf8")) as { written?: unknown };
    const written = parsed.written;
    if (typeof written !== "object" || written === null) return undefined;
    return Object.fromEntries(Object.entries(written).filter((e): e is [string, string] => typeof e[1] === "string" && /^[0-9a-f]{64}$/.test(e[1])));
  } catch {
    return undefined; // unreadable: as if there were none (dotfiles that differ are then kept)
  }
}

function dotfileNow(home: Dir, rel: string): DotfileNow {
  let dir: Dir | undefined;
  try {
    dir = posix.dirname(rel) === "." ? home.reopen() : openDirBeneath(home, posix.dirname(rel));
    if (!dir) return { type: "missing" };
    const st = dir.lstat(posix.basename(rel));
    if (!st) return { type: "missing" };
    if (!st.isFile()) return { type: "other" };
    const bytes = readBounded(dir, posix.basename(rel), () => true);
    return bytes ? { type: "file", digest: contentDigest(bytes) } : { type: "other" };
  } catch {
    return { type: "other" }; // a link or a file on the way: the user's, kept
  } finally {
    dir?.close();
  }
}

/** A regular file's bytes, not following a link, never blocking on a FIFO, at most MAX_READ. */
function readBounded(dir: Dir, name: string, accept: (st: { uid: number }) => boolean): Buffer | undefined {
  let fd: number;
  try {
    fd = dir.open(name, C.O_RDONLY | C.O_NOFOLLOW | C.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    const st = dir.fs.fstatSync(fd);
    if (!st.isFile() || !accept(st)) return undefined;
    const bytes = readBoundedFd(dir.fs, fd, st.size, MAX_READ);
    return Buffer.isBuffer(bytes) ? bytes : undefined;
  } finally {
    dir.fs.closeSync(fd);
  }
}

/** The regular files under `root` (an image directory like /etc/skel), relative, sorted; links and others skipped; undefined when `root` cannot be read. */
function listRegularFiles(fs: FsOps, root: string): string[] | undefined {
  const out: string[] = [];
  try {
    if (!fs.statSync(root).isDirectory()) return undefined;
  } catch {
    return undefined;
  }
  const walk = (dir: string, rel: string, depth: number) => {
    let names: string[];
    try {
      names = fs.readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const name of names) {
      const st = fs.lstatSync(posix.join(dir, name));
      const r = rel ? `${rel}/${name}` : name;
      if (st.isFile()) out.push(r);
      else if (st.isDirectory() && depth < SKEL_DEPTH) walk(posix.join(dir, name), r, depth + 1);
    }
  };
  walk(root, "", 1);
  return out;
}
