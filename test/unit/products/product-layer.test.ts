import { describe, expect, test } from "vitest";
import { applyAdditions } from "../../../src/products/apply.js";
import { noAdditions } from "../../../src/products/product.js";
import { GENERIC, productFor } from "../../../src/products/registry.js";
import { loadSpecCollecting } from "../../../src/spec/load.js";
import { SpecSchema } from "../../../src/spec/schema.js";

const load = (yaml: string, env: Record<string, string> = {}) =>
  loadSpecCollecting({ specFlag: "/spec.yaml", env, read: () => yaml, exists: (p: string) => p === "/s.yaml" || p === "/spec.yaml" || p === "/v.yaml" });

describe("product registry", () => {
  test("each Posit profile has its product with its config dir and service user", () => {
    expect(productFor("workbench")).toMatchObject({ name: "workbench", configDir: "/etc/rstudio", serviceUser: { name: "rstudio-server", uid: 999 } });
    expect(productFor("connect").configDir).toBe("/etc/rstudio-connect");
    expect(productFor("package-manager").configDir).toBe("/etc/rstudio-pm");
    expect(productFor(undefined)).toBe(GENERIC);
    expect(productFor("jupyter-singleuser")).toBe(GENERIC);
    expect(productFor("constructor")).toBe(GENERIC); // not an own property: no prototype lookups
  });

  test("the loader validates config: with the profile's product and records the product", () => {
    const r = load("profile: workbench\nconfig:\n  sever: {}\n");
    expect(r.issues.map((i) => i.message)).toContainEqual(expect.stringContaining('did you mean "server"'));
    const ok = load("profile: workbench\n");
    expect(ok.loaded?.product.name).toBe("workbench");
  });
});

describe("applyAdditions", () => {
  const spec = SpecSchema.parse({ programs: { web: { command: ["web"] } }, secrets: { db: { env: "DB" } } });
  const add = (programs: Record<string, unknown>, secrets: Record<string, unknown> = {}) =>
    applyAdditions(spec, { ...noAdditions(), programs: programs as never, secrets: secrets as never }, "config.startupCustom");

  test("product programs and secrets join the spec, with the spec's defaults", () => {
    const r = add({ sssd: { command: ["sssd", "-i"] } }, { oidc: { k8s: "/mnt/secret", key: "client" } });
    expect(r.issues).toEqual([]);
    expect(r.spec.programs.sssd).toMatchObject({ command: ["sssd", "-i"], restart: "on-failure", stop: { grace: 10_000 } });
    expect(r.spec.secrets.oidc).toEqual({ k8s: "/mnt/secret", key: "client", optional: false });
    expect(Object.keys(r.spec.programs)).toEqual(["web", "sssd"]);
  });

  test("a name the spec already uses is an issue naming both, and the spec's program is kept", () => {
    const r = add({ web: { command: ["other"] } }, { db: { env: "OTHER" } });
    expect(r.issues.map((i) => i.path)).toEqual(["programs.web", "secrets.db"]);
    expect(r.issues[0]!.message).toContain("config.startupCustom");
    expect(r.spec.programs.web!.command).toEqual(["web"]);
  });

  test("an invalid product program is an issue at its path, not a crash", () => {
    const r = add({ bad: { command: "a string without shell" } });
    expect(r.issues[0]).toMatchObject({ path: "programs.bad.command" });
  });
});
