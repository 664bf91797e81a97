// images/*: each Dockerfile read statically (no Docker engine here) for what foyer relies on —
// foyer as the exec-form ENTRYPOINT, the spec where foyer looks for it, the user it starts as — and
// then the same layout made in the testkit's Debian root: the Dockerfile's COPYs done, its account
// and directory commands run (groupadd, useradd, mkdir, chown, chmod; downloads left out), and
// `foyer validate` run there as the image's USER with the image's ENV and no --spec.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { describe, expect, it } from "vitest";
import { asImageRuns, copies, envOf, execForm, last, layoutCommands, layoutScript, makeBuildContext, parseDockerfile } from "./dockerfile.js";

const ROOT = join(__dirname, "../..");
const ROOTFS = process.env.ROOTFS ?? "/tmp/foyer-testkit/rootfs";
const haveRootfs = existsSync(join(ROOTFS, "bin/sh"));
const FOYER = "/usr/local/bin/foyer";

interface Expected {
  profile: string;
  entrypoint: string[];
  cmd: string[];
  user: string; // the final USER
  ports: number[]; // EXPOSEd: the product's own port(s), plus the health port when the spec listens
  accounts: string[]; // names the layout must create
}

const IMAGES: Record<string, Expected> = {
  workbench: { profile: "workbench", entrypoint: [FOYER, "run"], cmd: [], user: "root", ports: [8787], accounts: ["rstudio-server"] },
  connect: { profile: "connect", entrypoint: [FOYER, "run"], cmd: [], user: "root", ports: [3939], accounts: ["rstudio-connect"] },
  "package-manager": { profile: "package-manager", entrypoint: [FOYER, "run"], cmd: [], user: "root", ports: [4242], accounts: ["rstudio-pm"] },
  "rstudio-session": { profile: "rstudio-session", entrypoint: [FOYER, "run", "--"], cmd: ["/bin/bash"], user: "root", ports: [], accounts: [] },
  "jupyter-singleuser": { profile: "jupyter-singleuser", entrypoint: [FOYER, "run"], cmd: [], user: "1000", ports: [8888], accounts: ["jovyan"] },
};

function load(name: string) {
  const dockerfile = join(ROOT, "images", name, "Dockerfile");
  const ins = parseDockerfile(readFileSync(dockerfile, "utf8"));
  const spec = parseYaml(readFileSync(join(ROOT, "images", name, "foyer.yaml"), "utf8")) as Record<string, unknown>;
  return { ins, spec };
}

describe.each(Object.entries(IMAGES))("images/%s", (name, want) => {
  it("has foyer as the exec-form ENTRYPOINT, its spec at /etc/foyer/foyer.yaml, and the expected CMD and USER", () => {
    const { ins, spec } = load(name);
    expect(ins.filter((i) => i.op === "FROM")).toHaveLength(1);
    const entry = last(ins, "ENTRYPOINT");
    expect(entry, "ENTRYPOINT").toBeDefined();
    expect(execForm(entry!)).toEqual(want.entrypoint);
    const cmd = last(ins, "CMD");
    expect(cmd, "CMD (explicit: a base image's CMD would otherwise become foyer's arguments)").toBeDefined();
    expect(execForm(cmd!)).toEqual(want.cmd);
    // where foyer looks without --spec: no FOYER_SPEC to get out of step with the COPY
    expect(envOf(ins).FOYER_SPEC).toBeUndefined();
    const cp = copies(ins);
    expect(cp).toContainEqual({ from: ["dist/foyer"], to: FOYER });
    expect(cp).toContainEqual({ from: [`images/${name}/foyer.yaml`], to: "/etc/foyer/foyer.yaml" });
    for (const c of cp) for (const f of c.from) expect(existsSync(join(ROOT, f)), `COPY source ${f} (make builds dist/foyer)`).toBe(true);
    expect(last(ins, "USER")?.args ?? "root").toBe(want.user);
    expect(spec.profile).toBe(want.profile);
  });

  it("EXPOSEs the product's port and the health port the spec listens on, on every address", () => {
    const { ins, spec } = load(name);
    const exposed = ins.filter((i) => i.op === "EXPOSE").flatMap((i) => i.args.split(" ").map(Number));
    for (const p of want.ports) expect(exposed).toContain(p);
    const listen = (spec.health as { listen?: string } | undefined)?.listen;
    if (listen !== undefined) {
      // probes from the kubelet come to the pod IP, not 127.0.0.1 (images/k8s)
      expect(listen).toBe("0.0.0.0:4182");
      expect(exposed).toContain(4182);
    }
  });

  it("creates the accounts its spec names in its own RUN commands", () => {
    const made = layoutCommands(load(name).ins)
      .filter((c) => c.startsWith("useradd "))
      .map((c) => c.split(" ").at(-1));
    expect(made.sort()).toEqual([...want.accounts].sort());
  });

  describe.skipIf(!haveRootfs && !process.env.CI)("in the testkit's Debian root", () => {
    it("passes foyer validate as the image's USER, with its ENV and layout, the spec found without --spec", () => {
      const { ins } = load(name);
      const ctx = makeBuildContext(ins, ROOT, name);
      const script = ["set -e", ...layoutScript(ins), ...asImageRuns(ins, `${FOYER} validate`)].join("\n");
      const r = spawnSync("sh", [join(ROOT, "test/e2e/run-in-rootfs.sh"), "sh", "-c", script], {
        encoding: "utf8",
        env: { ...process.env, ROOTFS, APP: ctx },
        timeout: 60_000,
      });
      const out = r.stdout + r.stderr;
      expect(r.status, out).toBe(0);
      expect(out).toMatch(/\/etc\/foyer\/foyer\.yaml is valid/);
    });
  });
});
