// A small Dockerfile reader for the images tests (no Docker engine runs in CI): instructions with
// line continuations joined and comments dropped, exec-form (JSON) arguments parsed, and the parts
// of RUN that lay out the filesystem (accounts, directories, owners) picked out so a test can run
// them in the testkit root.
import { copyFileSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export interface Instruction {
  op: string; // upper case: FROM, RUN, COPY, ENV, USER, ENTRYPOINT, CMD…
  args: string; // the rest of the instruction, continuations joined
  line: number; // 1-based line of its first line
}

export function parseDockerfile(text: string): Instruction[] {
  const out: Instruction[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const first = (lines[i] ?? "").trim();
    if (first === "" || first.startsWith("#")) continue;
    const line = i + 1;
    let body = first;
    while (body.endsWith("\\") && i + 1 < lines.length) {
      body = body.slice(0, -1);
      i++;
      const next = (lines[i] ?? "").trim();
      if (!next.startsWith("#")) body += " " + next; // comment lines inside a continuation are dropped
    }
    const m = /^(\S+)\s*(.*)$/.exec(body.replace(/\s+/g, " ").trim());
    if (!m?.[1]) throw new Error(`line ${line}: cannot read "${first}"`);
    out.push({ op: m[1].toUpperCase(), args: m[2] ?? "", line });
  }
  return out;
}

/** The exec (JSON) form of ENTRYPOINT/CMD; throws on the shell form, which would put /bin/sh as PID 1. */
export function execForm(ins: Instruction): string[] {
  let v: unknown;
  try {
    v = JSON.parse(ins.args);
  } catch {
    throw new Error(`line ${ins.line}: ${ins.op} is not in exec form: ${ins.args}`);
  }
  if (!Array.isArray(v) || !v.every((x) => typeof x === "string")) throw new Error(`line ${ins.line}: ${ins.op} is not a list of strings`);
  return v;
}

/** The last instruction of a kind (what the image ends with), or undefined. */
export function last(instructions: Instruction[], op: string): Instruction | undefined {
  return instructions.filter((i) => i.op === op).at(-1);
}

/** COPY sources and destination (no --from: the build context). */
export function copies(instructions: Instruction[]): { from: string[]; to: string }[] {
  return instructions
    .filter((i) => i.op === "COPY")
    .map((i) => {
      if (i.args.startsWith("--from")) throw new Error(`line ${i.line}: multi-stage COPY is not expected`);
      const words = i.args.split(" ").filter((w) => !w.startsWith("--"));
      return { from: words.slice(0, -1), to: words.at(-1) ?? "" };
    });
}

/** ENV KEY=VALUE pairs (the form these Dockerfiles use). */
export function envOf(instructions: Instruction[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const i of instructions.filter((x) => x.op === "ENV")) {
    for (const pair of i.args.split(" ")) {
      const eq = pair.indexOf("=");
      if (eq < 1) throw new Error(`line ${i.line}: ENV "${pair}" is not KEY=VALUE`);
      env[pair.slice(0, eq)] = pair.slice(eq + 1).replace(/^"(.*)"$/, "$1");
    }
  }
  return env;
}

// The commands of RUN that shape accounts and directories; package installs and downloads are
// left out (no network, no products here).
const LAYOUT_COMMANDS = new Set(["groupadd", "useradd", "mkdir", "chown", "chmod"]);

export function layoutCommands(instructions: Instruction[]): string[] {
  return instructions
    .filter((i) => i.op === "RUN")
    .flatMap((i) => i.args.split("&&").map((c) => c.trim()))
    .filter((c) => LAYOUT_COMMANDS.has(c.split(" ")[0] ?? ""));
}

/** The shell lines that make an image's layout in a root where the build context is at /opt/app:
 * its COPYs, then its account and directory commands. */
export function layoutScript(instructions: Instruction[]): string[] {
  return [
    ...copies(instructions).map((c) => `mkdir -p "$(dirname ${c.to})" && cp ${c.from.map((f) => `/opt/app/${f}`).join(" ")} ${c.to}`),
    ...layoutCommands(instructions),
  ];
}

/** A command line run as the container runtime would start the image: its USER (a name or uid,
 * with its passwd group), WORKDIR and ENV, plus `extraEnv`. */
export function asImageRuns(instructions: Instruction[], command: string, extraEnv: Record<string, string> = {}): string[] {
  const user = last(instructions, "USER")?.args ?? "root";
  const workdir = last(instructions, "WORKDIR")?.args ?? "/";
  const env = Object.entries({ ...envOf(instructions), ...extraEnv }).map(([k, v]) => `'${k}=${v.replace(/'/g, "'\\''")}'`);
  return [
    `cd ${workdir}`,
    user === "root"
      ? `exec env ${env.join(" ")} ${command}`
      : `exec setpriv --reuid ${user} --regid "$(id -g ${user})" --clear-groups env HOME="$(getent passwd ${user} | cut -d: -f6)" ${env.join(" ")} ${command}`,
  ];
}

/** A temporary build context holding only what the Dockerfile COPYs, at the same relative paths. */
export function makeBuildContext(instructions: Instruction[], repoRoot: string, label: string): string {
  const ctx = mkdtempSync(join(tmpdir(), `foyer-image-${label}-`));
  for (const c of copies(instructions))
    for (const f of c.from) {
      mkdirSync(dirname(join(ctx, f)), { recursive: true });
      copyFileSync(join(repoRoot, f), join(ctx, f));
    }
  return ctx;
}
