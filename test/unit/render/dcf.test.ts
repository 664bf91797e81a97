import { describe, expect, test } from "vitest";
import { renderDcf } from "../../../src/render/index.js";

const at = "config.serverDcf.launcher-mounts";
const paths = (r: { issues: Array<{ path: string }> }) => r.issues.map((i) => i.path);

describe("renderDcf (rstudio-library.config.dcf rules, user order kept)", () => {
  test("a list of maps is several `Key: value` records separated by one blank line", () => {
    const r = renderDcf(
      [
        { MountType: "KubernetesPersistentVolumeClaim", MountPath: "/home", ClaimName: "home-pvc", ReadOnly: false },
        { MountType: "NFS", Host: "nfs.example.com", Path: "/shared", MountPath: "/shared" },
      ],
      at,
    );
    expect(r.issues).toEqual([]);
    expect(r.text).toBe(
      "MountType: KubernetesPersistentVolumeClaim\nMountPath: /home\nClaimName: home-pvc\nReadOnly: false\n\n" + "MountType: NFS\nHost: nfs.example.com\nPath: /shared\nMountPath: /shared\n",
    );
  });

  test("a map field is `Key:` then name=value lines indented two spaces, with NO blank line before it (the chart's would split the record)", () => {
    const r = renderDcf(
      [
        { JobType: "session", Environment: { TEST: 1, PIP_INDEX_URL: "https://pypi.example/simple" } },
        { JobType: "any", Environment: { LANG: "C.UTF-8" } },
      ],
      "config.serverDcf.launcher-env",
    );
    expect(r).toEqual({ text: "JobType: session\nEnvironment:\n  TEST=1\n  PIP_INDEX_URL=https://pypi.example/simple\n\nJobType: any\nEnvironment:\n  LANG=C.UTF-8\n", issues: [] });
    expect(r.text).not.toMatch(/\n\n\n|^\n/);
  });

  test("a map of single values is one record; a map whose values are all maps is one record each, keys not written", () => {
    expect(renderDcf({ Label: "R 4.4", Path: "/opt/R/4.4" }, at).text).toBe("Label: R 4.4\nPath: /opt/R/4.4\n");
    expect(renderDcf({ home: { MountPath: "/home" }, data: { MountPath: "/data" } }, at).text).toBe("MountPath: /home\n\nMountPath: /data\n");
  });

  test("a map body mixing fields and maps is an issue (the chart would glue the fields onto a record)", () => {
    const r = renderDcf({ JobType: "session", Environment: { A: 1 } }, "config.serverDcf.launcher-env");
    expect(paths(r)).toEqual(["config.serverDcf.launcher-env.Environment"]);
    expect(r.text).toBe("");
  });

  test("multi-line values continue on lines indented two spaces; an empty line inside is an issue", () => {
    expect(renderDcf([{ Script: "line one\nline two\n" }], at).text).toBe("Script: line one\n  line two\n");
    expect(renderDcf([{ Script: "a\n\nb" }], at).issues).toEqual([{ path: `${at}[0].Script`, message: expect.stringMatching(/empty line/) }]);
  });

  test("lists, null and nested maps are issues, never [a b], <nil> or map[...]", () => {
    const r = renderDcf([{ Hosts: [1, 2], Gone: null, Environment: { A: { deep: 1 }, B: [1] } }], at);
    expect(paths(r)).toEqual([`${at}[0].Hosts`, `${at}[0].Gone`, `${at}[0].Environment.A`, `${at}[0].Environment.B`]);
    expect(r.issues[0]!.message).toMatch(/\[a b\]/);
    expect(r.text).toBe("Environment:\n");
  });

  test("non-map records and bad field names are issues at their place", () => {
    const r = renderDcf([1, { "bad:name": 1, ok: 2 }], at);
    expect(paths(r)).toEqual([`${at}[0]`, `${at}[1].bad:name`]);
    expect(r.text).toBe("ok: 2\n");
  });

  test("an empty value is `Key: ` as the chart prints it; an empty list is an empty file", () => {
    expect(renderDcf([{ Label: "" }], at).text).toBe("Label: \n");
    expect(renderDcf([], at)).toEqual({ text: "", issues: [] });
  });

  test("a string body is verbatim", () => {
    expect(renderDcf("MountType: NFS\n", at)).toEqual({ text: "MountType: NFS\n", issues: [] });
  });
});
