// supervisord `[program:x]` files (Posit's images' /startup/*/*.conf, the charts' `startupCustom`
// and `startupUserProvisioning`) → foyer programs, so a team's custom services run unchanged. Pure:
// text in, programs and notes out. Everything that does not carry over (a log file, an event
// listener, numprocs > 1, …) becomes a note with its file, section and line: never dropped silently.
import type * as z from "zod";
import { ProgramSchema } from "../../spec/schema.js";
import { parseIni, type IniEntry, type IniError, type IniSection } from "./ini.js";
import { keyValuePairs, shlexSplit } from "./shlex.js";
import { expand } from "./expand.js";

/** A program as a user would write it in a spec (validated by the spec's ProgramSchema). */
export type ProgramInput = z.input<typeof ProgramSchema>;

/** One supervisord config file. */
export interface SupervisordFile {
  /** where it comes from (for notes, and `%(here)s`) */
  path: string;
  text: string;
}

/** What expansions need from the world. */
export interface TranslateOptions {
  /** the environment supervisord would run with (`%(ENV_X)s`) */
  env: Record<string, string>;
  /** `%(host_node_name)s` */
  hostname?: string;
}

/** Something that was not translated, or not as supervisord would run it. */
export interface Note {
  file: string;
  line: number;
  /** "program:rstudio-launcher", "eventlistener:process-monitor", … ("" before any section) */
  section: string;
  key?: string;
  message: string;
}

/** The result: programs in supervisord's start order (priority, then name) and the notes. */
export interface Translation {
  programs: Record<string, ProgramInput>;
  notes: Note[];
}

/** supervisord's defaults (supervisor 4). */
const DEFAULTS = { priority: 999, startsecs: 1, startretries: 3, stopwaitsecs: 10, autorestart: "unexpected", exitcodes: "0" };

const SIGNALS: Record<string, string> = { 1: "HUP", 2: "INT", 3: "QUIT", 9: "KILL", 10: "USR1", 12: "USR2", 15: "TERM", 28: "WINCH" };
type StopSignal = NonNullable<NonNullable<ProgramInput["stop"]>["signal"]>;
const FOYER_SIGNALS: readonly StopSignal[] = ["TERM", "INT", "QUIT", "HUP", "KILL", "USR1", "USR2", "WINCH"];
// where a program's output already goes to foyer's own stdout/stderr
const CONSOLE = new Set(["/dev/stdout", "/dev/stderr", "/dev/fd/1", "/dev/fd/2", "/proc/self/fd/1", "/proc/self/fd/2"]);
// settings of a log file that is not written (its output goes to foyer's stdout/stderr)
const LOG_FILE_DETAILS = /^(stdout|stderr)_logfile_(maxbytes|backups)$/;
// accepted without a note: foyer signals the whole process group anyway; process_name only names
// the processes of numprocs > 1
const SAME_IN_FOYER = new Set(["stopasgroup", "killasgroup", "process_name", "numprocs_start"]);

/** Translate supervisord config files into foyer programs. */
export function translateSupervisord(files: SupervisordFile[], options: TranslateOptions): Translation {
  const sections = new Map<string, IniSection>();
  const errors: IniError[] = [];
  for (const f of files) parseIni(f.path, f.text, sections, errors);
  const notes: Note[] = errors.map((e) => ({ file: e.file, line: e.line, section: "", message: `not read: ${e.message}` }));
  const translated: Array<{ name: string; priority: number; program: ProgramInput }> = [];
  for (const section of sections.values()) {
    if (!section.name.startsWith("program:")) {
      notes.push(sectionNote(section));
      continue;
    }
    const t = translateProgram(section, options, notes);
    const taken = t && translated.find((other) => other.name === t.name);
    if (taken) notes.push({ file: section.file, line: section.line, section: section.name, message: `program not translated: its foyer name '${t.name}' is taken by another program` });
    else if (t) translated.push(t);
  }
  translated.sort((a, b) => a.priority - b.priority || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  orderByPriority(translated);
  return { programs: Object.fromEntries(translated.map((t) => [t.name, t.program])), notes };
}

// supervisord starts lower priorities first and stops them last: each priority group starts
// `after:` the autostart programs of the group before it (and so stops before them)
function orderByPriority(programs: Array<{ priority: number; program: ProgramInput; name: string }>): void {
  const autostart = programs.filter((p) => p.program.autostart !== false);
  const priorities = [...new Set(autostart.map((p) => p.priority))];
  for (const p of autostart) {
    const k = priorities.indexOf(p.priority);
    if (k > 0) p.program.after = autostart.filter((q) => q.priority === priorities[k - 1]).map((q) => q.name);
  }
}

function sectionNote(section: IniSection): Note {
  const at = { file: section.file, line: section.line, section: section.name };
  const [kind] = section.name.split(":");
  const get = (key: string): string | undefined => section.entries.get(key)?.value;
  switch (kind) {
    case "supervisord":
    case "unix_http_server":
    case "inet_http_server":
    case "supervisorctl":
    case "rpcinterface":
      return { ...at, message: "supervisord's own settings: not translated (foyer is the supervisor; see its health and control settings)" };
    case "include":
      return { ...at, key: "files", message: `[include] is not followed: translate the included files themselves (files = ${get("files") ?? ""})` };
    case "group":
      return { ...at, message: `groups are not translated: its programs (${get("programs") ?? ""}) are translated on their own` };
    case "eventlistener": {
      // Posit's process-monitor ends supervisord when any program stops, exits or goes FATAL
      const endsAll = /PROCESS_STATE_(EXITED|STOPPED|FATAL)/.test(get("events") ?? "") && /kill\b[^\n]*\$PPID/.test(get("command") ?? "");
      return {
        ...at,
        message: `event listeners are not translated${endsAll ? "; this one ends the container when any program ends: in foyer, mark the programs whose end should end the container `critical: true`" : ""}`,
      };
    }
    case "fcgi-program":
      return { ...at, message: "fcgi programs (a shared socket) are not translated" };
    default:
      return { ...at, message: `unknown section [${section.name}]: not translated` };
  }
}

/** One `[program:x]`: a foyer program, or undefined (with notes) when it cannot be one. */
function translateProgram(section: IniSection, options: TranslateOptions, notes: Note[]): { name: string; priority: number; program: ProgramInput } | undefined {
  const supervisordName = section.name.slice("program:".length);
  const name = supervisordName.replace(/[^A-Za-z0-9_-]/g, "-");
  const note = (message: string, entry?: IniEntry, key?: string): void =>
    void notes.push({ file: entry?.file ?? section.file, line: entry?.line ?? section.line, section: section.name, ...(key ? { key } : {}), message });
  if (name !== supervisordName) note(`program name '${supervisordName}' becomes '${name}' (foyer names use letters, digits, _ and -)`);
  const numprocs = int(section, "numprocs", 1, note);
  const here = section.file.includes("/") ? section.file.slice(0, section.file.lastIndexOf("/")) || "/" : ".";
  const values: Record<string, string | number> = {
    ...Object.fromEntries(Object.entries(options.env).map(([k, v]) => [`ENV_${k}`, v])),
    here,
    program_name: supervisordName,
    group_name: supervisordName,
    process_num: int(section, "numprocs_start", 0, () => {}),
    numprocs,
    ...(options.hostname ? { host_node_name: options.hostname } : {}),
  };
  const str = (key: string): string | undefined => {
    const entry = section.entries.get(key);
    if (!entry) return undefined;
    const v = expand(entry.value, values);
    if (typeof v === "string") return v;
    note(`not translated: ${v.error}`, entry, key);
    return undefined;
  };
  const commandText = str("command");
  if (commandText === undefined) {
    if (!section.entries.has("command")) note("no command: program not translated");
    else note("program not translated: its command cannot be read", section.entries.get("command"), "command");
    return undefined;
  }
  const argv = shlexSplit(commandText);
  if ("error" in argv || argv.length === 0) {
    note(`program not translated: command ${"error" in argv ? `cannot be split: ${argv.error}` : "is empty"}`, section.entries.get("command"), "command");
    return undefined;
  }
  const program: ProgramInput = { command: argv };
  if (numprocs > 1) note(`numprocs=${numprocs} is not translated: foyer runs one process of this program`, section.entries.get("numprocs"), "numprocs");
  const priority = int(section, "priority", DEFAULTS.priority, note);
  if (!bool(section, "autostart", true, note)) program.autostart = false;
  const startsecs = int(section, "startsecs", DEFAULTS.startsecs, note);
  if (startsecs > 0) program.ready = { uptime: startsecs };
  program.backoff = { retries: int(section, "startretries", DEFAULTS.startretries, note) };
  program.restart = restartPolicy(section, note);
  program.stop = { signal: stopSignal(section, note), grace: int(section, "stopwaitsecs", DEFAULTS.stopwaitsecs, note) };
  const user = str("user");
  if (user !== undefined) program.user = user;
  const directory = str("directory");
  if (directory !== undefined) program.cwd = directory;
  const umask = str("umask");
  if (umask !== undefined) {
    if (/^(0o?)?[0-7]{1,4}$/i.test(umask)) program.umask = (parseInt(umask.replace(/^0o/i, ""), 8) & 0o777).toString(8).padStart(3, "0");
    else note(`not translated: umask ${JSON.stringify(umask)} is not an octal number`, section.entries.get("umask"), "umask");
  }
  const environment = str("environment");
  if (environment !== undefined) {
    const env = keyValuePairs(environment);
    if ("error" in env) note(`not translated: ${env.error}`, section.entries.get("environment"), "environment");
    else program.env = env;
  }
  outputNotes(section, str, note);
  for (const [key, entry] of section.entries) if (!HANDLED.has(key) && !LOG_FILE_DETAILS.test(key) && !SAME_IN_FOYER.has(key)) note(`unknown option '${key}': ignored`, entry, key);
  return checked(name, priority, program, section, note);
}

const HANDLED = new Set([
  "command", "numprocs", "priority", "autostart", "startsecs", "startretries", "autorestart", "exitcodes", "stopsignal", "stopwaitsecs",
  "user", "directory", "umask", "environment", "redirect_stderr", "stdout_logfile", "stderr_logfile", "stdout_capture_maxbytes",
  "stderr_capture_maxbytes", "stdout_events_enabled", "stderr_events_enabled", "stdout_syslog", "stderr_syslog", "serverurl",
]);

// the spec's own rules have the last word: a program they reject is reported, not returned
function checked(name: string, priority: number, program: ProgramInput, section: IniSection, note: (m: string, e?: IniEntry, k?: string) => void) {
  const result = ProgramSchema.safeParse(program);
  if (result.success) return { name, priority, program };
  for (const issue of result.error.issues) {
    const key = ({ cwd: "directory", env: "environment", stop: "stopsignal", backoff: "startretries", ready: "startsecs" } as Record<string, string>)[String(issue.path[0])] ?? String(issue.path[0] ?? "");
    note(`program not translated: ${key || "program"}: ${issue.message}`, section.entries.get(key), key || undefined);
  }
  return undefined;
}

// autorestart true/false/unexpected → always/never/on-failure; "unexpected" means "not in exitcodes"
function restartPolicy(section: IniSection, note: (m: string, e?: IniEntry, k?: string) => void): "always" | "never" | "on-failure" {
  const entry = section.entries.get("autorestart");
  const value = (entry?.value ?? DEFAULTS.autorestart).toLowerCase();
  if (value === "unexpected") {
    const codes = (section.entries.get("exitcodes")?.value ?? DEFAULTS.exitcodes).split(",").map((c) => c.trim());
    if (codes.join(",") !== "0")
      note(`exitcodes=${codes.join(",")} is not translated: foyer restarts every non-zero exit (restart: on-failure)`, section.entries.get("exitcodes"), "exitcodes");
    return "on-failure";
  }
  const b = parseBool(value);
  if (b !== undefined) return b ? "always" : "never";
  note(`not translated: autorestart ${JSON.stringify(entry!.value)} is not true, false or unexpected (supervisord's default, unexpected, is used)`, entry, "autorestart");
  return "on-failure";
}

function stopSignal(section: IniSection, note: (m: string, e?: IniEntry, k?: string) => void): StopSignal {
  const entry = section.entries.get("stopsignal");
  if (!entry) return "TERM";
  const raw = entry.value.trim().toUpperCase().replace(/^SIG/, "");
  const sig = SIGNALS[raw] ?? raw;
  const known = FOYER_SIGNALS.find((s) => s === sig);
  if (known) return known;
  note(`not translated: stopsignal ${entry.value} (foyer stops with TERM, INT, QUIT, HUP, KILL, USR1, USR2 or WINCH); TERM is used`, entry, "stopsignal");
  return "TERM";
}

// where the output goes: foyer writes every program's stdout and stderr to its own, prefixed
function outputNotes(section: IniSection, str: (k: string) => string | undefined, note: (m: string, e?: IniEntry, k?: string) => void): void {
  const redirect = section.entries.get("redirect_stderr");
  if (redirect && parseBool(redirect.value)) note("redirect_stderr is not translated: foyer keeps the program's stderr apart (on its own stderr, prefixed)", redirect, "redirect_stderr");
  for (const stream of ["stdout", "stderr"] as const) {
    const key = `${stream}_logfile`;
    const file = str(key);
    const entry = section.entries.get(key);
    if (file === undefined || CONSOLE.has(file)) {
      const redirected = stream === "stderr" && redirect && parseBool(redirect.value);
      if (!entry && !redirected) note(`${key} is not set (supervisord's default, AUTO, is a log file in its childlogdir): foyer writes it to its own ${stream}, prefixed`);
    } else if (file.toUpperCase() === "NONE") note(`${key}=NONE is not translated: foyer does not discard output; it goes to foyer's ${stream}, prefixed`, entry, key);
    else note(`${key}=${file} is not translated: foyer writes program output to its own ${stream}, prefixed, not to a file`, entry, key);
    for (const [suffix, what] of [
      ["capture_maxbytes", "capture mode (for event listeners)"],
      ["events_enabled", "output events (for event listeners)"],
      ["syslog", "syslog output"],
    ] as const) {
      const e = section.entries.get(`${stream}_${suffix}`);
      if (e && e.value.trim() !== "0" && parseBool(e.value) !== false) note(`${stream}_${suffix} is not translated: foyer has no ${what}`, e, `${stream}_${suffix}`);
    }
  }
  const serverurl = section.entries.get("serverurl");
  if (serverurl) note("serverurl is not translated: there is no supervisorctl server (foyer ctl uses foyer's control socket)", serverurl, "serverurl");
}

function parseBool(value: string): boolean | undefined {
  const v = value.trim().toLowerCase();
  if (["true", "yes", "on", "1"].includes(v)) return true;
  if (["false", "no", "off", "0"].includes(v)) return false;
  return undefined;
}

function bool(section: IniSection, key: string, fallback: boolean, note: (m: string, e?: IniEntry, k?: string) => void): boolean {
  const entry = section.entries.get(key);
  if (!entry) return fallback;
  const b = parseBool(entry.value);
  if (b !== undefined) return b;
  note(`not translated: ${key} ${JSON.stringify(entry.value)} is not a boolean; supervisord's default (${fallback}) is used`, entry, key);
  return fallback;
}

function int(section: IniSection, key: string, fallback: number, note: (m: string, e?: IniEntry, k?: string) => void): number {
  const entry = section.entries.get(key);
  if (!entry) return fallback;
  if (/^\s*\d+\s*$/.test(entry.value)) return Number(entry.value);
  note(`not translated: ${key} ${JSON.stringify(entry.value)} is not a whole number; supervisord's default (${fallback}) is used`, entry, key);
  return fallback;
}
