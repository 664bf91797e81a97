import { describe, expect, test } from "vitest";
import { renderProfiles } from "../../../src/render/index.js";

const at = "config.profiles.launcher.kubernetes.profiles.conf";

describe("renderProfiles (Job Launcher profiles)", () => {
  test("sections keep the written order, since the last matching section wins", () => {
    const r = renderProfiles(
      {
        "*": { "default-cpus": 1, "max-cpus": 2, "container-images": ["r-session:4.4", "r-session:4.5"] },
        "@power-users": { "max-cpus": 16, "max-mem-mb": 65536 },
        jsmith: { "max-cpus": 4 },
      },
      at,
    );
    expect(r.issues).toEqual([]);
    expect(r.text).toBe(
      "[*]\ndefault-cpus=1\nmax-cpus=2\ncontainer-images=r-session:4.4,r-session:4.5\n\n" +
        "[@power-users]\nmax-cpus=16\nmax-mem-mb=65536\n\n[jsmith]\nmax-cpus=4\n",
    );
  });

  test("a user written before a group stays before it (the chart would put @groups first)", () => {
    const r = renderProfiles({ alice: { "max-cpus": 8 }, "@staff": { "max-cpus": 2 } }, at);
    expect(r.text.indexOf("[alice]")).toBeLessThan(r.text.indexOf("[@staff]"));
  });

  test("job-json-overrides {target, file} become the native quoted pairs", () => {
    const r = renderProfiles(
      {
        "*": {
          "job-json-overrides": [
            { target: "/spec/template/spec/tolerations", file: "/etc/rstudio/tolerations.json" },
            { target: "/metadata/labels", file: "/etc/rstudio/labels.json" },
          ],
        },
      },
      at,
    );
    expect(r.text).toBe('[*]\njob-json-overrides="/spec/template/spec/tolerations":"/etc/rstudio/tolerations.json","/metadata/labels":"/etc/rstudio/labels.json"\n');
  });

  test("inline {target, name, json} overrides are written to their own file, named without spaces", () => {
    const r = renderProfiles({ "*": { "job-json-overrides": [{ target: "/spec/tolerations", name: "gpu tolerations", json: [{ key: "gpu" }] }] } }, at, "/etc/rstudio/job-json-overrides");
    expect(r.text).toBe('[*]\njob-json-overrides="/spec/tolerations":"/etc/rstudio/job-json-overrides/gputolerations.json"\n');
    expect(r.files).toEqual([{ path: "/etc/rstudio/job-json-overrides/gputolerations.json", content: '[\n  {\n    "key": "gpu"\n  }\n]\n' }]);
  });

  test("[*] overrides are prepended to a section that sets its own (which would otherwise replace them)", () => {
    const everyone = { target: "/metadata/labels", file: "/o/labels.json" };
    const r = renderProfiles({ "@gpu": { "job-json-overrides": [{ target: "/spec/nodeSelector", file: "/o/gpu.json" }] }, "*": { "job-json-overrides": [everyone] }, bob: { "max-cpus": 2 } }, at);
    expect(r.text).toBe(
      '[@gpu]\njob-json-overrides="/metadata/labels":"/o/labels.json","/spec/nodeSelector":"/o/gpu.json"\n\n' +
        '[*]\njob-json-overrides="/metadata/labels":"/o/labels.json"\n\n[bob]\nmax-cpus=2\n',
    );
  });

  test("an override without a target, or without file/json, is an issue at its index", () => {
    const r = renderProfiles({ "*": { "job-json-overrides": [{ target: "/ok", file: "/f.json" }, { file: "/x.json" }, { target: "/x", name: "n" }] } }, at);
    expect(r.issues.map((i) => i.path)).toEqual([`${at}.*.job-json-overrides[1]`, `${at}.*.job-json-overrides[2]`]);
    expect(r.issues[0]!.message).toMatch(/needs `target`/);
  });

  test("a section that is not a map, and nested maps, are issues", () => {
    const r = renderProfiles({ "*": "max-cpus=2", bob: { limits: { cpus: 2 } } }, at);
    expect(r.issues.map((i) => i.path)).toEqual([`${at}.*`, `${at}.bob.limits`]);
  });

  test("a string body is verbatim; the ordered list form is accepted", () => {
    expect(renderProfiles("[*]\nmax-cpus=1\n", at).text).toBe("[*]\nmax-cpus=1\n");
    expect(renderProfiles([{ "@b": { x: 1 } }, { "*": { x: 2 } }], at).text).toBe("[@b]\nx=1\n\n[*]\nx=2\n");
  });

  test("lists are comma-joined (unlike ini files); numbers are plain decimal; null and nested lists are issues", () => {
    const r = renderProfiles({ "*": { "container-images": ["a:1", "b:2"], "max-mem-mb": 1000000, "cpu-request-ratio": 0.5, empty: [] } }, at);
    expect(r).toMatchObject({ text: "[*]\ncontainer-images=a:1,b:2\nmax-mem-mb=1000000\ncpu-request-ratio=0.5\nempty=\n", issues: [] });
    const bad = renderProfiles({ "*": { gone: null, deep: [["x"]] } }, at);
    expect(bad.issues.map((i) => i.path)).toEqual([`${at}.*.gone`, `${at}.*.deep[0]`]);
    expect(bad.text).toBe("[*]\n");
  });
});
