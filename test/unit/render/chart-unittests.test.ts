// The Workbench chart's own helm-unittest cases for its renderers, replayed on foyer's renderers:
// rstudio/helm charts/rstudio-workbench/tests/config_files_test.yaml at commit
// 010822039b416504c9da0507c9c4dd81a7b606a1. Each case names its `it:`; inputs are the `set:`
// values, expectations the chart authors' own asserts. Where the chart merges a default of its own
// (CRAN in repos.conf, the session image in [*]) the case is left out: that is the preset's job.
// Left out on purpose: "should comma-join a list inside a section" — in this test file's branch the
// chart comma-joins; in library 0.1.38 it prints `log-level=[info debug]`; foyer reports an issue.
import { describe, expect, test } from "vitest";
import { renderDcf, renderIni, renderProfiles } from "../../../src/render/index.js";

describe("the Workbench chart's config_files_test cases", () => {
  test("should render config.server.profiles written as a list in the order written", () => {
    const r = renderIni([{ "*": { "max-memory-mb": 1024 } }, { "@analysts": { "max-memory-mb": 4096 } }, { "12345": { "max-memory-mb": 512 } }], "config.server.profiles");
    expect(r).toEqual({ text: "[*]\nmax-memory-mb=1024\n\n[@analysts]\nmax-memory-mb=4096\n\n[12345]\nmax-memory-mb=512\n", issues: [] });
  });

  test("should render a launcher resources file written as a list in the order written", () => {
    const r = renderIni([{ small: { name: "Small", cpus: 1, "mem-mb": 1024 } }, { large: { name: "Large", cpus: 8, "mem-mb": 16384 } }], "config.server.launcher.kubernetes.resources.conf");
    expect(r.text).toMatch(/^\[small\][^]*\[large\]/);
    expect(r.issues).toEqual([]);
  });

  test("should repeat a top-level key for a list of values", () => {
    const r = renderIni({ "www-allow-origin": ["one.example.com", "two.example.com"] }, "config.server.rserver.conf");
    expect(r.text).toMatch(/^www-allow-origin=one.example.com\nwww-allow-origin=two.example.com$/m);
  });

  test("should repeat [cluster] for a list of clusters", () => {
    const r = renderIni({ cluster: [{ name: "Kubernetes", type: "Kubernetes" }, { name: "Local", type: "Local" }] }, "config.server.launcher.conf");
    expect(r.text).toMatch(/\[cluster\]\nname=Kubernetes\ntype=Kubernetes\n\n\[cluster\]\nname=Local\ntype=Local\n/);
  });

  test("should accept a list for config.server.launcher.local.profiles.conf", () => {
    expect(renderIni([{ "@b": { "max-cpus": 2 } }, { "@a": { "max-cpus": 1 } }], "config.server.launcher.local.profiles.conf").text).toMatch(/^\[@b\]\nmax-cpus=2\n\n\[@a\]\nmax-cpus=1\n/);
  });

  test("should accept a list for config.profiles.launcher.local.profiles.conf", () => {
    expect(renderProfiles([{ "@b": { "max-cpus": 2 } }, { "@a": { "max-cpus": 1 } }], "config.profiles.launcher.local.profiles.conf").text).toMatch(/^\[@b\]\nmax-cpus=2\n\n\[@a\]\nmax-cpus=1\n/);
  });

  test("should accept r-versions in config.serverDcf (keys as the chart sorts them)", () => {
    const r = renderDcf([{ Label: "Latest", Path: "/opt/R/4.4.1" }, { Label: "Old", Path: "/opt/R/4.0.2" }], "config.serverDcf.r-versions");
    expect(r.text).toMatch(/Label: Latest\nPath: \/opt\/R\/4.4.1\n\nLabel: Old\nPath: \/opt\/R\/4.0.2/);
  });

  test("should keep the user's CRAN in a repos.conf list where it is", () => {
    const r = renderIni([{ Internal: "https://pkgs.example.com/internal" }, { CRAN: "https://cran.example.com" }], "config.session.repos.conf");
    expect(r).toEqual({ text: "Internal=https://pkgs.example.com/internal\nCRAN=https://cran.example.com\n", issues: [] });
  });

  test("should use a repos.conf string as-is", () => {
    expect(renderIni("Internal=https://pkgs.example.com/internal\n", "config.session.repos.conf").text).toBe("Internal=https://pkgs.example.com/internal\n");
  });
});
