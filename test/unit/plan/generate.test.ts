// Generated state through the real executor on a temp dir: created once, never overwritten, the
// public half derived from a kept private key, a lone public key refused; the plan holds no key.
import { createPrivateKey, createPublicKey } from "node:crypto";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { checkGeneratedState } from "../../../src/check/generated-state.js";
import { applyPlan, planInit, planJson, type Action } from "../../../src/plan/index.js";
import { Redactor } from "../../../src/log/index.js";
import { productFor } from "../../../src/products/registry.js";
import { specSchemaFor } from "../../../src/products/spec-schema.js";
import type { Spec } from "../../../src/spec/schema.js";

const uid = process.getuid!();
const owner = `${uid}:${process.getgid!()}`;
const cookie = (dir: string): Action => ({ kind: "generate-file", path: join(dir, "secure-cookie-key"), reason: "t", generator: "uuid", mode: 0o600, owner });
const pair = (dir: string): Action => ({ kind: "generate-file", path: join(dir, "launcher.pem"), publicPath: join(dir, "launcher.pub"), reason: "t", generator: "rsa-key-pair", mode: 0o600, publicMode: 0o644, owner });

describe("generate-file", () => {
  test("created once with mode 0600; a second apply keeps the same bytes", () => {
    const dir = mkdtempSync(join(tmpdir(), "foyer-gen-"));
    const first = applyPlan([cookie(dir), pair(dir)]);
    expect(first.changed).toEqual([join(dir, "secure-cookie-key"), join(dir, "launcher.pem")]);
    const key = readFileSync(join(dir, "secure-cookie-key"), "utf8");
    expect(key).toMatch(/^[0-9a-f-]{36}\n$/);
    expect(statSync(join(dir, "secure-cookie-key")).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, "launcher.pem")).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, "launcher.pub")).mode & 0o777).toBe(0o644);
    const pem = readFileSync(join(dir, "launcher.pem"), "utf8");
    const pub = readFileSync(join(dir, "launcher.pub"), "utf8");
    expect(createPublicKey(createPrivateKey(pem)).export({ type: "spki", format: "pem" })).toBe(pub);
    const second = applyPlan([cookie(dir), pair(dir)]);
    expect(second.changed).toEqual([]);
    expect(readFileSync(join(dir, "secure-cookie-key"), "utf8")).toBe(key);
    expect(readFileSync(join(dir, "launcher.pem"), "utf8")).toBe(pem);
  });

  test("a file that is there (a user's own key) is never overwritten, whatever its content", () => {
    const dir = mkdtempSync(join(tmpdir(), "foyer-gen-"));
    writeFileSync(join(dir, "secure-cookie-key"), "mine, from a volume\n", { mode: 0o640 });
    applyPlan([cookie(dir)]);
    expect(readFileSync(join(dir, "secure-cookie-key"), "utf8")).toBe("mine, from a volume\n");
    expect(statSync(join(dir, "secure-cookie-key")).mode & 0o777).toBe(0o640);
  });

  test("a kept private key gets its public key derived; a public key alone is refused, nothing written", () => {
    const dir = mkdtempSync(join(tmpdir(), "foyer-gen-"));
    applyPlan([pair(dir)]);
    const pub = readFileSync(join(dir, "launcher.pub"), "utf8");
    const other = mkdtempSync(join(tmpdir(), "foyer-gen-"));
    writeFileSync(join(other, "launcher.pem"), readFileSync(join(dir, "launcher.pem")), { mode: 0o600 });
    expect(applyPlan([pair(other)]).changed).toEqual([join(other, "launcher.pem")]);
    expect(readFileSync(join(other, "launcher.pub"), "utf8")).toBe(pub);
    const lone = mkdtempSync(join(tmpdir(), "foyer-gen-"));
    writeFileSync(join(lone, "launcher.pub"), pub);
    expect(() => applyPlan([pair(lone)])).toThrow(/launcher.pub exists but .*launcher.pem does not/);
    expect(readFileSync(join(lone, "launcher.pub"), "utf8")).toBe(pub);
  });
});

describe("Workbench's generated state in the plan", () => {
  const workbench = productFor("workbench");
  const spec = (config: unknown) => specSchemaFor(workbench).parse({ config }) as Spec;
  const gens = (config: unknown) => planInit({ spec: spec(config), secrets: new Map([["k8s.pem.launcher.pem", "-----BEGIN RSA PRIVATE KEY-----x"]]), env: {}, product: workbench }).actions.filter((a) => a.kind === "generate-file");

  test("the cookie key at rserver.conf's secure-cookie-key-file (else rserver's default), the pair in the config dir, for uid 999", () => {
    expect(gens({}).map((a) => [a.path, a.owner])).toEqual([["/var/lib/rstudio-server/secure-cookie-key", "999:999"], ["/etc/rstudio/launcher.pem", "999:999"]]);
    expect(gens({ server: { "rserver.conf": { "secure-cookie-key-file": "/data/cookie" } } })[0]!.path).toBe("/data/cookie");
    const printed = planJson(planInit({ spec: spec({}), secrets: new Map(), env: {}, product: workbench }).actions, new Redactor());
    expect(printed).not.toMatch(/BEGIN|[0-9a-f]{8}-[0-9a-f]{4}/);
  });

  test("a key the spec provides (existingSecrets, config.secret) is used instead of a generated one", () => {
    const fromSecret = gens({ existingSecrets: [{ name: "pem", items: [{ key: "launcher.pem", path: "launcher.pem" }] }] });
    expect(fromSecret.map((a) => a.path)).toEqual(["/var/lib/rstudio-server/secure-cookie-key"]);
  });

  test("found on the root filesystem at start: a warning naming the volume to mount", () => {
    const actions = [cookie("/var/lib/rstudio-server")];
    expect(checkGeneratedState(actions, { root: 7, files: new Map([["/var/lib/rstudio-server/secure-cookie-key", 7]]) })[0]!.message).toContain("Mount a volume at /var/lib/rstudio-server");
    expect(checkGeneratedState(actions, { root: 7, files: new Map([["/var/lib/rstudio-server/secure-cookie-key", 9]]) })).toEqual([]);
    expect(checkGeneratedState(actions, { root: 7, files: new Map() })).toEqual([]);
  });
});
