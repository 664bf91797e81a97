// prepareJupyter: docker-stacks' result laid over the spec, and the warning for a database that
// would not survive a restart.
import { describe, expect, it } from "vitest";
import { filesDatabase } from "../../../src/identity/index.js";
import { prepareJupyter, type JupyterFacts } from "../../../src/jupyter/prepare.js";
import { SpecSchema } from "../../../src/spec/schema.js";

const users = filesDatabase("root:x:0:0::/root:/bin/bash\njovyan:x:1000:100::/home/jovyan:/bin/bash\n", "root:x:0:\nusers:x:100:\n");
const facts = (fsType?: number): JupyterFacts => ({ euid: 0, users, kindOf: (p) => (p === "/home/jovyan" ? "dir" : "missing"), fsTypeOf: () => fsType });
const spec = (jupyter: unknown) => SpecSchema.parse({ jupyter, programs: { jupyter: { command: ["jupyter", "lab"], user: "jovyan", cwd: "/home/jovyan" } } });

describe("prepareJupyter", () => {
  it("lays NB_USER over the program and the homes; other programs untouched", () => {
    const r = prepareJupyter(spec({ dockerStacks: true }), { NB_USER: "ada", NB_UMASK: "077" }, facts());
    expect(r.issues).toEqual([]);
    expect(r.spec.programs.jupyter).toMatchObject({ user: "ada", cwd: "/home/ada", umask: 0o077, command: ["jupyter", "lab"] });
    expect(r.spec.home?.users).toEqual(["ada"]);
    expect(r.spec.home?.mode).toBe(0o700);
    expect(r.before.map((a) => a.kind)).toEqual(["run-command-as-user", "run-command-as-user"]);
  });

  it("without dockerStacks the spec is as written", () => {
    const s = spec({});
    expect(prepareJupyter(s, { NB_USER: "ada" }, facts()).spec).toBe(s);
  });

  it("a persistent path on a tmpfs or the overlay root is a warning; on a volume (ext4) it is not", () => {
    expect(prepareJupyter(spec({ persistent: ["/srv/jupyterhub.sqlite"] }), {}, facts(0x01021994)).warnings).toEqual([
      "jupyter.persistent: /srv/jupyterhub.sqlite is on tmpfs: it is lost when the container restarts; put it on a volume",
    ]);
    expect(prepareJupyter(spec({ persistent: ["/srv/jupyterhub.sqlite"] }), {}, facts(0x794c7630)).warnings[0]).toContain("overlay");
    expect(prepareJupyter(spec({ persistent: ["/srv/jupyterhub.sqlite"] }), {}, facts(0xef53)).warnings).toEqual([]);
  });
});
