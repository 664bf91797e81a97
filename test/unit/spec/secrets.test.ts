// Reading secrets from real files: only regular files of at most 1 MiB, Kubernetes keys confined to
// their directory (through the kubelet's real ..data layout), and no value shorter than 8 characters.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SecretSourceSchema } from "../../../src/spec/schema.js";
import { MAX_SECRET_BYTES, resolveSecrets } from "../../../src/spec/secrets.js";

const dir = mkdtempSync(join(tmpdir(), "foyer-secrets-unit-"));
const put = (name: string, content: string | Buffer) => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};
const messages = (r: ReturnType<typeof resolveSecrets>) => r.issues.map((i) => `${i.path}: ${i.message}`);

describe("secret files", () => {
  it("reads a regular file, without its final newline", () => {
    const r = resolveSecrets({ lic: { file: put("lic", "LICENSE-0123456789\n"), optional: false } }, {}, undefined);
    expect(r.issues).toEqual([]);
    expect(r.secrets.values.get("lic")).toBe("LICENSE-0123456789");
  });

  it("refuses a FIFO at once (instead of waiting for a writer), naming the secret and the file", () => {
    const fifo = join(dir, "fifo");
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    const t0 = Date.now();
    const r = resolveSecrets({ db: { env: "DB_PASSWORD", optional: false } }, { DB_PASSWORD_FILE: fifo }, undefined);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(messages(r)).toEqual([`secrets.db: secret "db": file DB_PASSWORD_FILE= ${fifo} is not a regular file (a FIFO); secrets are read only from regular files`]);
  });

  it("refuses /dev/zero and /dev/urandom (a device would fill memory) and a directory", () => {
    for (const path of ["/dev/zero", "/dev/urandom"]) {
      const r = resolveSecrets({ db: { file: path, optional: false } }, {}, undefined);
      expect(messages(r)).toEqual([`secrets.db: secret "db": file ${path} is not a regular file (a device or socket); secrets are read only from regular files`]);
    }
    expect(messages(resolveSecrets({ db: { file: dir, optional: true } }, {}, undefined))).toEqual([`secrets.db: secret "db": file ${dir} is a directory, not a file`]);
  });

  it("refuses a file larger than 1 MiB, and reads one of exactly 1 MiB", () => {
    const big = put("big", Buffer.alloc(MAX_SECRET_BYTES + 1, 0x61));
    expect(messages(resolveSecrets({ big: { file: big, optional: false } }, {}, undefined))).toEqual([`secrets.big: secret "big": file ${big} is larger than 1 MiB; secrets are keys and passwords, not data`]);
    const max = put("max", Buffer.alloc(MAX_SECRET_BYTES, 0x61));
    expect(resolveSecrets({ max: { file: max, optional: false } }, {}, undefined).secrets.values.get("max")).toHaveLength(MAX_SECRET_BYTES);
  });

  it("refuses bytes that are not UTF-8 (they would be written changed)", () => {
    const bin = put("bin", Buffer.from([0x41, 0xff, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48]));
    expect(messages(resolveSecrets({ bin: { file: bin, optional: false } }, {}, undefined))).toEqual([`secrets.bin: secret "bin": file ${bin} is not UTF-8 text (a secret is written into text files)`]);
  });
});

describe("short secrets are refused, without printing them", () => {
  it.each([
    ["a 1-character env value", { S: "x" }],
    ["a 6-character env value", { S: "s3cr3t" }],
    ["7 characters", { S: "1234567" }],
    ["padding does not count", { S: "   abc   " }],
  ])("%s", (_what, env) => {
    const r = resolveSecrets({ pin: { env: "S", optional: false } }, env, undefined);
    expect(r.secrets.values.has("pin")).toBe(false);
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0]!.path).toBe("secrets.pin");
    expect(r.issues[0]!.message).toMatch(/^secret "pin" is shorter than 8 characters .*cannot be masked without garbling/);
    expect(r.issues[0]!.message).not.toContain(env.S.trim());
  });

  it("8 characters are enough; an empty secret file is refused too", () => {
    expect(resolveSecrets({ pin: { env: "S", optional: false } }, { S: "12345678" }, undefined).issues).toEqual([]);
    const empty = put("empty", "\n");
    expect(messages(resolveSecrets({ e: { file: empty, optional: true } }, {}, undefined))[0]).toMatch(/^secrets\.e: secret "e" is shorter than 8/);
  });
});

describe("Kubernetes secret directories", () => {
  // the layout the kubelet makes: ..<timestamp>/<key>, ..data -> ..<timestamp>, <key> -> ..data/<key>
  const mount = join(dir, "k8s");
  mkdirSync(join(mount, "..2026_11_30_05_00_00.1"), { recursive: true });
  writeFileSync(join(mount, "..2026_11_30_05_00_00.1", "token"), "k8s-token-0a1b2c3d");
  symlinkSync("..2026_11_30_05_00_00.1", join(mount, "..data"));
  symlinkSync("..data/token", join(mount, "token"));
  const outside = put("outside", "not-for-you-0123");
  symlinkSync(outside, join(mount, "planted"));

  it("reads a key through ..data", () => {
    const r = resolveSecrets({ token: { k8s: mount, optional: false } }, {}, undefined);
    expect(r.issues).toEqual([]);
    expect(r.secrets.values.get("token")).toBe("k8s-token-0a1b2c3d");
  });

  it("the schema takes only a file name as key", () => {
    for (const key of ["../outside", "a/b", "/etc/shadow", "..", "."]) {
      const parsed = SecretSourceSchema.safeParse({ k8s: mount, key });
      expect(parsed.success, key).toBe(false);
    }
    expect(SecretSourceSchema.safeParse({ k8s: mount, key: "..data" }).success).toBe(true);
    expect(SecretSourceSchema.safeParse({ k8s: mount, key: "tls.key" }).success).toBe(true);
  });

  it("a key that resolves outside the directory is refused at read time (a planted link, a secret named '..')", () => {
    const planted = resolveSecrets({ p: { k8s: mount, key: "planted", optional: false } }, {}, undefined);
    expect(messages(planted)).toEqual([`secrets.p: secret "p": key file ${mount}/planted resolves outside the secret directory ${mount}; refusing to read it`]);
    // a secret's name is its default key; ".." is a valid name
    const dotdot = resolveSecrets({ "..": { k8s: mount, optional: false } }, {}, undefined);
    expect(dotdot.issues[0]!.message).toMatch(/resolves outside the secret directory/);
    expect(dotdot.secrets.values.size).toBe(0);
  });
});

describe("the schema documents the rules", () => {
  it("foyer schema's description of a secret source states the minimum length and the file rules", () => {
    const description = SecretSourceSchema.meta()?.description ?? "";
    expect(description).toContain("shorter than 8 characters is refused");
    expect(description).toContain("at most 1 MiB");
  });
});

describe("an env source with a list of names (Posit's PWB_ → RSW_ → RSP_ fallbacks)", () => {
  const src = { lic: { env: ["PWB_LICENSE", "RSW_LICENSE", "RSP_LICENSE"], optional: false } };
  it.each([
    [{ PWB_LICENSE: "PWB-KEY-0123", RSW_LICENSE: "RSW-KEY-0123" }, "PWB-KEY-0123"],
    [{ PWB_LICENSE: "", RSW_LICENSE: "RSW-KEY-0123", RSP_LICENSE: "RSP-KEY-0123" }, "RSW-KEY-0123"],
    [{ RSP_LICENSE: "RSP-KEY-0123" }, "RSP-KEY-0123"],
    // each name's own value before its _FILE twin, and both before the next name
    [{ RSW_LICENSE_FILE: "FILE", RSP_LICENSE: "RSP-KEY-0123" }, "FROM-A-FILE-0123"],
  ])("%j → %s", (env, want) => {
    const r = resolveSecrets(src, env, (p) => (p === "FILE" ? "FROM-A-FILE-0123\n" : ""));
    expect(r.issues).toEqual([]);
    expect(r.secrets.values.get("lic")).toBe(want);
  });

  it("every name and its _FILE twin is a source variable (kept from programs), whichever was used", () => {
    const r = resolveSecrets(src, { RSP_LICENSE: "RSP-KEY-0123" });
    expect([...r.secrets.sourceEnvVars].sort()).toEqual(["PWB_LICENSE", "PWB_LICENSE_FILE", "RSP_LICENSE", "RSP_LICENSE_FILE", "RSW_LICENSE", "RSW_LICENSE_FILE"]);
  });

  it("none set: one issue naming them all", () => {
    expect(messages(resolveSecrets(src, {}))).toEqual(['secrets.lic: secret "lic": none of the environment variables PWB_LICENSE, RSW_LICENSE, RSP_LICENSE is set (nor their _FILE twins)']);
  });

  it("the schema takes a name or a non-empty list of names", () => {
    expect(SecretSourceSchema.safeParse({ env: ["A", "B"] }).success).toBe(true);
    expect(SecretSourceSchema.safeParse({ env: [] }).success).toBe(false);
    expect(SecretSourceSchema.safeParse({ env: ["A", "not a name"] }).success).toBe(false);
  });
});
