// Session kinds (built-in and inherited), the routes and Traefik's file-provider config, and what
// the session: section lays over the spec (programs, probes through the routing path, the proxy).
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { resolveKind } from "../../../src/sessions/kinds.js";
import { prepareSession } from "../../../src/sessions/prepare.js";
import { joinPath } from "../../../src/sessions/routing.js";
import { SessionSchema } from "../../../src/sessions/schema.js";
import { SpecSchema, type Spec } from "../../../src/spec/schema.js";

const spec = (input: Record<string, unknown>): Spec => SpecSchema.parse(input) as Spec;
const withProxy = { executable: (p: string) => p === "/usr/local/bin/traefik" };
const noProxy = { executable: () => false };

function files(r: ReturnType<typeof prepareSession>): Record<string, unknown> {
  return Object.fromEntries(r.actions.flatMap((a) => (a.kind === "write-file" ? [[a.path.split("/").pop()!, parse(a.content) as unknown]] : [])));
}

describe("kinds", () => {
  it("the reserved ports are the defaults", () => {
    expect(SessionSchema.parse({}).ports).toEqual({ auth: 4180, routing: 4181, health: 4182, server: 8888 });
  });

  it("a user kind inherits its base field by field, through a chain", () => {
    const { kind, issues } = resolveKind(
      SessionSchema.parse({ kind: "shiny-lab", kinds: { "r-base": { base: "rstudio", idle: ["cpu"] }, "shiny-lab": { base: "r-base", program: "shiny", command: ["R", "-e", "shiny::runApp(port={port})"] } } }),
    );
    expect(issues).toEqual([]);
    expect(kind).toMatchObject({ chain: ["shiny-lab", "r-base", "rstudio"], program: "shiny", command: ["R", "-e", "shiny::runApp(port={port})"], idle: ["cpu"], ready: "/favicon.ico", userAgent: true, stripPrefix: true });
  });

  it("unknown kinds, a missing base and circles are issues naming the field", () => {
    expect(resolveKind(SessionSchema.parse({ kind: "rstduio" })).issues).toEqual([{ path: "session.kind", message: "unknown session kind 'rstduio' (known: jupyter, rstudio, vscode)" }]);
    expect(resolveKind(SessionSchema.parse({ kind: "a", kinds: { a: { base: "b" } } })).issues[0]).toMatchObject({ path: "session.kinds.a.base" });
    expect(resolveKind(SessionSchema.parse({ kind: "a", kinds: { a: {} } })).issues[0]).toMatchObject({ path: "session.kinds.a", message: expect.stringContaining("needs a base") });
    expect(resolveKind(SessionSchema.parse({ kind: "a", kinds: { a: { base: "b" }, b: { base: "a" } } })).issues[0]!.message).toBe("kinds inherit in a circle: a → b → a");
  });

  it("joinPath", () => {
    expect(joinPath("/")).toBe("/");
    expect(joinPath("/", "/api/status")).toBe("/api/status");
    expect(joinPath("/sessions/abc/", "/dashboard")).toBe("/sessions/abc/dashboard");
  });
});

describe("the session laid over the spec", () => {
  it("rstudio under a path with a dashboard: the programs, probes through the proxy, Traefik's files", () => {
    const r = prepareSession(
      spec({ session: { kind: "rstudio", path: "/sessions/ada", servers: { dashboard: { port: 8890, path: "/dashboard", program: "dash", ready: "/" } } }, programs: { dash: { command: ["shiny-dash"] } } }),
      withProxy,
    );
    expect(r.issues).toEqual([]);
    expect(r.warnings).toEqual([]);
    const { rstudio, dash, routing } = r.spec.programs;
    expect(rstudio).toMatchObject({
      command: ["/usr/lib/rstudio-server/bin/rserver", "--server-daemonize=0", "--www-address=127.0.0.1", "--www-port=8888", "--www-root-path=/sessions/ada"],
      critical: true,
      after: ["routing"],
      ready: { http: "http://127.0.0.1:4181/sessions/ada/favicon.ico", userAgent: true, status: "200-299" },
    });
    expect(dash).toMatchObject({ after: ["routing"], ready: { http: "http://127.0.0.1:4181/sessions/ada/dashboard" } });
    expect(dash!.ready!.userAgent).toBeUndefined();
    expect(routing).toMatchObject({ command: ["/usr/local/bin/traefik", "--configFile=/etc/foyer/traefik/traefik.yaml"], ready: { http: "http://127.0.0.1:4182/ping" }, restart: "always" });

    const f = files(r);
    expect(f["dynamic.yaml"]).toEqual({
      http: {
        routers: {
          main: { entryPoints: ["web"], rule: "PathPrefix(`/sessions/ada`)", service: "main", middlewares: ["main-strip", "main-root"] },
          dashboard: { entryPoints: ["web"], rule: "PathPrefix(`/sessions/ada/dashboard`)", service: "dashboard", middlewares: ["dashboard-strip"] },
        },
        services: {
          main: { loadBalancer: { servers: [{ url: "http://127.0.0.1:8888" }], passHostHeader: true } },
          dashboard: { loadBalancer: { servers: [{ url: "http://127.0.0.1:8890" }], passHostHeader: true } },
        },
        middlewares: {
          "main-strip": { stripPrefix: { prefixes: ["/sessions/ada"] } },
          "main-root": { headers: { customRequestHeaders: { "X-RStudio-Root-Path": "/sessions/ada" } } },
          "dashboard-strip": { stripPrefix: { prefixes: ["/sessions/ada/dashboard"] } },
        },
      },
    });
    expect(f["traefik.yaml"]).toMatchObject({
      entryPoints: { web: { address: ":4181" }, traefik: { address: ":4182" } },
      ping: { entryPoint: "traefik" },
      metrics: { prometheus: { entryPoint: "traefik" } },
      providers: { file: { filename: "/etc/foyer/traefik/dynamic.yaml", watch: true } },
    });
  });

  it("every key of the rendered dynamic config is one of Traefik's documented file-provider fields", () => {
    const r = prepareSession(spec({ session: { kind: "rstudio", path: "/s/x", servers: { d: { port: 9000, path: "/d" } } } }), withProxy);
    const dyn = files(r)["dynamic.yaml"] as { http: Record<string, Record<string, Record<string, unknown>>> };
    // https://doc.traefik.io/traefik/routing/routers/, services/, middlewares/http/stripprefix, headers
    const allowed = { routers: ["entryPoints", "rule", "service", "middlewares", "priority", "tls"], services: ["loadBalancer"], middlewares: ["stripPrefix", "headers"] };
    expect(Object.keys(dyn)).toEqual(["http"]);
    for (const [section, entries] of Object.entries(dyn.http)) {
      expect(Object.keys(allowed)).toContain(section);
      for (const entry of Object.values(entries)) for (const key of Object.keys(entry)) expect(allowed[section as keyof typeof allowed]).toContain(key);
    }
    for (const router of Object.values(dyn.http.routers!) as Array<{ service: string; middlewares?: string[]; rule: string }>) {
      expect(dyn.http.services).toHaveProperty([router.service]);
      for (const m of router.middlewares ?? []) expect(dyn.http.middlewares).toHaveProperty([m]);
      expect(router.rule).toMatch(/^PathPrefix\(`\/[^`]*`\)$/);
    }
  });

  it("jupyter at / without the proxy: the config is still written, a note says the proxy is not run, probes go to the server", () => {
    const r = prepareSession(spec({ session: { kind: "jupyter" } }), noProxy);
    expect(r.issues).toEqual([]);
    expect(r.warnings).toEqual(["the routing proxy is not run: /usr/local/bin/traefik is not there (its config is written to /etc/foyer/traefik; readiness probes go straight to the servers)"]);
    expect(r.spec.programs.routing).toBeUndefined();
    expect(r.spec.programs.jupyter).toMatchObject({ after: [], ready: { http: "http://127.0.0.1:8888/api" } });
    expect(r.actions.map((a) => `${a.kind} ${a.path}`)).toEqual(["ensure-dir /etc/foyer/traefik", "write-file /etc/foyer/traefik/dynamic.yaml", "write-file /etc/foyer/traefik/traefik.yaml"]);
  });

  it("a program the spec already has keeps its command and its own probe", () => {
    const r = prepareSession(spec({ session: { kind: "jupyter" }, programs: { jupyter: { command: ["jupyter", "server"], ready: { tcp: 8888 } } } }), withProxy);
    expect(r.spec.programs.jupyter).toMatchObject({ command: ["jupyter", "server"], ready: { tcp: { port: 8888 } }, after: ["routing"] });
  });

  it("clashing ports, a missing server program and a taken 'routing' name are issues", () => {
    const r = prepareSession(
      spec({ session: { ports: { routing: 8888 }, servers: { d: { port: 4180, path: "/d", program: "nope" } } }, programs: { routing: { command: ["x"] } } }),
      withProxy,
    );
    expect(r.issues.map((i) => i.path).sort()).toEqual(["programs.routing", "session.ports.server", "session.servers.d.port", "session.servers.d.program"]);
  });
});

describe("idle sources in the validation stage", () => {
  it("a token secret that is not declared and a CPU source naming no program are issues at their place", () => {
    const r = prepareSession(spec({ session: { kind: "jupyter", idle: { sources: [{ jupyter: "http://127.0.0.1:8888/", tokenSecret: "jtoken" }, { cpu: "rstudio" }, { cpu: "jupyter" }] } } }), noProxy);
    expect(r.issues).toEqual([
      { path: "session.idle.sources.0.tokenSecret", message: "no secret named 'jtoken' (declare it under secrets:)" },
      { path: "session.idle.sources.1.cpu", message: "no program named 'rstudio' (programs: jupyter)" },
    ]);
  });
});

describe("default idle sources", () => {
  it("per kind; Jupyter's uses the secret its program gets as JUPYTER_TOKEN", async () => {
    const { defaultSources } = await import("../../../src/sessions/runtime.js");
    expect(defaultSources(SessionSchema.parse({ kind: "jupyter", path: "/user/ada" }), { jupyter: { secrets: { JUPYTER_TOKEN: "jtoken" } } })).toEqual([{ jupyter: "http://127.0.0.1:8888/user/ada", tokenSecret: "jtoken" }]);
    expect(defaultSources(SessionSchema.parse({ kind: "jupyter" }))).toEqual([{ jupyter: "http://127.0.0.1:8888/" }]);
    expect(defaultSources(SessionSchema.parse({ kind: "rstudio", ports: { server: 8787 } }))).toEqual([{ connections: 8787 }]);
    expect(defaultSources(SessionSchema.parse({ kind: "r", kinds: { r: { base: "rstudio", program: "r", idle: ["cpu", "connections"] } } }))).toEqual([{ cpu: "r", above: 5 }, { connections: 8888 }]);
  });
});

describe("idle without a reader", () => {
  it("warns when neither health.listen (for /idle) nor idle.cull is set", () => {
    const w = (input: Record<string, unknown>) => prepareSession(spec(input), withProxy).warnings;
    expect(w({ session: { idle: { interval: "10s" } } })).toEqual(["session.idle: nothing reads it: /idle needs health.listen (or set idle.cull to let foyer stop the idle session)"]);
    expect(w({ session: { idle: { cull: "1h" } } })).toEqual([]);
    expect(w({ session: { idle: {} }, health: { listen: 4182 } })).toEqual([]);
  });
});

describe("a launcher session (run -- CMD)", () => {
  it("the command is the server: the kind's program is not added", () => {
    const r = prepareSession(spec({ session: { kind: "rstudio" } }), noProxy, { main: true });
    expect(r.issues).toEqual([]);
    expect(r.spec.programs).toEqual({});
  });
});
