// A throw-away root filesystem with Debian's account files, and `foyer users sync` run on it
// through the binary, as an admin would.
import { spawn, spawnSync } from "node:child_process";
import { chownSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";

export const FOYER = join(__dirname, "../../../dist/foyer");
export const PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/** Debian 12's account files, trimmed. */
export const BASE_FILES = {
  passwd: "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n",
  group: "root:x:0:\ndaemon:x:1:\nshadow:x:42:\nusers:x:100:\nnogroup:x:65534:\n",
  shadow: "root:*:19700:0:99999:7:::\ndaemon:*:19700:0:99999:7:::\nnobody:*:19700:0:99999:7:::\n",
  gshadow: "root:*::\ndaemon:*::\nshadow:*::\nusers:*::\nnogroup:*::\n",
};
export type FileName = keyof typeof BASE_FILES;
export const NAMES = Object.keys(BASE_FILES) as FileName[];

/** A fresh root with /etc holding BASE_FILES (passwd/group 0644 root:root, shadow/gshadow 0640 root:shadow). */
export function makeRoot(): string {
  const root = mkdtempSync("/tmp/foyer-users-root-");
  mkdirSync(join(root, "etc"));
  for (const n of NAMES) {
    const p = join(root, "etc", n);
    const secret = n === "shadow" || n === "gshadow";
    writeFileSync(p, BASE_FILES[n], { mode: secret ? 0o640 : 0o644 });
    chownSync(p, 0, secret ? 42 : 0);
  }
  return root;
}

export function read(root: string, n: FileName): string {
  return readFileSync(join(root, "etc", n), "utf8");
}

/** Bytes, mode, owner, inode and mtime of every account file: equal snapshots mean nothing was written. */
export function snapshot(root: string) {
  return NAMES.map((n) => {
    const st = statSync(join(root, "etc", n));
    return { n, text: read(root, n), mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, ino: st.ino, mtime: st.mtimeMs };
  });
}

export function writeSpec(dir: string, spec: unknown): string {
  const p = join(dir, "foyer.yaml");
  writeFileSync(p, stringify(spec));
  return p;
}

export interface Run {
  status: number | null;
  stderr: string;
  stdout: string;
  ms: number;
}

export function sync(root: string, spec: unknown, env: Record<string, string> = {}): Run {
  const specPath = writeSpec(root, spec);
  const t0 = performance.now();
  const r = spawnSync(FOYER, ["users", "sync", "--spec", specPath, "--root", root], { encoding: "utf8", env: { PATH, LDAP_PW: "readerpw", ...env } });
  return { status: r.status, stderr: r.stderr, stdout: r.stdout, ms: performance.now() - t0 };
}

/** `foyer users sync` started in the background (for --every and lock tests). */
export function syncInBackground(root: string, spec: unknown, args: string[] = [], env: Record<string, string> = {}) {
  const specPath = writeSpec(root, spec);
  const child = spawn(FOYER, ["users", "sync", "--spec", specPath, "--root", root, ...args], { env: { PATH, LDAP_PW: "readerpw", ...env } });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  return { child, done, stderr: () => stderr };
}

/** `cmd` in a new PID and mount namespace where /etc/passwd and /etc/group are the root's files. */
export function withAccountFiles(root: string, cmd: string): { status: number | null; stdout: string; stderr: string } {
  const script = `mount --bind ${root}/etc/passwd /etc/passwd && mount --bind ${root}/etc/group /etc/group && ${cmd}`;
  const r = spawnSync("unshare", ["--mount", "--pid", "--fork", "--mount-proc", "sh", "-c", script], { encoding: "utf8", env: { PATH } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
