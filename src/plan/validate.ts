// Whole-plan checks that need no system access: paths are absolute and normalised (no traversal),
// a path is not written twice, and modes are ones foyer is willing to set. Pure.
import { posix } from "node:path";
import type { ConfigIssue } from "../errors.js";
import { octal, type Action } from "./action.js";

/** Every problem in the plan itself (owners are checked against the system by checkOwners). */
export function validatePlan(actions: readonly Action[]): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const written = new Map<string, string>();
  for (const a of actions) {
    const at = a.source ?? a.path;
    const pathProblem = checkPath(a.path);
    if (pathProblem) issues.push({ path: at, message: `${pathProblem}: ${JSON.stringify(a.path)}` });
    const paths = a.kind === "write-file" || a.kind === "merge-json" ? [a.path] : a.kind === "generate-file" ? [a.path, ...(a.publicPath ? [a.publicPath] : [])] : [];
    for (const p of paths) {
      const earlier = written.get(p);
      if (earlier !== undefined) issues.push({ path: at, message: `${p} is also written by ${earlier}` });
      written.set(p, at);
    }
    const publicProblem = a.kind === "generate-file" && a.publicPath !== undefined ? checkPath(a.publicPath) : undefined;
    if (publicProblem) issues.push({ path: at, message: `publicPath: ${publicProblem}` });
    const modeProblem = checkMode(a);
    if (modeProblem) issues.push({ path: at, message: modeProblem });
    if (a.kind === "symlink" && (a.target.includes("\0") || a.target === "")) issues.push({ path: at, message: "invalid symlink target" });
    const creates = a.kind === "run-command-as-user" && a.creates !== undefined ? checkPath(a.creates) : undefined;
    if (creates) issues.push({ path: at, message: `creates: ${creates}` });
    const otherwise = a.kind === "run-command-as-user" && a.otherwise ? (checkPath(a.otherwise.path) ?? (a.otherwise.target.includes("\0") ? "invalid symlink target" : undefined)) : undefined;
    if (otherwise) issues.push({ path: at, message: `otherwise: ${otherwise}` });
  }
  return issues;
}

/** Why a path is unacceptable, or undefined: absolute, no `.`/`..`/empty segments, no NUL. */
export function checkPath(path: string): string | undefined {
  if (path.includes("\0")) return "path contains a NUL byte";
  if (!path.startsWith("/")) return "path must be absolute";
  if (path.split("/").includes("..")) return "path must not contain '..' (path traversal)";
  if (path !== "/" && posix.normalize(path) !== path.replace(/\/$/, "")) return "path must be normalised (no '.', '//' segments)";
  return undefined;
}

function checkMode(a: Action): string | undefined {
  if (!("mode" in a)) return undefined;
  const m = a.mode;
  const isFile = a.kind === "write-file" || a.kind === "merge-json" || a.kind === "generate-file";
  if (isFile && m & 0o7000) return `mode ${octal(m)} is not allowed for a file foyer writes: no setuid, setgid or sticky bits`;
  if (m & 0o4000) return `mode ${octal(m)} is not allowed: foyer never sets the setuid bit`;
  if (isFile && m & 0o002) return `mode ${octal(m)} is not allowed: a file foyer writes must not be world-writable`;
  if (!isFile && m & 0o002 && !(m & 0o1000)) return `mode ${octal(m)} is not allowed: a world-writable directory needs the sticky bit (e.g. 1777)`;
  if (isFile && (a.kind === "generate-file" || a.secret) && m & 0o004) return `mode ${octal(m)} is not allowed: the file holds secrets and must not be world-readable (e.g. 0600 or 0640)`;
  return undefined;
}
