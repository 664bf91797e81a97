import { describe, expect, test } from "vitest";
import { checkOwners, lookupFromFiles, resolveOwner, type Action } from "../../../src/plan/index.js";

const users = lookupFromFiles(
  "root:x:0:0:root:/root:/bin/bash\n# comment\nrstudio-server:x:999:999::/var/lib/rstudio-server:/usr/sbin/nologin\njovyan:x:1000:100::/home/jovyan:/bin/bash\nbroken:line\n",
  "root:x:0:\nrstudio-server:x:999:\nusers:x:100:jovyan\n",
);

describe("owners", () => {
  test.each([
    ["rstudio-server", { uid: 999, gid: 999 }],
    ["jovyan", { uid: 1000, gid: 100 }],
    ["jovyan:rstudio-server", { uid: 1000, gid: 999 }],
    ["1234", { uid: 1234, gid: undefined }],
    ["1000", { uid: 1000, gid: 100 }],
    ["1234:0", { uid: 1234, gid: 0 }],
    ["root:users", { uid: 0, gid: 100 }],
  ])("%s resolves", (spec, ids) => {
    expect(resolveOwner(spec, users)).toEqual({ ok: true, ids });
  });

  test("unknown user and group names are errors naming them", () => {
    expect(resolveOwner("nobody-here", users)).toEqual({ ok: false, error: expect.stringContaining('user "nobody-here" does not exist') });
    expect(resolveOwner("root:wheelz", users)).toEqual({ ok: false, error: expect.stringContaining('group "wheelz" does not exist') });
  });

  test("checkOwners reports each missing owner at the action's spec place", () => {
    const actions: Action[] = [
      { kind: "write-file", path: "/a", reason: "t", source: "files[0]", content: "", mode: 0o644, secret: false, owner: "ghost" },
      { kind: "run-command-as-user", path: "/", reason: "t", source: "hooks.x", argv: ["true"], user: "phantom", env: {} },
      { kind: "chown", path: "/b", reason: "t", owner: "jovyan", recursive: false },
    ];
    const r = checkOwners(actions, users);
    expect(r.issues.map((i) => i.path)).toEqual(["files[0].owner", "hooks.x.user"]);
    expect(r.owners.get("jovyan")).toEqual({ uid: 1000, gid: 100 });
  });
});
