import { describe, expect, test } from "vitest";
import { renderIni } from "../../../src/render/index.js";

const at = "config.server.rserver.conf";

describe("renderIni (Posit ini, Helm chart semantics, user order kept)", () => {
  test("flat keys render key=value with no spaces, in the order written (the chart would sort)", () => {
    const r = renderIni({ "www-port": 8787, "server-health-check-enabled": 1, "auth-none": 0, "admin-group": "rstudio-admin" }, at);
    expect(r.issues).toEqual([]);
    expect(r.text).toBe("www-port=8787\nserver-health-check-enabled=1\nauth-none=0\nadmin-group=rstudio-admin\n");
  });

  test("a map is a [section]; booleans stay true/false as the chart's toString writes them", () => {
    const r = renderIni({ "*": { "log-level": "info", "logger-type": "stderr", "log-message-format": "json", rotate: false } }, "config.server.logging.conf");
    expect(r.text).toBe("[*]\nlog-level=info\nlogger-type=stderr\nlog-message-format=json\nrotate=false\n");
  });

  test("a list of maps repeats the section (launcher.conf with two clusters)", () => {
    const r = renderIni(
      {
        server: { address: "127.0.0.1", port: 5559, "server-user": "rstudio-server", "admin-group": "rstudio-server" },
        cluster: [
          { name: "Kubernetes", type: "Kubernetes" },
          { name: "Local", type: "Local" },
        ],
      },
      "config.server.launcher.conf",
    );
    expect(r.issues).toEqual([]);
    expect(r.text).toBe(
      "[server]\naddress=127.0.0.1\nport=5559\nserver-user=rstudio-server\nadmin-group=rstudio-server\n\n" +
        "[cluster]\nname=Kubernetes\ntype=Kubernetes\n\n[cluster]\nname=Local\ntype=Local\n",
    );
  });

  test("top-level keys written after a section still come first, or the product would read them inside it", () => {
    const r = renderIni({ a: 1, sec: { x: "y" }, b: 2 }, at);
    expect(r).toEqual({ text: "a=1\nb=2\n\n[sec]\nx=y\n", issues: [] });
  });

  test("list values are comma-joined, null is an empty value", () => {
    const r = renderIni({ "auth-required-user-group": ["data-science", "admins"], "www-root-path": null }, at);
    expect(r.text).toBe("auth-required-user-group=data-science,admins\nwww-root-path=\n");
  });

  test("a string body is the file verbatim", () => {
    const text = "# managed elsewhere\nwww-port = 8787\n";
    expect(renderIni(text, at)).toEqual({ text, issues: [] });
  });

  test("the chart's ordered list form renders in the order written", () => {
    const r = renderIni([{ b: 2 }, { a: 1 }, { sec: { k: "v" } }], at);
    expect(r.text).toBe("b=2\na=1\n\n[sec]\nk=v\n");
  });

  test("large integers are written in full, not in exponent form", () => {
    expect(renderIni({ "max-bytes": 2 ** 80 }, at).text).toBe("max-bytes=1208925819614629174706176\n");
  });

  test("every problem is reported at once, each at its own place", () => {
    const r = renderIni({ " bad": 1, sec: { nested: { too: "deep" }, "multi": "line1\nline2" }, "=x": 2 }, at);
    expect(r.issues.map((i) => i.path)).toEqual([`${at}. bad`, `${at}.sec.nested`, `${at}.sec.multi`, `${at}.=x`]);
    expect(r.issues[1]!.message).toMatch(/sections cannot nest/);
    expect(r.issues[2]!.message).toMatch(/span several lines/);
  });

  test("a body that is neither text nor a map is an issue", () => {
    expect(renderIni(42, at).issues[0]).toMatchObject({ path: at });
  });
});
