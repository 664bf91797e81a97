import { describe, expect, test } from "vitest";
import { gcfgValue, renderGcfg } from "../../../src/render/index.js";

const at = "config.gcfg.rstudio-connect.gcfg";

describe("renderGcfg (Connect, Package Manager)", () => {
  test("sections with `Key = value`, lists repeat the key, written order kept", () => {
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

  test('a map inside a section is a [Section "name"] subsection; a quoted section key is used as is', () => {
    const r = renderGcfg({ RPackageRepository: { CRAN: { URL: "https://cran.example/" }, BioC: { URL: "https://bioc.example/" } }, 'Database "main"': { Provider: "postgres" } }, at);
    expect(r.text).toBe('[RPackageRepository "CRAN"]\nURL = https://cran.example/\n\n[RPackageRepository "BioC"]\nURL = https://bioc.example/\n\n[Database "main"]\nProvider = postgres\n');
  });

  test("values gcfg would misread are quoted and escaped", () => {
    expect(gcfgValue("plain value")).toBe("plain value");
    expect(gcfgValue("p@ss;word#1")).toBe('"p@ss;word#1"');
    expect(gcfgValue('say "hi" \\ bye')).toBe('"say \\"hi\\" \\\\ bye"');
    expect(gcfgValue(" padded ")).toBe('" padded "');
    expect(gcfgValue("")).toBe('""');
  });

  test("keys outside a section, bad names and nested subsections are issues", () => {
    const r = renderGcfg({ Loose: "x", Server: { "bad key": 1, Sub: { Deeper: { x: 1 } } } }, at);
    expect(r.issues.map((i) => i.path)).toEqual([`${at}.Loose`, `${at}.Server.bad key`, `${at}.Server.Sub.Deeper`]);
  });
});
