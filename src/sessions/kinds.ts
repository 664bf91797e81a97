// Session kinds as profiles: the built-in jupyter, rstudio and vscode, and kinds of the spec's own
// that inherit one of them (the RFC's "base templates that rstudio and jupyterlab inherit from").
// Pure: a kind name + the spec's kinds → the resolved defaults, or an issue.
import type { ConfigIssue } from "../errors.js";
import type { SessionKind, SessionSpec } from "./schema.js";

/** A kind with every field filled in. */
export interface ResolvedKind {
  name: string;
  /** the chain from the kind to its root, e.g. [shiny, rstudio] */
  chain: string[];
  program: string;
  command: string[];
  stripPrefix: boolean;
  ready: string;
  userAgent: boolean;
  idle: Array<"http" | "jupyter" | "connections" | "cpu">;
}

/**
 * The built-in kinds. Jupyter serves under its own base_url (no prefix stripping) and answers
 * /api without a token (/api/status needs one); RStudio and code-server expect "/" (the proxy
 * strips the prefix) and RStudio redirects non-browsers to set a cookie, so its probe asks for the favicon (static, no redirect)
 * with a browser user-agent, as the RFC found.
 */
export const BUILTIN_KINDS: Readonly<Record<string, Required<Omit<SessionKind, "base" | "server">> & { server: Required<Pick<NonNullable<SessionKind["server"]>, "stripPrefix" | "ready" | "userAgent">> }>> = {
  jupyter: {
    program: "jupyter",
    command: ["jupyter", "lab", "--no-browser", "--ip=127.0.0.1", "--ServerApp.port={port}", "--ServerApp.base_url={path}"],
    server: { stripPrefix: false, ready: "/api", userAgent: false },
    idle: ["jupyter"],
  },
  rstudio: {
    program: "rstudio",
    command: ["/usr/lib/rstudio-server/bin/rserver", "--server-daemonize=0", "--www-address=127.0.0.1", "--www-port={port}", "--www-root-path={path}"],
    server: { stripPrefix: true, ready: "/favicon.ico", userAgent: true },
    idle: ["connections"],
  },
  vscode: {
    program: "vscode",
    command: ["code-server", "--bind-addr=127.0.0.1:{port}", "--auth=none", "--disable-telemetry"],
    server: { stripPrefix: true, ready: "/healthz", userAgent: false },
    idle: ["connections"],
  },
};

/** Resolve `session.kind` through its `base` chain; an unknown or circular kind is an issue. */
export function resolveKind(session: Pick<SessionSpec, "kind" | "kinds">): { kind?: ResolvedKind; issues: ConfigIssue[] } {
  const chain: string[] = [];
  const layers: SessionKind[] = [];
  for (let name: string | undefined = session.kind; name !== undefined; ) {
    if (chain.includes(name)) return { issues: [{ path: `session.kinds.${name}.base`, message: `kinds inherit in a circle: ${[...chain, name].join(" → ")}` }] };
    chain.push(name);
    const own: SessionKind | undefined = session.kinds[name];
    const builtin = BUILTIN_KINDS[name];
    if (!own && !builtin) {
      const known = [...Object.keys(BUILTIN_KINDS), ...Object.keys(session.kinds)].join(", ");
      const where = chain.length === 1 ? "session.kind" : `session.kinds.${chain[chain.length - 2]}.base`;
      return { issues: [{ path: where, message: `unknown session kind '${name}' (known: ${known})` }] };
    }
    if (own) layers.push(own);
    if (builtin || !own) {
      if (builtin) layers.push({ ...builtin, server: builtin.server });
      break;
    }
    if (own.base === undefined) return { issues: [{ path: `session.kinds.${name}`, message: `kind '${name}' needs a base (jupyter, rstudio, vscode or another kind)` }] };
    name = own.base;
  }
  // the kind nearest the spec wins, field by field
  const pick = <K extends keyof SessionKind>(k: K): SessionKind[K] => layers.find((l) => l[k] !== undefined)?.[k];
  const server = <K extends "stripPrefix" | "ready" | "userAgent">(k: K): NonNullable<SessionKind["server"]>[K] => layers.find((l) => l.server?.[k] !== undefined)?.server?.[k];
  return {
    kind: {
      name: session.kind,
      chain,
      program: pick("program")!,
      command: pick("command")!,
      stripPrefix: server("stripPrefix")!,
      ready: server("ready")!,
      userAgent: server("userAgent")!,
      idle: pick("idle")!,
    },
    issues: [],
  };
}
