// The session: section's part of the validation stage: resolve the kind, lay its defaults over the
// spec (the main server program and its readiness probe through the routing path, the proxy as a
// program when its binary is there), and plan the proxy's config files. Pure: the one fact it needs
// (is the proxy's binary there?) is passed in (systemSessionFacts reads it).
import { accessSync, constants, statSync } from "node:fs";
import type { ConfigIssue } from "../errors.js";
import type { Action } from "../plan/action.js";
import { ProgramSchema, ReadySchema, type Program, type Spec } from "../spec/schema.js";
import { resolveKind, type ResolvedKind } from "./kinds.js";
import { readyUrl, sessionRoutes, traefikDynamic, traefikStatic, type Route } from "./routing.js";

export interface SessionPrepared {
  spec: Spec;
  actions: Action[];
  issues: ConfigIssue[];
  warnings: string[];
  kind?: ResolvedKind;
}

export interface SessionFacts {
  /** true when the path is an executable file */
  executable: (path: string) => boolean;
}

/** The routing proxy's program name. */
export const ROUTING_PROGRAM = "routing";

/**
 * `main`: `foyer run -- CMD` (a launcher session: the launcher's command is the server), so the
 * kind's program is not added when the spec has none of its name.
 */
export function prepareSession(spec: Spec, facts: SessionFacts, { main = false }: { main?: boolean } = {}): SessionPrepared {
  const session = spec.session;
  if (!session) return { spec, actions: [], issues: [], warnings: [] };
  const resolved = resolveKind(session);
  // every issue at once: the ports are checked even when the kind is wrong
  const issues = [...resolved.issues, ...portClashes(session)];
  const kind = resolved.kind;
  if (!kind) return { spec, actions: [], issues, warnings: [] };
  const warnings: string[] = [];
  const routes = sessionRoutes(session, kind);
  const { dir, traefik } = session.routing;
  const dynamicFile = `${dir}/dynamic.yaml`;
  const staticFile = `${dir}/traefik.yaml`;
  const proxy = facts.executable(traefik);
  if (!proxy) warnings.push(`the routing proxy is not run: ${traefik} is not there (its config is written to ${dir}; readiness probes go straight to the servers)`);
  const programs: Record<string, Program> = { ...spec.programs };
  if (proxy) {
    if (programs[ROUTING_PROGRAM]) issues.push({ path: `programs.${ROUTING_PROGRAM}`, message: `'${ROUTING_PROGRAM}' is the session's routing proxy: name this program otherwise` });
    else
      programs[ROUTING_PROGRAM] = ProgramSchema.parse({
        command: [traefik, `--configFile=${staticFile}`],
        ready: { http: `http://127.0.0.1:${session.ports.health}/ping`, timeout: "30s" },
        restart: "always",
        critical: true,
      });
  }
  for (const route of routes) {
    const name = route.program;
    if (name === undefined) continue;
    let program = programs[name];
    if (!program && route.name === "main") {
      if (main) continue;
      const fill = (a: string): string => a.replaceAll("{port}", String(route.port)).replaceAll("{path}", route.prefix);
      program = ProgramSchema.parse({ command: kind.command.map(fill), critical: true, restart: "never" });
    }
    if (!program) {
      issues.push({ path: `session.servers.${route.name}.program`, message: `no program named '${name}'` });
      continue;
    }
    programs[name] = withRouting(program, route, session, proxy);
  }
  issues.push(...idleSourceIssues(spec, programs));
  if (session.idle && !spec.health && session.idle.cull === undefined) warnings.push("session.idle: nothing reads it: /idle needs health.listen (or set idle.cull to let foyer stop the idle session)");
  const actions: Action[] = [
    { kind: "ensure-dir", path: dir, reason: "session.routing.dir (the routing proxy's config)", source: "session.routing.dir", mode: 0o755 },
    { kind: "write-file", path: dynamicFile, reason: `session (routes of kind ${kind.name}: ${routes.map((r) => r.prefix).join(", ")})`, source: "session", content: traefikDynamic(routes, kind), mode: 0o644, secret: false, format: "yaml" },
    { kind: "write-file", path: staticFile, reason: "session.ports (the routing proxy's entry points)", source: "session.ports", content: traefikStatic(session, dynamicFile), mode: 0o644, secret: false, format: "yaml" },
  ];
  return { spec: { ...spec, programs }, actions, issues, warnings, kind };
}

/** Idle sources naming a secret or a program the spec does not have. */
function idleSourceIssues(spec: Spec, programs: Record<string, Program>): ConfigIssue[] {
  return (spec.session?.idle?.sources ?? []).flatMap((s, i): ConfigIssue[] => {
    if ("tokenSecret" in s && s.tokenSecret !== undefined && !(s.tokenSecret in spec.secrets))
      return [{ path: `session.idle.sources.${i}.tokenSecret`, message: `no secret named '${s.tokenSecret}' (declare it under secrets:)` }];
    if ("cpu" in s && !(s.cpu in programs)) return [{ path: `session.idle.sources.${i}.cpu`, message: `no program named '${s.cpu}' (programs: ${Object.keys(programs).join(", ") || "none"})` }];
    return [];
  });
}

/** Two reserved ports or servers on the same port. */
function portClashes(session: NonNullable<Spec["session"]>): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const ports = new Map<number, string>();
  const all = [...Object.entries(session.ports).map(([k, p]) => [`session.ports.${k}`, p] as const), ...Object.entries(session.servers).map(([name, s]) => [`session.servers.${name}.port`, s.port] as const)];
  for (const [what, port] of all) {
    const taken = ports.get(port);
    if (taken) issues.push({ path: what, message: `port ${port} is already ${taken}'s` });
    else ports.set(port, what);
  }
  return issues;
}

// A server's readiness goes through the proxy (when it runs, it starts first) unless the spec gave
// its own. Only a 2xx is ready: a redirect is RStudio sending a client to sign in, not serving.
function withRouting(program: Program, route: Route, session: NonNullable<Spec["session"]>, proxy: boolean): Program {
  const url = readyUrl(route, session, proxy);
  const ready = program.ready ?? (url ? ReadySchema.parse({ http: url, status: "200-299", ...(route.userAgent ? { userAgent: true } : {}), timeout: "120s", interval: "500ms" }) : undefined);
  const after = proxy && !program.after.includes(ROUTING_PROGRAM) ? [...program.after, ROUTING_PROGRAM] : program.after;
  return { ...program, after, ...(ready ? { ready } : {}) };
}

/** The facts from the real system. */
export function systemSessionFacts(): SessionFacts {
  return {
    executable: (path) => {
      try {
        accessSync(path, constants.X_OK);
        return statSync(path).isFile();
      } catch {
        return false;
      }
    },
  };
}
