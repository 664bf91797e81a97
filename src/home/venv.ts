// A Python venv in each home, made as the user (pure planning). Idempotent through `creates`:
// made once (pyvenv.cfg), packages installed once per requirements content (a stamp inside the
// venv named by its hash), the kernel registered once (its kernel.json). Rebuilt (`venv --clear`,
// which also drops the stamp, so packages are installed again) when the base Python's major.minor
// differs from the one the venv was made from: a venv does not survive that change.
import type { Action } from "../plan/action.js";
import { contentDigest } from "../plan/compare.js";
import type { Venv } from "./schema.js";

/** What the planner knows: the base Python's version, the venv's pyvenv.cfg version, the requirements text. */
export interface VenvFacts {
  /** "3.11.2" (sys.version_info of the base interpreter), or why it could not be asked */
  python: { ok: true; version: string } | { ok: false; error: string };
  /** the venv's pyvenv.cfg `version` (undefined: no venv there yet) */
  builtWith?: string;
  /** the requirements file's text */
  requirements?: string;
}

/** Variables a pip install needs from foyer's environment (proxies, an index): nothing else reaches it. */
const PASSED = /^(PIP_[A-Z0-9_]+|HTTPS?_PROXY|NO_PROXY|https?_proxy|no_proxy|UV_[A-Z0-9_]+)$/;

export function planVenv(v: Venv, user: string, home: string, facts: VenvFacts, env: Readonly<Record<string, string | undefined>>): Action[] {
  if (!facts.python.ok) return [];
  const venv = `${home}/${v.path}`;
  const source = "home.venv";
  const minor = (s: string | undefined) => s?.split(".").slice(0, 2).join(".");
  const rebuild = facts.builtWith !== undefined && minor(facts.builtWith) !== minor(facts.python.version);
  const actions: Action[] = [
    {
      kind: "run-command-as-user",
      path: home,
      reason: rebuild ? `venv of ${user} rebuilt: made with Python ${facts.builtWith}, the base is now ${facts.python.version}` : `venv of ${user}`,
      source,
      argv: [v.python, "-m", "venv", ...(v.systemSitePackages ? ["--system-site-packages"] : []), ...(rebuild ? ["--clear"] : []), venv],
      user,
      env: {},
      ...(rebuild ? {} : { creates: `${venv}/pyvenv.cfg` }),
    },
  ];
  const what = v.requirements ? ["-r", v.requirements] : v.packages;
  if (what.length) {
    // the stamp names what was installed: a new requirements text (or list) installs again
    const stamp = `${venv}/.foyer-installed-${contentDigest(`${facts.python.version}\n${v.requirements ? (facts.requirements ?? "") : v.packages.join("\n")}`).slice(0, 16)}`;
    const pipEnv = Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => PASSED.test(e[0]) && e[1] !== undefined));
    actions.push({
      kind: "run-command-as-user",
      path: home,
      reason: `packages for the venv of ${user} (${v.requirements ?? v.packages.join(" ")})`,
      source,
      argv: ["sh", "-c", 'stamp=$1; shift; "$@" && : > "$stamp"', "sh", stamp, `${venv}/bin/python`, "-m", "pip", "install", "--disable-pip-version-check", ...what],
      user,
      env: pipEnv,
      creates: stamp,
    });
  }
  if (v.kernel) {
    actions.push({
      kind: "run-command-as-user",
      path: home,
      reason: `the venv of ${user} as Jupyter kernel ${v.kernel.name}`,
      source: "home.venv.kernel",
      argv: [`${venv}/bin/python`, "-m", "ipykernel", "install", "--user", "--name", v.kernel.name, ...(v.kernel.displayName ? ["--display-name", v.kernel.displayName] : [])],
      user,
      env: {},
      creates: `${home}/.local/share/jupyter/kernels/${v.kernel.name.toLowerCase()}/kernel.json`,
    });
  }
  return actions;
}

/** The `version` line of a pyvenv.cfg (`version = 3.11.2`, or `version_info` in newer ones). */
export function pyvenvVersion(cfg: string): string | undefined {
  for (const line of cfg.split("\n")) {
    const m = /^\s*version(?:_info)?\s*=\s*([0-9][0-9.]*)/.exec(line);
    if (m) return m[1];
  }
  return undefined;
}
