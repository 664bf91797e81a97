// `foyer launcher-profile explain` through the binary, on the seeds' example profiles
// (test/fixtures/launcher-profiles): every option's effective value and the section it came from.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";

const FOYER = join(__dirname, "../../../dist/foyer");
const FIXTURES = join(__dirname, "../../fixtures/launcher-profiles");
const SEED_001 = join(FIXTURES, "seed-001-example.conf");
const SEED_000 = join(FIXTURES, "seed-000-sample.conf");

function explain(...args: string[]) {
  const r = spawnSync(FOYER, ["launcher-profile", "explain", ...args], { encoding: "utf8", env: { PATH: process.env.PATH ?? "/usr/bin:/bin" }, timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** option → "value <- source" from the text output (one line per option after the blank line). */
function table(stdout: string): Record<string, string> {
  const body = stdout.split("\n\n")[1] ?? "";
  return Object.fromEntries(
    body
      .split("\n")
      .filter(Boolean)
      .map((line) => {
        const m = /^(\S+)\s+= (.*?)\s{2,}(\[.*?\](?: line \d+)?|\(default\))/.exec(line);
        if (!m) throw new Error(`unexpected line: ${line}`);
        return [m[1]!, `${m[2]!.trim()} <- ${m[3]}`];
      }),
  );
}

/** The seed table's options, each at the plugin's default (seed 001 §3.1.2 "Default Value"). */
const DEFAULTS: Record<string, string> = {
  "container-images": " <- (default)",
  "default-container-image": " <- (default)",
  "allow-unknown-images": "1 <- (default)",
  "placement-constraints": " <- (default)",
  "default-cpus": "0.0 <- (default)",
  "default-mem-mb": "0.0 <- (default)",
  "max-cpus": "0.0 <- (default)",
  "max-mem-mb": "0.0 <- (default)",
  "job-json-overrides": " <- (default)",
  "cpu-request-ratio": "1.0 <- (default)",
  "memory-request-ratio": "1.0 <- (default)",
  "default-nvidia-gpus": "0 <- (default)",
  "default-amd-gpus": "0 <- (default)",
  "max-nvidia-gpus": "0 <- (default)",
  "max-amd-gpus": "0 <- (default)",
};
const norm = (t: Record<string, string>) => Object.fromEntries(Object.entries(t).map(([k, v]) => [k, v.replace(/^ +/, "")]));

describe("foyer launcher-profile explain on the seed's example (001 §3.1.2)", () => {
  it("jsmith in rstudio-power-users: [*], then the group, then [jsmith] (last in the file) wins max-cpus", () => {
    const r = explain("--user", "jsmith", "--groups", "rstudio-power-users", "--file", SEED_001);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("sections applied, top to bottom (the last one setting an option wins): [*] line 1, [@rstudio-power-users] line 10, [jsmith] line 22");
    expect(norm(table(r.stdout))).toEqual(
      norm({
        ...DEFAULTS,
        "container-images": "r-session:3.4.2,r-session:3.5.0,r-session:preview <- [@rstudio-power-users] line 19",
        "allow-unknown-images": "1 <- [@rstudio-power-users] line 20",
        "placement-constraints": "node,region:us,region:eu <- [*] line 2",
        "default-cpus": "4 <- [@rstudio-power-users] line 11",
        "default-mem-mb": "4096 <- [@rstudio-power-users] line 12",
        "max-cpus": "3 <- [jsmith] line 23",
        "max-mem-mb": "20480 <- [@rstudio-power-users] line 18",
        "default-nvidia-gpus": "0 <- [@rstudio-power-users] line 13",
        "default-amd-gpus": "0 <- [@rstudio-power-users] line 14",
        "max-nvidia-gpus": "2 <- [@rstudio-power-users] line 15",
        "max-amd-gpus": "3 <- [@rstudio-power-users] line 16",
      }),
    );
  });

  it("jsmith with no group: [*] and [jsmith] only", () => {
    const r = explain("--user", "jsmith", "--file", SEED_001);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("(no groups given)");
    expect(norm(table(r.stdout))).toEqual(
      norm({
        ...DEFAULTS,
        "container-images": "r-session:3.4.2,r-session:3.5.0 <- [*] line 7",
        "allow-unknown-images": "0 <- [*] line 8",
        "placement-constraints": "node,region:us,region:eu <- [*] line 2",
        "default-cpus": "1 <- [*] line 3",
        "default-mem-mb": "512 <- [*] line 4",
        "max-cpus": "3 <- [jsmith] line 23",
        "max-mem-mb": "1024 <- [*] line 6",
      }),
    );
  });

  it("another power user: the group's limits, not jsmith's", () => {
    const t = table(explain("--user", "alice", "--groups", "staff,@rstudio-power-users", "--file", SEED_001).stdout);
    expect(t["max-cpus"]).toBe("20 <- [@rstudio-power-users] line 17");
    expect(t["default-cpus"]).toBe("4 <- [@rstudio-power-users] line 11");
  });

  it("the sample of seed 000: everyone gets its [*] (comment lines counted)", () => {
    const r = explain("--user", "anyone", "--file", SEED_000);
    expect(r.status).toBe(0);
    expect(norm(table(r.stdout))).toEqual(
      norm({
        ...DEFAULTS,
        "default-cpus": "1 <- [*] line 4",
        "default-mem-mb": "512 <- [*] line 5",
        "max-cpus": "2 <- [*] line 6",
        "max-mem-mb": "1024 <- [*] line 7",
        "container-images": "rstudio/r-session-complete:centos7-2023.09.1 <- [*] line 8",
        "default-container-image": "rstudio/r-session-complete:centos7-2023.09.1 <- [*] line 9",
        "allow-unknown-images": "0 <- [*] line 10",
      }),
    );
  });

  it("--json gives the same answer as data", () => {
    const r = explain("--user", "jsmith", "--groups", "rstudio-power-users", "--file", SEED_001, "--json");
    const doc = JSON.parse(r.stdout) as { sections: unknown[]; options: Array<{ option: string; value: string; section: string | null; line: number | null }> };
    expect(doc.sections).toEqual([{ section: "*", line: 1 }, { section: "@rstudio-power-users", line: 10 }, { section: "jsmith", line: 22 }]);
    expect(doc.options.find((o) => o.option === "max-cpus")).toEqual({ option: "max-cpus", value: "3", section: "jsmith", line: 23 });
    expect(doc.options.find((o) => o.option === "cpu-request-ratio")).toEqual({ option: "cpu-request-ratio", value: "1.0", section: null, line: null });
  });
});

describe("foyer launcher-profile explain --spec", () => {
  it("explains the file foyer init would render from config.profiles, and warns about its problems", () => {
    const dir = mkdtempSync(join(tmpdir(), "foyer-lp-"));
    const spec = {
      config: {
        dir: join(dir, "etc"),
        profiles: {
          "launcher.kubernetes.profiles.conf": {
            "*": { "max-cpus": 2, "container-images": ["r:4.3", "r:4.4"], "allow-unknown-images": 0 },
            "@gpu": { "max-nvidia-gpus": 1, "default-container-image": "r:gpu", "max-cpu": 4 },
            ann: { "cpu-request-ratio": 0.5 },
          },
        },
      },
    };
    writeFileSync(join(dir, "foyer.yaml"), stringify(spec));
    const r = explain("--user", "ann", "--groups", "gpu", "--spec", join(dir, "foyer.yaml"));
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`${join(dir, "etc/launcher.kubernetes.profiles.conf")} (as foyer init would write it from config.profiles.launcher.kubernetes.profiles.conf`);
    const t = table(r.stdout);
    expect(t["container-images"]).toBe("r:4.3,r:4.4 <- [*] line 3");
    expect(t["max-nvidia-gpus"]).toBe("1 <- [@gpu] line 7");
    expect(t["cpu-request-ratio"]).toBe("0.5 <- [ann] line 12");
    expect(t["max-cpu"]).toBe("4 <- [@gpu] line 9");
    expect(r.stdout).toMatch(/max-cpu .*\(unknown option; did you mean max-cpus\?\)/);
    expect(r.stderr).toContain("foyer: warning: unknown option max-cpu in [@gpu] of launcher.kubernetes.profiles.conf; did you mean max-cpus?");
    expect(r.stderr).toContain("default-container-image r:gpu is not in container-images for [@gpu] while allow-unknown-images=0");
  });

  it("a spec without a profiles file is a config error (78)", () => {
    const dir = mkdtempSync(join(tmpdir(), "foyer-lp-"));
    writeFileSync(join(dir, "foyer.yaml"), stringify({ config: { dir: join(dir, "etc"), server: { "rserver.conf": { "www-port": 8787 } } } }));
    const r = explain("--user", "ann", "--spec", join(dir, "foyer.yaml"));
    expect(r.status).toBe(78);
    expect(r.stderr).toContain("renders no launcher.kubernetes.profiles.conf");
    expect(r.stdout).toBe("");
  });
});

describe("secrets", () => {
  it("a secret templated into the profiles file is shown as <secret:NAME>, in text and JSON", () => {
    const dir = mkdtempSync(join(tmpdir(), "foyer-lp-"));
    const secret = 'img"pa\\ss';
    const spec = {
      secrets: { reg: { env: "REG_TOKEN" } },
      config: { dir: join(dir, "etc"), profiles: { "launcher.kubernetes.profiles.conf": { "*": { "default-container-image": "{{secret 'reg'}}" } } } },
    };
    writeFileSync(join(dir, "foyer.yaml"), stringify(spec));
    for (const json of [[], ["--json"]]) {
      const r = spawnSync(FOYER, ["launcher-profile", "explain", "--user", "u", "--spec", join(dir, "foyer.yaml"), ...json], {
        encoding: "utf8",
        env: { PATH: process.env.PATH ?? "/usr/bin:/bin", REG_TOKEN: secret },
      });
      expect(r.status).toBe(0);
      expect(r.stdout).toContain("<secret:reg>");
      expect(r.stdout + r.stderr).not.toContain("pa\\ss");
      expect(r.stdout + r.stderr).not.toContain("img");
    }
  });
});

describe("job-json-overrides files are checked on disk", () => {
  it("a missing file and a file that is not JSON are warnings; a JSON file is fine", () => {
    const dir = mkdtempSync(join(tmpdir(), "foyer-lp-"));
    writeFileSync(join(dir, "aliases.json"), JSON.stringify([{ ip: "10.2.141.12", hostnames: ["db01"] }]));
    writeFileSync(join(dir, "broken.json"), "[{");
    const file = join(dir, "profiles.conf");
    writeFileSync(file, `[*]\njob-json-overrides="/spec/template/spec/hostAliases":"${dir}/aliases.json","/spec/a":"${dir}/broken.json","/spec/b":"${dir}/gone.json"\n`);
    const r = explain("--user", "u", "--file", file);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`file ${dir}/broken.json is not valid JSON`);
    expect(r.stderr).not.toContain("aliases.json");
    const ok = join(dir, "ok.conf");
    writeFileSync(ok, `[*]\njob-json-overrides="/spec/template/spec/hostAliases":"${dir}/aliases.json"\n`);
    expect(explain("--user", "u", "--file", ok).stderr).toBe("");
  });
});

describe("bad input", () => {
  it("no --user is a usage error (2); a missing file or a FIFO is a config error (78) naming it, without hanging", () => {
    expect(explain("--file", SEED_001).status).toBe(2);
    const missing = explain("--user", "u", "--file", "/nonexistent/profiles.conf");
    expect(missing.status).toBe(78);
    expect(missing.stderr).toContain("/nonexistent/profiles.conf does not exist");
    const dir = mkdtempSync(join(tmpdir(), "foyer-lp-"));
    execFileSync("mkfifo", [join(dir, "fifo")]);
    const fifo = explain("--user", "u", "--file", join(dir, "fifo"));
    expect(fifo.status).toBe(78);
    expect(fifo.stderr).toContain("is not a regular file");
    expect(fifo.stderr).not.toMatch(/at .*\.js:\d+/); // no stack trace
  });

  it("--file and --spec together, or an unknown action, are usage errors", () => {
    expect(explain("--user", "u", "--file", SEED_001, "--spec", SEED_001).status).toBe(2);
    const r = spawnSync(FOYER, ["launcher-profile", "show"], { encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("unknown action 'show'");
  });
});
