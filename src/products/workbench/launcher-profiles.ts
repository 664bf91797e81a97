// launcher.kubernetes.profiles.conf: reading it, checking it against the Job Launcher Kubernetes
// plugin's option table (../shared/seeds/001 §3.1.2), and resolving the effective options of one
// user. Pure: the only outside knowledge, whether a job-json-overrides file can be used, is asked
// through a function the caller passes in.
//
// The product's rules (seed 001): sections are `[*]` (everyone), `[@group]` (members of group)
// and `[user]`; "the profiles file is processed from top to bottom (i.e. settings matching the
// current user that occur later in the file always override ones that appeared prior)". So the
// effective value of an option is the one in the LAST matching section that sets it, whatever the
// kind of section: a `[*]` written after `[jsmith]` overrides jsmith's own value.
import type { ConfigIssue } from "../../errors.js";
import { didYouMean } from "../../spec/suggest.js";
import { isMap } from "../../render/values.js";
import { checkAgainst, parseBody } from "../options/check.js";
import { childPath, type OptionEntry, type ParsedOptions } from "../options/entries.js";
import { LAUNCHER_KUBERNETES_PROFILES_CONF as CATALOG, PROFILE_OPTIONS } from "./options/launcher.js";

export interface ProfileSetting {
  key: string;
  /** the value as the product reads it (a YAML list comma-joined, as the renderer writes it) */
  value: string;
  path: string;
  where?: string;
}

export interface ProfileSection {
  /** `*`, `@group` or a user name */
  name: string;
  kind: "everyone" | "group" | "user";
  path: string;
  where?: string;
  settings: ProfileSetting[];
}

/** The sections of a profiles file in the order written (text, or the charts' structured form). */
export function readProfiles(body: unknown, place: string): { sections: ProfileSection[]; parsed: ParsedOptions } {
  const parsed = parseBody(CATALOG, body, place);
  const sections: ProfileSection[] = parsed.sections.map((s) => ({
    name: s.section,
    kind: s.section === "*" ? "everyone" : s.section.startsWith("@") ? "group" : "user",
    path: s.path,
    ...(s.where ? { where: s.where } : {}),
    settings: [],
  }));
  const setting = (e: OptionEntry, value: string): ProfileSetting => ({ key: e.key, value, path: e.path, ...(e.where ? { where: e.where } : {}) });
  for (const e of parsed.entries) {
    if (e.sectionIndex !== undefined) sections[e.sectionIndex]!.settings.push(setting(e, e.values.join(",")));
  }
  // Structured job-json-overrides ({target, file} / {target, name, json}) are not plain values:
  // take them from the data, in the native `"target":"file"` form the renderer writes.
  if (typeof body !== "string") {
    for (const s of sections) {
      const raw = sectionBody(body, s);
      const list = raw?.["job-json-overrides"];
      if (!Array.isArray(list) || list.every((x) => typeof x === "string")) continue;
      const pairs = list.flatMap((o): string[] => {
        if (typeof o === "string") return [o];
        if (isMap(o) && typeof o.target === "string" && typeof o.file === "string") return [`${JSON.stringify(o.target)}:${JSON.stringify(o.file)}`];
        if (isMap(o) && typeof o.target === "string" && typeof o.name === "string") return [`${JSON.stringify(o.target)}:${JSON.stringify(`${INLINE}${o.name.replace(/\s+/g, "")}>`)}`];
        return []; // the renderer reports malformed overrides
      });
      s.settings = s.settings.filter((x) => x.key !== "job-json-overrides");
      s.settings.push({ key: "job-json-overrides", value: pairs.join(","), path: childPath(s.path, "job-json-overrides") });
    }
  }
  return { sections, parsed };
}

/** Stands for the file the renderer writes from an inline `{target, name, json}` override. */
const INLINE = "<inline json ";

/** The raw data of a structured section, found again by its path. */
function sectionBody(body: unknown, s: ProfileSection): Record<string, unknown> | undefined {
  const candidates = isMap(body) ? [body] : Array.isArray(body) ? body.filter(isMap) : [];
  for (const c of candidates) if (isMap(c[s.name])) return c[s.name] as Record<string, unknown>;
  return undefined;
}

/** What the caller knows about a job-json-overrides file: undefined when usable, else why not. */
export type OverrideFileCheck = (path: string) => string | undefined;

/**
 * Every problem of a profiles file: unknown options (did-you-mean), wrong types, ratios outside
 * (0, 1], defaults above maxima, malformed image lists and placement constraints, a default image
 * not in the allowed list while unknown images are refused, job-json-overrides that do not parse
 * or whose file `overrideFile` rejects. Called by the validation stage for
 * `config.profiles."launcher.kubernetes.profiles.conf"` (and any file with that name).
 */
export function checkLauncherProfiles(body: unknown, place: string, overrideFile: OverrideFileCheck = () => undefined): ConfigIssue[] {
  const { sections, parsed } = readProfiles(body, place);
  const issues = checkAgainst(CATALOG, parsed, { types: false }); // valueProblem below is stricter
  const at = (p: { path: string; where?: string }, message: string): ConfigIssue => ({ path: p.path, message, ...(p.where ? { where: p.where } : {}) });
  for (const s of sections) {
    if (!/^(\*|@[^\s[\]@]+|[^\s[\]@*][^\s[\]]*)$/.test(s.name)) issues.push(at(s, `[${s.name}] is not a profile section: use [*], [@group] or [user]`));
    const set = new Map(s.settings.map((x) => [x.key, x]));
    for (const x of s.settings) {
      const problem = valueProblem(x.key, x.value, overrideFile);
      if (problem) issues.push(at(x, `${x.key} in [${s.name}]: ${problem}`));
    }
    for (const [def, max] of [["default-cpus", "max-cpus"], ["default-mem-mb", "max-mem-mb"], ["default-nvidia-gpus", "max-nvidia-gpus"], ["default-amd-gpus", "max-amd-gpus"]] as const) {
      const d = Number(set.get(def)?.value);
      const m = Number(set.get(max)?.value);
      if (set.has(def) && set.has(max) && m > 0 && d > m) issues.push(at(set.get(def)!, `${def}=${set.get(def)!.value} in [${s.name}] is above ${max}=${set.get(max)!.value}`));
    }
  }
  issues.push(...checkDefaultImages(sections));
  return issues;
}

/** Why one value is wrong for its option, or undefined (unknown options are checkAgainst's). */
function valueProblem(key: string, value: string, overrideFile: OverrideFileCheck): string | undefined {
  const option = PROFILE_OPTIONS[key];
  if (!option || value.trim() === "" || value.includes("{{")) return undefined;
  const n = Number(value);
  if ((option.type === "float" || option.type === "int") && (!/^\s*[+-]?(\d+(\.\d*)?|\.\d+)\s*$/.test(value) || n < 0)) return `${JSON.stringify(value)} is not a number ≥ 0`;
  if (option.type === "int" && !Number.isInteger(n)) return `${JSON.stringify(value)} is not a whole number`;
  if (option.type === "bool" && !/^(0|1|true|false)$/i.test(value.trim())) return `${JSON.stringify(value)} is not 1 or 0`;
  if ((key === "cpu-request-ratio" || key === "memory-request-ratio") && !(n > 0 && n <= 1)) return `${value} is outside (0, 1]: the request is this fraction of the limit`;
  if (key === "container-images" || key === "resource-profiles") {
    const bad = value.split(",").find((i) => i.trim() === "" || /\s/.test(i.trim()));
    if (bad !== undefined) return `${JSON.stringify(bad)} is not an entry of a comma-separated list (empty, or holds a space)`;
  }
  if (key === "default-container-image" && /[\s,]/.test(value.trim())) return `${JSON.stringify(value)} is one image name (no spaces or commas)`;
  if (key === "placement-constraints") return placementProblem(value);
  if (key === "job-json-overrides") return overridesProblem(value, overrideFile);
  return undefined;
}

/** `key1:value1,key2:value2,key3` (seed 001: the `:value` part is optional for free-form fields). */
function placementProblem(value: string): string | undefined {
  for (const item of value.split(",")) {
    if (!/^[A-Za-z0-9][A-Za-z0-9._/-]*(:[^\s,:]+)?$/.test(item.trim())) {
      return `${JSON.stringify(item)} is not a constraint: write key:value, or key alone for a free-form value (comma-separated, no spaces)`;
    }
  }
  return undefined;
}

/** `"{json pointer}":"{file}",...` — each pointer RFC 6901, each file absolute and usable. */
export function parseOverrides(value: string): { pairs: Array<{ target: string; file: string }>; error?: string } {
  const pairs: Array<{ target: string; file: string }> = [];
  const re = /\s*"((?:[^"\\]|\\.)*)"\s*:\s*"((?:[^"\\]|\\.)*)"\s*(,|$)/y;
  let i = 0;
  while (i < value.length) {
    re.lastIndex = i;
    const m = re.exec(value);
    if (!m) return { pairs, error: `cannot read ${JSON.stringify(value.slice(i))}: write "/json/pointer":"/path/to/file.json", comma-separated` };
    pairs.push({ target: m[1]!, file: m[2]! });
    i = re.lastIndex;
    if (m[3] === "" ) break;
  }
  return { pairs };
}

function overridesProblem(value: string, overrideFile: OverrideFileCheck): string | undefined {
  const { pairs, error } = parseOverrides(value);
  if (error) return error;
  for (const { target, file } of pairs) {
    if (target !== "" && !target.startsWith("/")) return `target ${JSON.stringify(target)} is not a JSON pointer (it starts with "/")`;
    if (file.startsWith(INLINE)) continue; // written by the renderer from an inline `json`
    if (!file.startsWith("/")) return `file ${JSON.stringify(file)} must be an absolute path`;
    const why = overrideFile(file);
    if (why) return `file ${file} ${why}`;
  }
  return undefined;
}

/**
 * A default image that a member of a section could not run: for each section, the view of a user
 * who matches it and every `[*]` (applied in file order), where unknown images are refused and the
 * default image is not among `container-images`.
 */
function checkDefaultImages(sections: readonly ProfileSection[]): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const seen = new Set<string>();
  sections.forEach((s, i) => {
    const view = sections.filter((t, j) => j === i || t.kind === "everyone");
    const eff = resolve(view);
    const image = eff.get("default-container-image");
    if (!image || image.value.trim() === "" || /^(1|true)$/i.test(eff.get("allow-unknown-images")?.value.trim() ?? PROFILE_OPTIONS["allow-unknown-images"]!.default!)) return;
    const allowed = (eff.get("container-images")?.value ?? "").split(",").map((x) => x.trim());
    if (allowed.includes(image.value.trim())) return;
    const key = `${image.path}|${image.where}|${image.value}`;
    if (seen.has(key)) return;
    seen.add(key);
    const who = s.kind === "everyone" ? "everyone" : `[${s.name}]`;
    issues.push({
      path: image.path,
      ...(image.where ? { where: image.where } : {}),
      message: `default-container-image ${image.value} is not in container-images for ${who} while allow-unknown-images=0: add it to the list or allow unknown images`,
    });
  });
  return issues;
}

/** Last matching section wins, per option. */
function resolve(sections: readonly ProfileSection[]): Map<string, ProfileSetting & { section: ProfileSection }> {
  const out = new Map<string, ProfileSetting & { section: ProfileSection }>();
  for (const s of sections) for (const x of s.settings) out.set(x.key, { ...x, section: s });
  return out;
}

/** One option's effective value for a user, and where it came from. */
export interface EffectiveOption {
  key: string;
  value: string;
  /** the section that set it, or undefined for the plugin's default */
  section?: ProfileSection;
  where?: string;
  /** an option the seed's table does not list (with the closest known name) */
  unknown?: { suggestion?: string };
}

/** Does this section apply to the user? */
export function sectionMatches(s: Pick<ProfileSection, "kind" | "name">, user: string, groups: readonly string[]): boolean {
  if (s.kind === "everyone") return true;
  if (s.kind === "group") return groups.includes(s.name.slice(1));
  return s.name === user;
}

/**
 * The effective value of every profile option for `user` in `groups`: each option of the seed's
 * table in its order (its default when no matching section sets it), the newer request options
 * when set, then options the file sets that no table knows. Top to bottom, the last matching section wins.
 */
export function explainProfiles(sections: readonly ProfileSection[], user: string, groups: readonly string[]): { applied: ProfileSection[]; options: EffectiveOption[] } {
  const applied = sections.filter((s) => sectionMatches(s, user, groups));
  const eff = resolve(applied);
  // Options of newer Launchers are shown only when set: the seed gives no default for them.
  const options: EffectiveOption[] = Object.entries(PROFILE_OPTIONS).flatMap(([key, o]): EffectiveOption[] => {
    const set = eff.get(key);
    if (set) return [{ key, value: set.value, section: set.section, ...(set.where ? { where: set.where } : {}) }];
    return o.default === undefined ? [] : [{ key, value: o.default }];
  });
  for (const [key, set] of eff) {
    if (PROFILE_OPTIONS[key]) continue;
    const suggestion = didYouMean(key, Object.keys(PROFILE_OPTIONS));
    options.push({ key, value: set.value, section: set.section, ...(set.where ? { where: set.where } : {}), unknown: suggestion ? { suggestion } : {} });
  }
  return { applied, options };
}
