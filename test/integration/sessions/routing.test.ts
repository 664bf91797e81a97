// The routing proxy supervised by foyer when its binary is there: the proxy starts first, the
// RStudio-like server is ready only through the proxy's rewritten path with a browser user-agent,
// a dashboard beside it is routed on its own path. Traefik is not installable here: the proxy is a
// stand-in that reads the very files foyer writes and refuses any field Traefik does not document
// (test/fixtures/sessions/bin/traefik).
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { scratch, startFoyer, until } from "../supervise/harness.js";

const FIX = resolve(import.meta.dirname, "../../fixtures/sessions/bin");
const randomPort = (): number => 20000 + Math.floor(Math.random() * 30000);

describe("routing proxy", () => {
  it("runs the proxy first, probes RStudio's favicon through it as a browser, routes the dashboard, stops in reverse order", async () => {
    const dir = scratch();
    const [routing, health, server, dash, foyerHealth] = [randomPort(), randomPort(), randomPort(), randomPort(), randomPort()];
    const foyer = startFoyer({
      health: { listen: `127.0.0.1:${foyerHealth}` },
      session: {
        kind: "rstudio",
        path: "/sessions/ada",
        ports: { routing, health, server },
        servers: { dashboard: { port: dash, path: "/dashboard", program: "dashboard", ready: "/" } },
        routing: { traefik: join(FIX, "traefik"), dir: join(dir, "traefik") },
      },
      programs: {
        rstudio: { command: [join(FIX, "webapp"), String(server), "rstudio"] },
        dashboard: { command: [join(FIX, "webapp"), String(dash), "plain"] },
      },
    });
    try {
      await until(() => /rstudio is ready/.test(foyer.stderr()) && /dashboard is ready/.test(foyer.stderr()), 30_000, "both servers ready");
      const log = foyer.stderr();
      expect(log.indexOf("routing is ready")).toBeGreaterThan(-1);
      expect(log.indexOf("routing is ready")).toBeLessThan(log.indexOf("started rstudio"));
      expect(log).not.toMatch(/routing proxy is not run/);

      const base = `http://127.0.0.1:${routing}`;
      // a non-browser is sent to sign in (what made the RFC's probes fail); a browser gets the favicon
      expect((await fetch(`${base}/sessions/ada/favicon.ico`, { redirect: "manual" })).status).toBe(302);
      const fav = await fetch(`${base}/sessions/ada/favicon.ico`, { headers: { "user-agent": "Mozilla/5.0" } });
      expect(await fav.json()).toEqual({ mode: "rstudio", path: "/favicon.ico", rootPath: "/sessions/ada" });
      const board = await fetch(`${base}/sessions/ada/dashboard/app?x=1`);
      expect(await board.json()).toEqual({ mode: "plain", path: "/app?x=1", rootPath: null });

      const status = (await (await fetch(`http://127.0.0.1:${foyerHealth}/status`)).json()) as { programs: Array<{ name: string; state: string }> };
      expect(status.programs.map((p) => [p.name, p.state]).sort()).toEqual([["dashboard", "RUNNING"], ["routing", "RUNNING"], ["rstudio", "RUNNING"]]);
    } finally {
      foyer.signal("SIGTERM");
    }
    expect((await foyer.done).code).toBe(0);
    const log = foyer.stderr();
    // the proxy stops after the servers that come after it
    const stopped = (name: string): number => log.indexOf(`${name} stopped`);
    expect(stopped("rstudio")).toBeGreaterThan(-1);
    expect(stopped("dashboard")).toBeGreaterThan(-1);
    expect(stopped("routing")).toBeGreaterThan(Math.max(stopped("rstudio"), stopped("dashboard")));
  }, 60_000);

  it("a user kind inheriting vscode: the kind's own program and command line, ready through the proxy", async () => {
    const dir = scratch();
    const [routing, health, server] = [randomPort(), randomPort(), randomPort()];
    const foyer = startFoyer(
      {
        session: {
          kind: "editor",
          kinds: { editor: { base: "vscode", program: "editor" } },
          path: "/s/bob",
          ports: { routing, health, server },
          routing: { traefik: join(FIX, "traefik"), dir: join(dir, "traefik") },
        },
      },
      { env: { PATH: `${FIX}:/usr/bin:/bin` } },
    );
    try {
      await until(() => /editor is ready/.test(foyer.stderr()), 30_000, "the editor ready");
      const r = (await (await fetch(`http://127.0.0.1:${routing}/s/bob/some/file?x=1`)).json()) as { path: string; argv: string[] };
      expect(r).toEqual({ path: "/some/file?x=1", argv: [`--bind-addr=127.0.0.1:${server}`, "--auth=none", "--disable-telemetry"] });
    } finally {
      foyer.signal("SIGTERM");
    }
    expect((await foyer.done).code).toBe(0);
  }, 60_000);
});
