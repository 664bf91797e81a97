// The session's part of `foyer run`: the idle monitor behind /idle, with the kind's default
// sources when session.idle.sources is not given, and culling through the supervisor's ordered
// shutdown (exit 0: an idle session that was stopped did nothing wrong).
import type { Program } from "../spec/schema.js";
import type { Clock } from "../time/clock.js";
import { IdleMonitor } from "./idle.js";
import { resolveKind } from "./kinds.js";
import { joinPath } from "./routing.js";
import { IdleSchema, type IdleSource, type SessionSpec } from "./schema.js";
import { idleSource, type SourceDeps } from "./sources.js";

export interface SessionRuntimeDeps {
  clock: Clock;
  secret: (name: string) => string | undefined;
  pidOf: (program: string) => number | undefined;
  /** stop the session (ordered shutdown) with this reason */
  cull: (reason: string) => void;
  /** tests: /proc readers */
  proc?: Pick<SourceDeps, "readProc" | "listPids">;
}

/**
 * The sources used when session.idle.sources is not given: the kind's. Jupyter's /api/status needs
 * the server's token: the secret the server program gets as JUPYTER_TOKEN, when it gets one.
 */
export function defaultSources(session: SessionSpec, programs: Readonly<Record<string, Pick<Program, "secrets">>> = {}): IdleSource[] {
  const kind = resolveKind(session).kind;
  if (!kind) return [];
  const server = session.ports.server;
  return kind.idle.flatMap((s): IdleSource[] => {
    if (s === "jupyter") {
      const tokenSecret = programs[kind.program]?.secrets.JUPYTER_TOKEN;
      return [{ jupyter: `http://127.0.0.1:${server}${joinPath(session.path)}`, ...(tokenSecret ? { tokenSecret } : {}) }];
    }
    if (s === "connections") return [{ connections: server }];
    if (s === "cpu") return [{ cpu: kind.program, above: 5 }];
    return [];
  });
}

/** Build (not start) the session's idle monitor. */
export function sessionIdleMonitor(session: SessionSpec, programs: Readonly<Record<string, Pick<Program, "secrets">>>, deps: SessionRuntimeDeps): IdleMonitor {
  const idle = session.idle ?? IdleSchema.parse({});
  // a request may take 2 s even when polled more often (a server busy starting a kernel is slow, not gone)
  const sourceDeps: SourceDeps = { clock: deps.clock, timeout: Math.min(Math.max(idle.interval, 2000), 10_000), secret: deps.secret, pidOf: deps.pidOf, ...deps.proc };
  return new IdleMonitor({
    sources: (idle.sources ?? defaultSources(session, programs)).map((s) => idleSource(s, sourceDeps)),
    policy: idle.policy,
    interval: idle.interval,
    ...(idle.cull !== undefined ? { cull: idle.cull } : {}),
    clock: deps.clock,
    onCull: deps.cull,
  });
}
