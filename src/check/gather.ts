// The reads the validation stage needs, done once before the checks so the checks stay pure:
// template files, the user database (NSS), the plan's paths on disk, the directories programs and
// hooks need, and whether the health port is free.
import { createServer } from "node:net";
import type { UserDatabase } from "../identity/index.js";
import type { Action } from "../plan/action.js";
import type { FsOps } from "../plan/fsops.js";
import type { Spec } from "../spec/schema.js";
import { observeDisk, type DiskFacts } from "./disk.js";
import { hookDirs, neededDirs, type PathKind, type PortFact, type SelfIds } from "./system-checks.js";

/** Everything the checks know about the system. */
export interface Facts {
  users: UserDatabase;
  /** absent when the scope does not look at the target system (render --out) */
  disk?: DiskFacts;
  kinds: ReadonlyMap<string, PathKind>;
  /** owner and mode of each hook directory that exists */
  hookDirs?: ReadonlyMap<string, { uid: number; mode: number }>;
  port?: PortFact;
  /** foyer's own ids (when the scope looks at the system that will run the spec) */
  self?: SelfIds;
}

/** Which reads to make. */
export interface GatherOptions {
  users: UserDatabase;
  fs: FsOps;
  system: boolean;
  ports: boolean;
}

export async function gatherFacts(spec: Spec, actions: readonly Action[], opts: GatherOptions): Promise<Facts> {
  const facts: Facts = { users: opts.users, kinds: new Map() };
  if (opts.system) {
    facts.disk = observeDisk(actions, opts.fs);
    facts.kinds = new Map(neededDirs(spec).map((d) => [d, kindOf(d, opts.fs)]));
    facts.hookDirs = new Map(hookDirs(spec).flatMap((d) => {
      try {
        const st = opts.fs.statSync(d);
        return [[d, { uid: st.uid, mode: st.mode }] as const];
      } catch {
        return [];
      }
    }));
    facts.self = { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0, groups: process.getgroups?.() ?? [] };
  }
  if (opts.ports && spec.health) facts.port = { ...spec.health.listen, ...(await portProblem(spec.health.listen)) };
  return facts;
}

function kindOf(path: string, fs: FsOps): PathKind {
  try {
    const st = fs.statSync(path);
    return st.isDirectory() ? "dir" : st.isFile() ? "file" : "other";
  } catch {
    return "missing";
  }
}

/** Bind and close at once: the only reliable way to know the port is free for us. */
function portProblem(listen: { host: string; port: number }): Promise<{ problem?: string }> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", (err: NodeJS.ErrnoException) => {
      const why =
        err.code === "EADDRINUSE"
          ? "the address is already in use (another process listens there; a foyer already running?)"
          : err.code === "EADDRNOTAVAIL"
            ? "the address is not available on this machine"
            : err.code === "EACCES"
              ? "permission denied (ports below 1024 need root)"
              : (err.code ?? err.message);
      resolve({ problem: why });
    });
    server.listen({ host: listen.host, port: listen.port, exclusive: true }, () => server.close(() => resolve({})));
  });
}
