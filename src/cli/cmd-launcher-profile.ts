// `foyer launcher-profile explain`: the effective Job Launcher Kubernetes profile of one user —
// every launcher.kubernetes.profiles.conf option, its value, and the section it came from.
import { ConfigError } from "../errors.js";
import { Redactor } from "../log/index.js";
import { checkLauncherProfiles, explainProfiles, readProfiles, type EffectiveOption, type ProfileSection } from "../products/workbench/launcher-profiles.js";
import { SCOPES } from "../check/index.js";
import { MAX_OVERRIDE_BYTES, overrideFileOnDisk, readRegularFile } from "../check/read-regular.js";
import { SPEC_OPTIONS } from "./context.js";
import { parseCommandArgs, UsageError, type Command } from "./command.js";
import { prepare } from "./prepare.js";

const PROFILES_FILE = "launcher.kubernetes.profiles.conf";

export const launcherProfileCommand: Command = {
  name: "launcher-profile",
  help: `usage: foyer launcher-profile explain --user U [--groups G1,G2] [--file F | --spec S] [--json]

Prints the effective value of every ${PROFILES_FILE} option for user U in groups G1,G2, and the
section it came from. The Job Launcher reads the file top to bottom and applies every section that
matches the user ([*] everyone, [@group] members, [user] the user): for each option the LAST
matching section that sets it wins, whatever its kind. Options no section sets show the plugin's
default. Problems in the file (unknown options, ratios outside (0,1], a default image that is not
allowed...) are printed as warnings on stderr.

options:
  --user U          the user whose sessions and jobs are launched (required)
  --groups G1,G2    the user's groups, comma-separated (without them only [*] and [U] apply)
  --file F          read this profiles file
  --spec S          render the spec's config.profiles."${PROFILES_FILE}" as foyer init would
                    (else $FOYER_SPEC, else /etc/foyer/foyer.yaml, when --file is not given)
  --json            print {user, groups, sections, options} as JSON`,
  async run(argv) {
    const [action, ...rest] = argv;
    if (action !== "explain") {
      const got = action === undefined ? "no action given" : `unknown action '${action}'`;
      throw new UsageError(`foyer launcher-profile: ${got}; the action is: explain\nsee: foyer launcher-profile --help`);
    }
    const { values } = parseCommandArgs("launcher-profile", rest, {
      ...SPEC_OPTIONS,
      user: { type: "string", short: "u" },
      groups: { type: "string", short: "g" },
      file: { type: "string", short: "f" },
      json: { type: "boolean" },
    });
    const user = values.user?.trim();
    if (!user) throw new UsageError("foyer launcher-profile explain: --user U is required");
    if (values.file !== undefined && values.spec !== undefined) throw new UsageError("foyer launcher-profile explain: give --file or --spec, not both");
    const groups = (values.groups ?? "").split(",").map((g) => g.trim().replace(/^@/, "")).filter(Boolean);
    const source = values.file !== undefined ? fromFile(values.file) : await fromSpec(values);
    const warnings = checkLauncherProfiles(source.text, source.place, source.overrideFile);
    for (const w of warnings) process.stderr.write(source.redactor.redact(`foyer: warning: ${w.message} (${w.where ? `${source.place}:${w.where.replace(/^line /, "")}` : w.path})\n`));
    const explained = explainProfiles(readProfiles(source.text, source.place).sections, user, groups);
    const { applied } = explained;
    // Redact each value before it is laid out or JSON-encoded: an encoded secret would not match.
    const options = explained.options.map((o) => ({ ...o, value: source.redactor.redact(o.value) }));
    const out = values.json ? JSON.stringify(asJson(user, groups, applied, options), null, 2) + "\n" : formatExplain(source.origin ? `${source.place} (${source.origin})` : source.place, user, groups, applied, options);
    process.stdout.write(out);
    return 0;
  },
};

interface Source {
  text: string;
  /** the file read, or the path foyer init would write: what warnings and the header name */
  place: string;
  /** where the text comes from, when it is not simply the file */
  origin?: string;
  overrideFile: (path: string) => string | undefined;
  redactor: Redactor;
}

function fromFile(path: string): Source {
  return { text: readTextFile(path, PROFILES_FILE), place: path, overrideFile: overrideFileOnDisk, redactor: new Redactor() };
}

/** The profiles file exactly as `foyer init` would write it: load, plan, take its write-file action. */
async function fromSpec(flags: { spec?: string | undefined }): Promise<Source> {
  // read-only, like render: the spec's own checks, not the target system's
  const { loaded, actions } = await prepare(flags, SCOPES.render);
  const writes = actions.filter((a) => a.kind === "write-file");
  const action = writes.find((a) => a.path.endsWith(`/${PROFILES_FILE}`));
  if (!action || action.kind !== "write-file") {
    throw new ConfigError([{ path: `config.profiles.${PROFILES_FILE}`, message: `${loaded.specPath ?? "the spec"} renders no ${PROFILES_FILE}: nothing to explain` }]);
  }
  const planned = new Set(writes.map((a) => a.path));
  return {
    text: action.content,
    place: action.path,
    origin: `as foyer init would write it from ${action.source} of ${loaded.specPath ?? "the spec"}`,
    overrideFile: (p) => (planned.has(p) ? undefined : overrideFileOnDisk(p)),
    redactor: loaded.redactor,
  };
}

/** A regular file's text (never a FIFO or device), or a config error naming it. */
function readTextFile(path: string, what: string): string {
  const r = readRegularFile(path, MAX_OVERRIDE_BYTES * 16);
  if (!r.ok) throw new ConfigError([{ path, message: `${what} ${path} ${r.error}` }]);
  return r.text;
}

const sectionLabel = (s: ProfileSection) => `[${s.name}]${s.where ? ` ${s.where}` : ""}`;

/** One line per option: `key = value   [section] line N` or `(default)`. */
export function formatExplain(place: string, user: string, groups: readonly string[], applied: readonly ProfileSection[], options: readonly EffectiveOption[]): string {
  const lines = [`${place}: effective profile of user ${user}${groups.length ? ` (groups: ${groups.join(", ")})` : " (no groups given)"}`];
  lines.push(applied.length ? `sections applied, top to bottom (the last one setting an option wins): ${applied.map(sectionLabel).join(", ")}` : "no section applies: every option has the plugin's default");
  lines.push("");
  const width = Math.max(...options.map((o) => o.key.length));
  const valueWidth = Math.min(40, Math.max(...options.map((o) => o.value.length)));
  for (const o of options) {
    const from = o.section ? `[${o.section.name}]${o.where ? ` ${o.where}` : ""}` : "(default)";
    const note = o.unknown ? `  (unknown option${o.unknown.suggestion ? `; did you mean ${o.unknown.suggestion}?` : ""})` : "";
    lines.push(`${o.key.padEnd(width)} = ${o.value.padEnd(valueWidth)}  ${from}${note}`);
  }
  return lines.join("\n") + "\n";
}

function asJson(user: string, groups: readonly string[], applied: readonly ProfileSection[], options: readonly EffectiveOption[]) {
  const lineOf = (where?: string) => (where ? Number(where.replace(/^line /, "")) : undefined);
  return {
    user,
    groups,
    sections: applied.map((s) => ({ section: s.name, line: lineOf(s.where) })),
    options: options.map((o) => ({ option: o.key, value: o.value, section: o.section?.name ?? null, line: lineOf(o.where) ?? null, ...(o.unknown ? { unknown: true } : {}) })),
  };
}


