// The routing proxy's configuration (Traefik, file provider): one router + service per server of
// the session under session.path, prefix stripping for servers that expect "/", and the static
// config with the RFC's entry points (4181 routing, 4182 ping and Prometheus metrics). Pure.
import { stringify } from "yaml";
import type { ResolvedKind } from "./kinds.js";
import type { SessionSpec } from "./schema.js";

/** One server as routed: its name, route prefix and backend port. */
export interface Route {
  name: string;
  /** the full prefix the proxy matches (session.path + the server's path) */
  prefix: string;
  port: number;
  stripPrefix: boolean;
  /** readiness: the path probed under the prefix, and whether a browser user-agent is needed */
  ready?: string;
  userAgent: boolean;
  program?: string;
}

/** Join URL paths without doubling or losing slashes: join("/s/a", "/dash") = "/s/a/dash", join("/", "/") = "/". */
export function joinPath(...parts: string[]): string {
  const joined = "/" + parts.map((p) => p.replace(/^\/+|\/+$/g, "")).filter(Boolean).join("/");
  return joined;
}

/** The session's routes: the main server first, then the extra servers (sorted by name: stable output). */
export function sessionRoutes(session: SessionSpec, kind: ResolvedKind): Route[] {
  const main: Route = {
    name: "main",
    prefix: joinPath(session.path),
    port: session.ports.server,
    stripPrefix: kind.stripPrefix,
    ready: kind.ready,
    userAgent: kind.userAgent,
    program: kind.program,
  };
  const extra = Object.entries(session.servers)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, s]): Route => ({
      name,
      prefix: joinPath(session.path, s.path),
      port: s.port,
      stripPrefix: s.stripPrefix ?? true,
      userAgent: s.userAgent ?? false,
      ...(s.ready ? { ready: s.ready } : {}),
      ...(s.program ? { program: s.program } : {}),
    }));
  return [main, ...extra];
}

/** Traefik's dynamic configuration (file provider) for the routes. */
export function traefikDynamic(routes: readonly Route[], kind: ResolvedKind): string {
  const routers: Record<string, unknown> = {};
  const services: Record<string, unknown> = {};
  const middlewares: Record<string, unknown> = {};
  for (const r of routes) {
    const mw: string[] = [];
    if (r.stripPrefix && r.prefix !== "/") {
      middlewares[`${r.name}-strip`] = { stripPrefix: { prefixes: [r.prefix] } };
      mw.push(`${r.name}-strip`);
    }
    // RStudio builds its absolute URLs from this header when it sits under a path
    if (r.name === "main" && kind.chain.includes("rstudio") && r.prefix !== "/") {
      middlewares[`${r.name}-root`] = { headers: { customRequestHeaders: { "X-RStudio-Root-Path": r.prefix } } };
      mw.push(`${r.name}-root`);
    }
    routers[r.name] = {
      entryPoints: ["web"],
      rule: `PathPrefix(\`${r.prefix}\`)`,
      service: r.name,
      ...(mw.length ? { middlewares: mw } : {}),
    };
    services[r.name] = { loadBalancer: { servers: [{ url: `http://127.0.0.1:${r.port}` }], passHostHeader: true } };
  }
  const http = { routers, services, ...(Object.keys(middlewares).length ? { middlewares } : {}) };
  return "# written by foyer from session: (the routing proxy's dynamic configuration)\n" + stringify({ http });
}

/** Traefik's static configuration: entry points on the reserved ports, ping and metrics, the file provider. */
export function traefikStatic(session: SessionSpec, dynamicFile: string): string {
  const config = {
    entryPoints: {
      web: { address: `:${session.ports.routing}` },
      // on every interface: kubelet probes /ping and Prometheus scrapes the metrics at the pod IP
      traefik: { address: `:${session.ports.health}` },
    },
    ping: { entryPoint: "traefik" },
    metrics: { prometheus: { entryPoint: "traefik" } },
    providers: { file: { filename: dynamicFile, watch: true } },
    global: { checkNewVersion: false, sendAnonymousUsage: false },
    log: { level: "INFO" },
  };
  return "# written by foyer from session: (the routing proxy's static configuration)\n" + stringify(config);
}

/**
 * The readiness URL of a route: through the proxy when it runs (which checks the proxy too, and
 * RStudio needs the rewritten path), else straight to the server.
 */
export function readyUrl(route: Route, session: SessionSpec, viaProxy: boolean): string | undefined {
  if (route.ready === undefined) return undefined;
  if (viaProxy) return `http://127.0.0.1:${session.ports.routing}${joinPath(route.prefix, route.ready)}`;
  return `http://127.0.0.1:${route.port}${route.stripPrefix ? joinPath(route.ready) : joinPath(route.prefix, route.ready)}`;
}
