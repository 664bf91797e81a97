import { describe, expect, it } from "vitest";
import { dependentsOf, startLevels } from "../../../src/supervise/order.js";
import { envAfterSourcing, parseEnvZ, programEnv, sharedEnv } from "../../../src/supervise/env.js";
import { ConfigError } from "../../../src/errors.js";

const node = (after: string[] = [], autostart = true) => ({ after, autostart });

describe("start order", () => {
  it("groups programs in levels that only depend on earlier levels", () => {
    const levels = startLevels({ rserver: node(["launcher", "license"]), launcher: node(["license"]), license: node(), web: node() });
    expect(levels).toEqual([["license", "web"], ["launcher"], ["rserver"]]);
  });

  it("rejects an unknown name with a did-you-mean, as a ConfigError (exit 78)", () => {
    let err: unknown;
    try {
      startLevels({ rserver: node(["launchr"]), launcher: node() });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).exitCode).toBe(78);
    expect((err as ConfigError).issues).toEqual([
      { path: "programs.rserver.after[0]", message: "program 'rserver' starts after 'launchr', which is not a program (did you mean 'launcher'?)" },
    ]);
  });

  it("names the cycle", () => {
    expect(() => startLevels({ a: node(["c"]), b: node(["a"]), c: node(["b"]), d: node() })).toThrow(/cycle: a → c → b → a/);
    expect(() => startLevels({ a: node(["a"]) })).toThrow(/cannot start after itself/);
  });

  it("rejects starting after a program that never autostarts", () => {
    expect(() => startLevels({ a: node(["b"]), b: node([], false) })).toThrow(/autostart: false/);
  });

  it("finds transitive dependents", () => {
    expect(dependentsOf({ a: node(), b: node(["a"]), c: node(["b"]), d: node() }, "a").sort()).toEqual(["b", "c"]);
  });
});

describe("program environment", () => {
  const secrets = { values: new Map([["db", "hunter2"], ["license", "LIC-123"]]), sourceEnvVars: new Set(["DB_PASSWORD", "RSW_LICENSE"]) };

  it("layers foyer env < spec env < program env, removes unset names and every secret source (and _FILE twin)", () => {
    const shared = sharedEnv({ PATH: "/bin", DB_PASSWORD: "hunter2", DB_PASSWORD_FILE: "/run/s/db", RSW_LICENSE: "LIC-123", A: "base" }, { A: "spec", B: "spec" }, secrets);
    expect(shared).toEqual({ PATH: "/bin", A: "spec", B: "spec" });
    const env = programEnv({ shared, name: "rserver", env: { B: "prog", C: "prog" }, unset: ["PATH"], secrets: {} }, secrets);
    expect(env).toEqual({ A: "spec", B: "prog", C: "prog", FOYER_PROGRAM: "rserver" });
  });

  it("gives a secret only to the program that asks for it by name", () => {
    const shared = sharedEnv({ DB_PASSWORD: "hunter2" }, {}, secrets);
    expect(programEnv({ shared, name: "a", env: {}, unset: [], secrets: { PGPASSWORD: "db" } }, secrets).PGPASSWORD).toBe("hunter2");
    expect(Object.values(programEnv({ shared, name: "b", env: {}, unset: [], secrets: {} }, secrets))).not.toContain("hunter2");
  });

  it("parses env -0 output and drops the shell's own variables from sourced exports", () => {
    const captured = parseEnvZ("A=1\0MULTI=x\ny=z\0_=/usr/bin/env\0SHLVL=1\0PWD=/\0HOME=/home/u\0");
    expect(captured).toEqual({ A: "1", MULTI: "x\ny=z", _: "/usr/bin/env", SHLVL: "1", PWD: "/", HOME: "/home/u" });
    expect(envAfterSourcing({ PWD: "/work", HOME: "/root" }, captured)).toEqual({ A: "1", MULTI: "x\ny=z", HOME: "/home/u", PWD: "/work" });
    expect(envAfterSourcing({ HOME: "/root" }, captured, true).HOME).toBe("/root");
  });
});
