// The jupyter: section's part of the validation stage: read what start.sh would look at, then lay
// its result over the spec (the notebook program, the notebook user's home) and hand the stage the
// actions and accounts it adds. Everything here happens before any write.
import { lstatSync, readFileSync, statfsSync } from "node:fs";
import { dirname } from "node:path";
import type { ConfigIssue } from "../errors.js";
import { HomeSchema } from "../home/schema.js";
import type { PlannedAccounts, UserDatabase } from "../identity/index.js";
import type { Action } from "../plan/action.js";
import type { Spec } from "../spec/schema.js";
import { dockerStacks, type PathKind } from "./docker-stacks.js";

export interface JupyterPrepared {
  spec: Spec;
  before: Action[];
  after: Action[];
  planned: PlannedAccounts;
  issues: ConfigIssue[];
  warnings: string[];
}

export interface JupyterFacts {
  euid: number;
  users: UserDatabase;
  kindOf: (path: string) => PathKind;
  /** the filesystem type of the directory holding a path (statfs f_type), undefined when unknown */
  fsTypeOf: (path: string) => number | undefined;
  /** /etc/sudoers, when there is one */
  sudoers?: () => string | undefined;
}

/** The facts from the real system. */
export function systemJupyterFacts(users: UserDatabase): JupyterFacts {
  return {
    euid: process.geteuid?.() ?? 0,
    users,
    kindOf: (p) => {
      try {
        return lstatSync(p).isDirectory() ? "dir" : "other";
      } catch {
        return "missing";
      }
    },
    sudoers: () => {
      try {
        const st = lstatSync("/etc/sudoers");
        return st.isFile() && st.size < 1 << 20 ? readFileSync("/etc/sudoers", "utf8") : undefined;
      } catch {
        return undefined;
      }
    },
    fsTypeOf: (p) => {
      for (let d = dirname(p); ; d = dirname(d)) {
        try {
          return statfsSync(d).type;
        } catch {
          if (d === "/") return undefined;
        }
      }
    },
  };
}

/** Filesystems whose files are gone when the container restarts: tmpfs and the container's own overlay root. */
const EPHEMERAL: ReadonlyMap<number, string> = new Map([
  [0x01021994, "tmpfs"],
  [0x794c7630, "overlay (the container's own filesystem)"],
]);

export function prepareJupyter(spec: Spec, env: Readonly<Record<string, string | undefined>>, facts: JupyterFacts): JupyterPrepared {
  const none: JupyterPrepared = { spec, before: [], after: [], planned: {}, issues: [], warnings: [] };
  const jupyter = spec.jupyter;
  if (!jupyter) return none;
  const warnings = jupyter.persistent.flatMap((p) => {
    const type = facts.fsTypeOf(p);
    const name = type === undefined ? undefined : EPHEMERAL.get(type);
    return name ? [`jupyter.persistent: ${p} is on ${name}: it is lost when the container restarts; put it on a volume`] : [];
  });
  if (!jupyter.dockerStacks) return { ...none, warnings };
  const r = dockerStacks({ jupyter, env, euid: facts.euid, users: facts.users, kindOf: facts.kindOf, sudoers: facts.euid === 0 ? facts.sudoers?.() : undefined, program: spec.programs[jupyter.program] });
  let next = spec;
  const program = spec.programs[jupyter.program];
  if (program && r.issues.length === 0) {
    const patched = { ...program, ...r.program };
    if ("user" in r.program && r.program.user === undefined) delete patched.user;
    next = { ...next, programs: { ...next.programs, [jupyter.program]: patched } };
  }
  if (r.homeUser) {
    const home = next.home ?? HomeSchema.parse({});
    next = { ...next, home: { ...home, users: [...new Set([...home.users, r.homeUser])] } };
  }
  return { spec: next, before: r.before, after: r.after, planned: r.planned, issues: r.issues, warnings: [...warnings, ...r.warnings] };
}
