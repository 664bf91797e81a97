// Loads foyer's own N-API addon (native/foyer_native.c): from the SEA asset inside the single binary,
// or from build/foyer_native.node in development. Loading is attempted once; failure is a value.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as sea from "node:sea";

/** A passwd entry as NSS returns it. */
export interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  home: string;
  shell: string;
}

/** A group entry as NSS returns it (members are not needed: getgrouplist answers that). */
export interface GroupEntry {
  name: string;
  gid: number;
}

/** What the trampoline hands to execAs; uid undefined keeps foyer's own ids. */
export interface NativeExecRequest {
  /** strings, or Buffers of exact bytes (not UTF-8) */
  file: string | Buffer;
  argv: Array<string | Buffer>;
  envp: Array<string | Buffer>;
  cwd?: string;
  uid?: number;
  gid?: number;
  groups?: number[];
  umask?: number;
  /** 0 keep, 1 setsid, 2 setpgid + tcsetpgrp when stdin is a tty */
  session: 0 | 1 | 2;
  /** an fd made close-on-exec before the exec (the trampoline's report channel) */
  reportFd?: number;
}

/** The addon's functions (see the table at the top of native/foyer_native.c). */
export interface NativeAddon {
  waitpid(pid: number, flags: number): [pid: number, status: number, errno: number];
  setSubreaper(): number;
  setNotDumpable(): number;
  unblockSignals(signals: number[]): number;
  ignoreSignals(signals: number[]): number;
  getpw(nameOrUid: string | number): PasswdEntry | null;
  getgr(nameOrGid: string | number): GroupEntry | null;
  getgrouplist(user: string, gid: number): number[];
  execAs(req: NativeExecRequest): { stage: string; errno: number; message: string };
  /** fcntl(F_SETLK, F_WRLCK) on the whole file: 0, or the errno (EAGAIN/EACCES: held elsewhere) */
  lockWrite(fd: number): number;
}

/** The outcome of loading: the addon, or why it could not be loaded. */
export type NativeLoad = { ok: true; addon: NativeAddon; from: string } | { ok: false; error: string };

const ASSET = "foyer_native.node";
let cached: NativeLoad | undefined;

/** Load the addon once per process (later calls return the first outcome). */
export function loadNative(env: NodeJS.ProcessEnv = process.env): NativeLoad {
  cached ??= isSea() ? loadFromSea(env) : loadFromBuild(env);
  return cached;
}

/** True inside the single executable. */
export function isSea(): boolean {
  return sea.isSea();
}

/** Directories tried, in order, for writing and dlopen()ing the asset (many are noexec in containers). */
export function candidateDirs(env: NodeJS.ProcessEnv, binaryDir: string): string[] {
  const dirs = [env.FOYER_NATIVE_DIR, os.tmpdir(), "/run", "/dev/shm", "/var/tmp", binaryDir, env.HOME];
  return [...new Set(dirs.filter((d): d is string => !!d))];
}

function loadFromSea(env: NodeJS.ProcessEnv): NativeLoad {
  const bytes = new Uint8Array(sea.getAsset(ASSET));
  const errors: string[] = [];
  for (const dir of candidateDirs(env, path.dirname(process.execPath))) {
    let tmp = "";
    try {
      const unsafe = unsafeParent(dir);
      if (unsafe) {
        errors.push(`${dir}: ${unsafe}: not a place for foyer's code`);
        continue;
      }
      tmp = fs.mkdtempSync(path.join(dir, ".foyer-native-"));
      const file = path.join(tmp, ASSET);
      fs.writeFileSync(file, bytes, { mode: 0o500, flag: "wx" });
      return { ok: true, addon: dlopen(file), from: dir };
    } catch (err) {
      errors.push(`${dir}: ${(err as Error).message.split("\n")[0]}`);
    } finally {
      // The mapping outlives the file: nothing is left behind on disk.
      if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    }
  }
  return { ok: false, error: `no writable exec-capable directory (set FOYER_NATIVE_DIR): ${errors.join("; ")}` };
}

/**
 * Why foyer must not write and dlopen its addon under `dir`, or undefined. In a directory another
 * user owns, or may write without the sticky bit (a user's $HOME while foyer runs as root), that user
 * could swap foyer's fresh directory for their own between the mkdtemp and the dlopen: a link where
 * the addon is written, their own library where it is loaded. The sudo "safe path" rule, as for
 * links (src/fs followTrustedLinks).
 */
function unsafeParent(dir: string): string | undefined {
  const st = fs.statSync(dir);
  const me = process.geteuid?.() ?? 0;
  if (st.uid !== 0 && st.uid !== me) return `belongs to uid ${st.uid}`;
  if (st.mode & 0o022 && !(st.mode & 0o1000)) return "is writable by group or others";
  return undefined;
}

function loadFromBuild(env: NodeJS.ProcessEnv): NativeLoad {
  const starts = [env.FOYER_NATIVE_ADDON, process.argv[1] && path.dirname(process.argv[1]), process.cwd()];
  for (const start of starts) {
    if (!start) continue;
    if (start.endsWith(".node") && fs.existsSync(start)) return tryDlopen(start);
    for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
      for (const file of [path.join(dir, ASSET), path.join(dir, "build", ASSET)]) {
        if (fs.existsSync(file)) return tryDlopen(file);
      }
      if (dir === path.dirname(dir)) break;
    }
  }
  return { ok: false, error: `${ASSET} not found (run 'make native')` };
}

function tryDlopen(file: string): NativeLoad {
  try {
    return { ok: true, addon: dlopen(file), from: path.dirname(file) };
  } catch (err) {
    return { ok: false, error: `${file}: ${(err as Error).message.split("\n")[0]}` };
  }
}

function dlopen(file: string): NativeAddon {
  const mod = { exports: {} as NativeAddon };
  process.dlopen(mod, file, os.constants.dlopen.RTLD_NOW);
  return mod.exports;
}

