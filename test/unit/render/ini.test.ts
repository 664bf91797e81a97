import { describe, expect, test } from "vitest";
import { renderIni } from "../../../src/render/index.js";

const at = "config.server.rserver.conf";
const paths = (r: { issues: Array<{ path: string }> }) => r.issues.map((i) => i.path);

describe("renderIni (rstudio-library.config.ini rules, user order kept)", () => {
  test("flat keys render key=value with no spaces, in the order written (the chart would sort)", () => {
    const r = renderIni({ "www-port": 8787, "server-health-check-enabled": 1, "auth-none": 0, "admin-group": "rstudio-admin" }, at);
    expect(r.issues).toEqual([]);
    expect(r.text).toBe("www-port=8787\nserver-health-check-enabled=1\nauth-none=0\nadmin-group=rstudio-admin\n");
  });

  test("a map is a [section] followed by a blank line; no blank line between top keys and the first section", () => {
    const r = renderIni({ "log-dir": "/var/log", "*": { "log-level": "info", rotate: false }, "@x": { "log-level": "debug" } }, "config.server.logging.conf");
    expect(r).toEqual({ text: "log-dir=/var/log\n[*]\nlog-level=info\nrotate=false\n\n[@x]\nlog-level=debug\n", issues: [] });
  });

  test("a list of maps repeats the section (launcher.conf with two clusters)", () => {
    const r = renderIni(
      { server: { address: "127.0.0.1", port: 5559 }, cluster: [{ name: "Kubernetes", type: "Kubernetes" }, { name: "Local", type: "Local" }] },
      "config.server.launcher.conf",
    );
    expect(r.issues).toEqual([]);
    expect(r.text).toBe("[server]\naddress=127.0.0.1\nport=5559\n\n[cluster]\nname=Kubernetes\ntype=Kubernetes\n\n[cluster]\nname=Local\ntype=Local\n");
  });

  test("a top-level list of values REPEATS the key, it is not comma-joined", () => {
    const r = renderIni({ "www-allow-origin": ["one.example.com", "two.example.com"], "www-port": 8787 }, at);
    expect(r).toEqual({ text: "www-allow-origin=one.example.com\nwww-allow-origin=two.example.com\nwww-port=8787\n", issues: [] });
    expect(renderIni({ "www-allow-origin": [] }, at)).toEqual({ text: "", issues: [] });
  });

  test("a list inside a section, a map inside a section, and null are issues, never [a b], map[...] or <nil>", () => {
    const r = renderIni({ "*": { "log-level": ["info", "debug"], nested: { too: "deep" } }, "www-root-path": null, list: [["a"]] }, "config.server.logging.conf");
    const p = "config.server.logging.conf";
    expect(paths(r)).toEqual([`${p}.*.log-level`, `${p}.*.nested`, `${p}.www-root-path`, `${p}.list[0]`]);
    expect(r.issues[0]!.message).toMatch(/\[a b\].*"a,b"/);
    expect(r.issues[1]!.message).toMatch(/map\[\.\.\.\].*sections cannot nest/);
    expect(r.issues[2]!.message).toMatch(/<nil>.*""/);
    expect(r.text).not.toMatch(/\[a b\]|map\[|<nil>/);
  });

  test("a list mixing sections and values is an issue", () => {
    expect(paths(renderIni({ cluster: [{ name: "a" }, "b"] }, at))).toEqual([`${at}.cluster`]);
  });

  test("records (list items with several keys, r-versions) are separated by significant blank lines", () => {
    const r = renderIni(
      [
        { Path: "/opt/R/4.4.1", Label: "Latest" },
        { Path: "/opt/R/4.0.2", Label: "Old", Module: "r/4.0" },
      ],
      "config.session.r-versions",
    );
    expect(r).toEqual({ text: "Path=/opt/R/4.4.1\nLabel=Latest\n\nPath=/opt/R/4.0.2\nLabel=Old\nModule=r/4.0\n", issues: [] });
  });

  test("a one-key item before a record would join it: an issue; after the last record it is a plain line", () => {
    const r = renderIni([{ Path: "/opt/R/4.4.1" }, { Path: "/opt/R/4.0.2", Label: "Old" }], "config.session.r-versions");
    expect(paths(r)).toEqual(["config.session.r-versions[0].Path"]);
    expect(renderIni([{ Path: "/opt/R/4.0.2", Label: "Old" }, { x: 1 }], at)).toEqual({ text: "Path=/opt/R/4.0.2\nLabel=Old\n\nx=1\n", issues: [] });
  });

  test("the list form keeps the written order of entries and sections (the chart's ordered form)", () => {
    const r = renderIni([{ b: 2 }, { a: 1 }, { sec: { k: "v" } }, { "@g": { k: "w" } }], at);
    expect(r).toEqual({ text: "b=2\na=1\n[sec]\nk=v\n\n[@g]\nk=w\n", issues: [] });
  });

  test("top-level keys written after a section still come first, or the product would read them inside it", () => {
    expect(renderIni({ a: 1, sec: { x: "y" }, b: 2 }, at)).toEqual({ text: "a=1\nb=2\n[sec]\nx=y\n", issues: [] });
  });

  test("numbers in plain decimal (Helm would print 1e+06); integers past 2^53 are an issue (digits lost)", () => {
    const r = renderIni({ "max-bytes": 1000000, ratio: 0.5, tiny: 1e-7, neg: -2500000 }, at);
    expect(r).toEqual({ text: "max-bytes=1000000\nratio=0.5\ntiny=0.0000001\nneg=-2500000\n", issues: [] });
    expect(paths(renderIni({ huge: 2 ** 80, inf: Infinity }, at))).toEqual([`${at}.huge`, `${at}.inf`]);
  });

  test("an empty map is an empty file, an empty section is its header", () => {
    expect(renderIni({}, at)).toEqual({ text: "", issues: [] });
    expect(renderIni({ "*": {} }, at)).toEqual({ text: "[*]\n", issues: [] });
  });

  test("a string body is the file verbatim", () => {
    const text = "# managed elsewhere\nwww-port = 8787\n";
    expect(renderIni(text, at)).toEqual({ text, issues: [] });
  });

  test("every problem is reported at once, each at its own place", () => {
    const r = renderIni({ " bad": 1, sec: { "multi": "line1\nline2", "a]": 1 }, "=x": 2, "bad]": { k: 1 } }, at);
    expect(paths(r)).toEqual([`${at}. bad`, `${at}.sec.multi`, `${at}.=x`, `${at}.bad]`]);
    expect(r.issues[1]!.message).toMatch(/span several lines/);
  });

  test("a body that is neither text, a map nor a list is an issue; so is a list item that is not a map", () => {
    expect(paths(renderIni(42, at))).toEqual([at]);
    expect(paths(renderIni(["x"], at))).toEqual([`${at}[0]`]);
  });
});
