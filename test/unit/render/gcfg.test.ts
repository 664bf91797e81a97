import { describe, expect, test } from "vitest";
import { gcfgValue, renderGcfg } from "../../../src/render/index.js";

const at = "config.gcfg.rstudio-connect.gcfg";
const paths = (r: { issues: Array<{ path: string }> }) => r.issues.map((i) => i.path);

describe("renderGcfg (rstudio-library.config.gcfg rules: Connect, Package Manager)", () => {
  test("sections with `Key = value`, lists repeat the key, a blank line between sections, written order kept", () => {
    const r = renderGcfg(
      {
        Server: { Address: "https://connect.example.com", DataDir: "/data" },
        HTTP: { Listen: ":3939" },
        Python: { Enabled: true, Executable: ["/opt/python/3.12/bin/python", "/opt/python/3.11/bin/python"] },
      },
      at,
    );
    expect(r.issues).toEqual([]);
    expect(r.text).toBe(
      "[Server]\nAddress = https://connect.example.com\nDataDir = /data\n\n[HTTP]\nListen = :3939\n\n" +
        "[Python]\nEnabled = true\nExecutable = /opt/python/3.12/bin/python\nExecutable = /opt/python/3.11/bin/python\n",
    );
  });

  test("the chart's `config:` shape: subsections are keys written 'Section \"name\"', used as the header as is", () => {
    const r = renderGcfg({ 'RPackageRepository "CRAN"': { URL: "https://cran.example/" }, 'RPackageRepository "RSPM"': { URL: "https://p3m.example/" } }, "config");
    expect(r).toEqual({ text: '[RPackageRepository "CRAN"]\nURL = https://cran.example/\n\n[RPackageRepository "RSPM"]\nURL = https://p3m.example/\n', issues: [] });
  });

  test("a map inside a section is an issue that says how to write the subsection (the chart prints map[...])", () => {
    const r = renderGcfg({ RPackageRepository: { CRAN: { URL: "https://cran.example/" } } }, at);
    expect(paths(r)).toEqual([`${at}.RPackageRepository.CRAN`]);
    expect(r.issues[0]!.message).toMatch(/map\[\.\.\.\].*'RPackageRepository "CRAN"'/);
  });

  test("numbers in plain decimal (Helm prints 1e+06), null and nested lists are issues", () => {
    const r = renderGcfg({ Server: { MaxBytes: 1000000, Gone: null, Nested: [["a"]] } }, at);
    expect(r.text).toBe("[Server]\nMaxBytes = 1000000\n");
    expect(paths(r)).toEqual([`${at}.Server.Gone`, `${at}.Server.Nested[0]`]);
  });

  test("values gcfg would misread are quoted and escaped; others are written raw as the chart does", () => {
    expect(gcfgValue("plain value")).toBe("plain value");
    expect(gcfgValue(":3939")).toBe(":3939");
    expect(gcfgValue("p@ss;word#1")).toBe('"p@ss;word#1"');
    expect(gcfgValue('say "hi" \\ bye')).toBe('"say \\"hi\\" \\\\ bye"');
    expect(gcfgValue(" padded ")).toBe('" padded "');
    expect(gcfgValue("")).toBe('""');
    expect(gcfgValue("a\nb")).toBe('"a\\nb"');
  });

  test("keys outside a section, bad names, and carriage returns are issues", () => {
    const r = renderGcfg({ Loose: "x", Server: { "bad key": 1, CR: "a\rb" }, "Bad Section": {} }, at);
    expect(paths(r)).toEqual([`${at}.Loose`, `${at}.Server.bad key`, `${at}.Server.CR`, `${at}.Bad Section`]);
  });

  test("a string body is verbatim", () => {
    expect(renderGcfg("[Server]\nAddress = x\n", at)).toEqual({ text: "[Server]\nAddress = x\n", issues: [] });
  });
});
