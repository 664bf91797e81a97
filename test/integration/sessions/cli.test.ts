// The session: section in the validation stage, through the binary: a mistake is exit 78 with its
// line:col and nothing written; the plan shows the routing proxy's files.
import { execFile } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { FOYER, scratch } from "../supervise/harness.js";

const run = async (args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
  try {
    const r = await promisify(execFile)(FOYER, args, { env: { PATH: "/usr/bin:/bin" } });
    return { code: 0, ...r };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
};

describe("session: in validate, plan and init", () => {
  it("an unknown kind, a kind circle and clashing ports are all reported at once (exit 78, line:col), nothing written", async () => {
    const dir = scratch();
    const spec = join(dir, "spec.yaml");
    writeFileSync(spec, `session:\n  kind: mine\n  kinds:\n    mine: { base: theirs }\n    theirs: { base: mine }\n  ports: { routing: 8888 }\n  routing: { dir: ${dir}/traefik }\n`);
    const r = await run(["init", "--spec", spec]);
    expect(r.code).toBe(78);
    expect(r.stderr).toContain("kinds inherit in a circle: mine → theirs → mine");
    expect(r.stderr).toMatch(/port 8888 is already session\.ports\.routing's\n\s+→ at session\.ports\.server/);
    expect(r.stderr).toMatch(/spec\.yaml:\d+:\d+/);
    expect(r.stderr).not.toMatch(/\n\s+at .*\.js:\d+/); // no stack trace
    expect(existsSync(join(dir, "traefik"))).toBe(false);
  });

  it("init writes the proxy's static and dynamic config for the kind; validate notes the proxy is not run", async () => {
    const dir = scratch();
    const spec = join(dir, "spec.yaml");
    writeFileSync(spec, `session:\n  kind: jupyter\n  path: /user/ada\n  routing: { dir: ${dir}/traefik, traefik: ${dir}/none }\n`);
    const v = await run(["validate", "--spec", spec]);
    expect(v.code).toBe(0);
    expect(v.stderr).toContain(`the routing proxy is not run: ${dir}/none is not there`);
    const i = await run(["init", "--spec", spec]);
    expect(i.code, i.stderr).toBe(0);
    expect(existsSync(join(dir, "traefik/dynamic.yaml"))).toBe(true);
    expect(existsSync(join(dir, "traefik/traefik.yaml"))).toBe(true);
  });
});
