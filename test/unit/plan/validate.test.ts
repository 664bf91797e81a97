import { describe, expect, test } from "vitest";
import { checkPath, validatePlan, type Action } from "../../../src/plan/index.js";

const file = (path: string, mode = 0o644, secret = false): Action => ({ kind: "write-file", path, reason: "test", source: "files[0]", content: "", mode, secret });

describe("validatePlan", () => {
  test.each([
    ["/etc/../etc/shadow", /traversal/],
    ["etc/rstudio/rserver.conf", /absolute/],
    ["/etc//rstudio", /normalised/],
    ["/etc/./rstudio", /normalised/],
    ["/etc/x\0y", /NUL/],
  ])("path %j is refused", (path, message) => {
    expect(validatePlan([file(path)])).toEqual([{ path: "files[0]", message: expect.stringMatching(message) }]);
  });

  test("a command's fallback link (otherwise) is checked like any path", () => {
    const cmd = (path: string, target = "/home/jovyan"): Action => ({ kind: "run-command-as-user", path: "/", reason: "t", source: "env NB_USER", argv: ["cp"], user: "0", env: {}, otherwise: { kind: "symlink", path, target, reason: "t", source: "env NB_USER" } });
    expect(validatePlan([cmd("/home/ada/../etc/x")])).toEqual([{ path: "env NB_USER", message: expect.stringMatching(/^otherwise: .*traversal/) }]);
    expect(validatePlan([cmd("/home/ada/jovyan", "/x\0y")])).toEqual([{ path: "env NB_USER", message: "otherwise: invalid symlink target" }]);
    expect(validatePlan([cmd("/home/ada/jovyan")])).toEqual([]);
  });

  test("normal paths pass", () => {
    expect(checkPath("/etc/rstudio/rserver.conf")).toBeUndefined();
    expect(checkPath("/")).toBeUndefined();
  });

  test.each([
    [0o4755, /setuid/],
    [0o2644, /setgid/],
    [0o666, /world-writable/],
  ])("file mode %o is refused", (mode, message) => {
    expect(validatePlan([file("/f", mode)])[0]!.message).toMatch(message);
  });

  test("a secret file may not be world-readable; 0640 is fine", () => {
    expect(validatePlan([file("/s", 0o644, true)])[0]!.message).toMatch(/holds secrets/);
    expect(validatePlan([file("/s", 0o640, true)])).toEqual([]);
  });

  test("directories: setgid and 1777 are fine, world-writable without sticky is not", () => {
    const dir = (mode: number): Action => ({ kind: "ensure-dir", path: "/d", reason: "t", mode });
    expect(validatePlan([dir(0o2775), dir(0o1777)])).toEqual([]);
    expect(validatePlan([dir(0o777)])[0]!.message).toMatch(/sticky/);
  });

  test("the same path written twice names both places", () => {
    const a = { ...file("/etc/x"), source: "config.server.x" };
    expect(validatePlan([a, file("/etc/x")])).toEqual([{ path: "files[0]", message: "/etc/x is also written by config.server.x" }]);
  });
});
