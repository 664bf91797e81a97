// launcher.kubernetes.profiles.conf against the Job Launcher Kubernetes plugin's option table
// (../shared/seeds/001 §3.1.2): checks, and the effective options of one user (explain).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkLauncherProfiles, explainProfiles, readProfiles } from "../../../src/products/workbench/launcher-profiles.js";

const FIXTURES = join(import.meta.dirname, "../../fixtures/launcher-profiles");
const seed001 = readFileSync(join(FIXTURES, "seed-001-example.conf"), "utf8");
const seed000 = readFileSync(join(FIXTURES, "seed-000-sample.conf"), "utf8");

const messages = (body: unknown, check?: (p: string) => string | undefined) => checkLauncherProfiles(body, "p", check).map((i) => i.message);

/** key → [value, section] of every option a user ends up with. */
function effective(text: string, user: string, groups: string[] = []): Record<string, [string, string]> {
  const { options } = explainProfiles(readProfiles(text, "p").sections, user, groups);
  return Object.fromEntries(options.map((o) => [o.key, [o.value, o.section ? `[${o.section.name}]` : "(default)"]]));
}

describe("the seeds' example profiles", () => {
  it("are valid", () => {
    expect(checkLauncherProfiles(seed001, "p")).toEqual([]);
    expect(checkLauncherProfiles(seed000, "p")).toEqual([]);
  });

  it("jsmith (no group): [*] then [jsmith]; every other option at the plugin's default", () => {
    const e = effective(seed001, "jsmith");
    expect(e["max-cpus"]).toEqual(["3", "[jsmith]"]);
    expect(e["default-cpus"]).toEqual(["1", "[*]"]);
    expect(e["max-mem-mb"]).toEqual(["1024", "[*]"]);
    expect(e["container-images"]).toEqual(["r-session:3.4.2,r-session:3.5.0", "[*]"]);
    expect(e["allow-unknown-images"]).toEqual(["0", "[*]"]);
    expect(e["placement-constraints"]).toEqual(["node,region:us,region:eu", "[*]"]);
    expect(e["cpu-request-ratio"]).toEqual(["1.0", "(default)"]);
    expect(e["max-nvidia-gpus"]).toEqual(["0", "(default)"]);
  });

  it("a power user: the group's values over [*]", () => {
    const e = effective(seed001, "alice", ["staff", "rstudio-power-users"]);
    expect(e["default-cpus"]).toEqual(["4", "[@rstudio-power-users]"]);
    expect(e["max-cpus"]).toEqual(["20", "[@rstudio-power-users]"]);
    expect(e["max-amd-gpus"]).toEqual(["3", "[@rstudio-power-users]"]);
    expect(e["allow-unknown-images"]).toEqual(["1", "[@rstudio-power-users]"]);
    expect(e["placement-constraints"]).toEqual(["node,region:us,region:eu", "[*]"]);
  });

  it("jsmith in the power-user group: [jsmith] comes last in the file, so its max-cpus wins", () => {
    const e = effective(seed001, "jsmith", ["rstudio-power-users"]);
    expect(e["max-cpus"]).toEqual(["3", "[jsmith]"]);
    expect(e["default-cpus"]).toEqual(["4", "[@rstudio-power-users]"]);
  });

  it("lists the sections applied, in file order, with their lines", () => {
    const { applied } = explainProfiles(readProfiles(seed001, "p").sections, "jsmith", ["rstudio-power-users"]);
    expect(applied.map((s) => [s.name, s.where])).toEqual([["*", "line 1"], ["@rstudio-power-users", "line 10"], ["jsmith", "line 22"]]);
  });
});

describe("precedence is the file's order, not the kind of section", () => {
  it("a [*] written after [jsmith] overrides jsmith's value", () => {
    const text = "[jsmith]\nmax-cpus=3\n\n[*]\nmax-cpus=2\n";
    expect(effective(text, "jsmith")["max-cpus"]).toEqual(["2", "[*]"]);
  });

  it("a section for another user or group does not apply", () => {
    const text = "[*]\nmax-cpus=2\n[@gpu]\nmax-cpus=8\n[bob]\nmax-cpus=9\n";
    expect(effective(text, "jsmith", ["users"])["max-cpus"]).toEqual(["2", "[*]"]);
  });

  it("structured bodies (the chart's config.profiles form) resolve the same way; lists are comma-joined", () => {
    const body = { "*": { "container-images": ["a:1", "b:2"], "max-cpus": 2 }, "@gpu": { "max-nvidia-gpus": 1 } };
    const e = effective(body as unknown as string, "x", ["gpu"]);
    expect(e["container-images"]).toEqual(["a:1,b:2", "[*]"]);
    expect(e["max-nvidia-gpus"]).toEqual(["1", "[@gpu]"]);
  });
});

describe("checks", () => {
  it("request ratios must be in (0, 1]", () => {
    expect(messages("[*]\ncpu-request-ratio=0\nmemory-request-ratio=1.5\n")).toEqual([
      "cpu-request-ratio in [*]: 0 is outside (0, 1]: the request is this fraction of the limit",
      "memory-request-ratio in [*]: 1.5 is outside (0, 1]: the request is this fraction of the limit",
    ]);
    expect(messages("[*]\ncpu-request-ratio=0.5\nmemory-request-ratio=1\n")).toEqual([]);
  });

  it("types: numbers, whole GPU counts, 1/0 booleans", () => {
    expect(messages("[*]\ndefault-cpus=two\nmax-nvidia-gpus=1.5\nallow-unknown-images=yes\nmax-mem-mb=-1\n")).toEqual([
      'default-cpus in [*]: "two" is not a number ≥ 0',
      'max-nvidia-gpus in [*]: "1.5" is not a whole number',
      'allow-unknown-images in [*]: "yes" is not 1 or 0',
      'max-mem-mb in [*]: "-1" is not a number ≥ 0',
    ]);
  });

  it("a default above its maximum in the same section", () => {
    expect(messages("[@gpu]\ndefault-nvidia-gpus=2\nmax-nvidia-gpus=1\ndefault-cpus=1\nmax-cpus=0\n")).toEqual(["default-nvidia-gpus=2 in [@gpu] is above max-nvidia-gpus=1"]);
  });

  it("unknown options, with a did-you-mean, and options outside a section", () => {
    expect(checkLauncherProfiles("max-cpus=1\n[*]\nmax-cpu=2\n", "p").map((i) => [i.where, i.message])).toEqual([
      ["line 1", "max-cpus is outside any section: launcher.kubernetes.profiles.conf options belong to a [section]"],
      ["line 3", "unknown option max-cpu in [*] of launcher.kubernetes.profiles.conf; did you mean max-cpus?"],
    ]);
  });

  it("section names: [*], [@group] or [user]", () => {
    expect(messages("[@]\nmax-cpus=1\n[two words]\nmax-cpus=1\n[*x]\nmax-cpus=1\n")).toEqual([
      "[@] is not a profile section: use [*], [@group] or [user]",
      "[two words] is not a profile section: use [*], [@group] or [user]",
      "[*x] is not a profile section: use [*], [@group] or [user]",
    ]);
  });

  it("placement constraints: key:value or key, comma-separated", () => {
    expect(messages("[*]\nplacement-constraints=node,region:us\n")).toEqual([]);
    expect(messages("[*]\nplacement-constraints=node, region:us\n")).toHaveLength(0); // items are trimmed
    expect(messages("[*]\nplacement-constraints=region:us:east\n")[0]).toMatch(/"region:us:east" is not a constraint/);
    expect(messages("[*]\nplacement-constraints=node,,zone\n")[0]).toMatch(/"" is not a constraint/);
  });

  it("image lists: no empty entries or spaces", () => {
    expect(messages("[*]\ncontainer-images=a:1,,b:2\n")[0]).toMatch(/"" is not an entry of a comma-separated list/);
    expect(messages("[*]\ncontainer-images=a:1,b 2\n")[0]).toMatch(/"b 2" is not an entry/);
  });

  it("default-container-image must be allowed unless allow-unknown-images", () => {
    const text = "[*]\ncontainer-images=r:4.3,r:4.4\nallow-unknown-images=0\n[@beta]\ndefault-container-image=r:preview\n";
    expect(checkLauncherProfiles(text, "p")).toEqual([
      { path: "p", where: "line 5", message: "default-container-image r:preview is not in container-images for [@beta] while allow-unknown-images=0: add it to the list or allow unknown images" },
    ]);
    expect(messages(text + "allow-unknown-images=1\n")).toEqual([]);
    expect(messages(text.replace("r:4.4", "r:4.4,r:preview"))).toEqual([]);
    // the plugin's default is allow-unknown-images=1: no list, no problem
    expect(messages("[*]\ndefault-container-image=r:preview\n")).toEqual([]);
  });

  it("job-json-overrides: JSON pointers, absolute files the caller can vouch for", () => {
    const files: Record<string, string | undefined> = { "/etc/rstudio/ok.json": undefined, "/etc/rstudio/gone.json": "does not exist" };
    const check = (p: string) => files[p];
    expect(messages('[*]\njob-json-overrides="/spec/template/spec/hostAliases":"/etc/rstudio/ok.json"\n', check)).toEqual([]);
    expect(messages('[*]\njob-json-overrides="/a":"/etc/rstudio/ok.json","/b":"/etc/rstudio/gone.json"\n', check)).toEqual([
      "job-json-overrides in [*]: file /etc/rstudio/gone.json does not exist",
    ]);
    expect(messages('[*]\njob-json-overrides="spec/x":"/etc/rstudio/ok.json"\n', check)[0]).toMatch(/target "spec\/x" is not a JSON pointer/);
    expect(messages('[*]\njob-json-overrides="/a":"rel.json"\n', check)[0]).toMatch(/must be an absolute path/);
    expect(messages("[*]\njob-json-overrides=/a:/b\n", check)[0]).toMatch(/cannot read/);
  });

  it("structured job-json-overrides: {target, file} files are checked, inline json is the renderer's", () => {
    const body = { "*": { "job-json-overrides": [{ target: "/spec/x", file: "/missing.json" }, { target: "/spec/y", name: "vols", json: [] }] } };
    expect(checkLauncherProfiles(body, "config.profiles.launcher.kubernetes.profiles.conf", (p) => (p === "/missing.json" ? "does not exist" : undefined))).toEqual([
      { path: "config.profiles.launcher.kubernetes.profiles.conf.*.job-json-overrides", message: "job-json-overrides in [*]: file /missing.json does not exist" },
    ]);
  });
});
