import { describe, expect, test } from "vitest";
import { renderDcf } from "../../../src/render/index.js";

const at = "config.serverDcf.launcher-mounts";

describe("renderDcf", () => {
  test("a list of maps is several `Key: value` records separated by blank lines", () => {
    const r = renderDcf(
      [
        { MountType: "KubernetesPersistentVolumeClaim", MountPath: "/home", ClaimName: "home-pvc", ReadOnly: false },
        { MountType: "NFS", Host: "nfs.example.com", Path: "/shared", MountPath: "/shared" },
      ],
      at,
    );
    expect(r.issues).toEqual([]);
    expect(r.text).toBe(
      "MountType: KubernetesPersistentVolumeClaim\nMountPath: /home\nClaimName: home-pvc\nReadOnly: false\n\n" +
        "MountType: NFS\nHost: nfs.example.com\nPath: /shared\nMountPath: /shared\n",
    );
  });

  test("a nested map is `Key:` then indented name=value lines (launcher-env), in written order", () => {
    const r = renderDcf([{ JobType: "session", Environment: { TEST: 1, PIP_INDEX_URL: "https://pypi.example/simple" } }], "config.serverDcf.launcher-env");
    expect(r.text).toBe("JobType: session\nEnvironment:\n    TEST=1\n    PIP_INDEX_URL=https://pypi.example/simple\n");
  });

  test("a map of scalars is one record; a map whose values are all maps is one record each (chart form)", () => {
    expect(renderDcf({ Label: "R 4.4", Path: "/opt/R/4.4" }, at).text).toBe("Label: R 4.4\nPath: /opt/R/4.4\n");
    expect(renderDcf({ home: { MountPath: "/home" }, data: { MountPath: "/data" } }, at).text).toBe("MountPath: /home\n\nMountPath: /data\n");
  });

  test("multi-line values continue on indented lines", () => {
    expect(renderDcf([{ Script: "line one\nline two\n" }], at).text).toBe("Script: line one\n    line two\n");
  });

  test("an empty line inside a value would end the record: an issue", () => {
    expect(renderDcf([{ Script: "a\n\nb" }], at).issues).toEqual([{ path: `${at}[0].Script`, message: expect.stringMatching(/empty line/) }]);
  });

  test("non-map records and bad field names are issues at their place", () => {
    const r = renderDcf([1, { "bad:name": 1, ok: [1, 2] }], at);
    expect(r.issues.map((i) => i.path)).toEqual([`${at}[0]`, `${at}[1].bad:name`]);
    expect(r.text).toBe("ok: 1,2\n");
  });

  test("a string body is verbatim", () => {
    expect(renderDcf("MountType: NFS\n", at)).toEqual({ text: "MountType: NFS\n", issues: [] });
  });
});
