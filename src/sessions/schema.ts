// The `session:` section: one interactive session (Jupyter, RStudio, VS Code or a kind of your own)
// with the RFC's reserved ports, its servers behind a routing proxy, and idle detection.
import * as z from "zod";
import { AbsolutePath, Duration } from "../spec/primitives.js";

const Port = z.number().int().min(1).max(65535);
const UrlPath = z.string().regex(/^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$/, "an absolute URL path like /sessions/abc");
const ProgramName = z.string().regex(/^[A-Za-z0-9_-]+$/, "program names use letters, digits, _ and -");

/** One server of the session, reached through the routing proxy under `path`. */
export const ServerSchema = z.strictObject({
  port: Port,
  path: UrlPath.meta({ description: "the path under session.path where the proxy routes to this server" }),
  program: ProgramName.optional().meta({ description: "the program that serves it (its readiness probe goes through the proxy)" }),
  stripPrefix: z.boolean().optional().meta({ description: "remove session.path + path before forwarding (RStudio, code-server: they expect /)" }),
  ready: UrlPath.optional().meta({ description: "the path probed for readiness, relative to the server's route (e.g. /favicon.ico)" }),
  userAgent: z.boolean().optional().meta({ description: "probe with a browser user-agent (RStudio redirects other clients to set a cookie)" }),
});

/** A session kind: the defaults one kind of session brings; user kinds name the kind they inherit. */
export const KindSchema = z.strictObject({
  base: z.string().optional().meta({ description: "the kind this one inherits (jupyter, rstudio, vscode, or another of session.kinds)" }),
  program: ProgramName.optional().meta({ description: "the main server's program name" }),
  command: z.array(z.string()).min(1).optional().meta({ description: "the main server's command, when the spec has no such program; {port} and {path} are replaced" }),
  server: ServerSchema.pick({ stripPrefix: true, ready: true, userAgent: true }).optional().meta({ description: "the main server's route and probe" }),
  idle: z.array(z.enum(["http", "jupyter", "connections", "cpu"])).optional().meta({ description: "the idle sources used when session.idle.sources is not given" }),
});

/** Where the idle state comes from. Each source answers idle or busy. */
export const IdleSourceSchema = z.union([
  z.strictObject({
    http: z.url({ protocol: /^https?$/ }).meta({ description: "the RFC's idleProbe: a GET answering 2xx/3xx means idle, anything else (or no answer) busy" }),
    headers: z.record(z.string(), z.string()).default({}),
  }),
  z.strictObject({
    jupyter: z.url({ protocol: /^https?$/ }).meta({ description: "the Jupyter server's base URL: /api/status says kernels, connections and last_activity" }),
    tokenSecret: z.string().optional().meta({ description: "the secret holding the server's token (sent as `Authorization: token …`)" }),
  }),
  z.strictObject({
    connections: Port.meta({ description: "busy while a TCP connection to this local port is ESTABLISHED (/proc/net/tcp, tcp6)" }),
  }),
  z.strictObject({
    cpu: ProgramName.meta({ description: "busy while this program's process group uses more CPU than `above`" }),
    above: z.number().min(0).max(100).default(5).meta({ description: "percent of one core, averaged over the poll interval" }),
  }),
]);

export const IdleSchema = z.strictObject({
  sources: z.array(IdleSourceSchema).optional().meta({ description: "default: the kind's (jupyter: /api/status; others: connections to the server port)" }),
  policy: z
    .enum(["any-busy", "all-busy"])
    .default("any-busy")
    .meta({ description: "any-busy: busy when any source is busy (idle only when all are idle); all-busy: busy only when every source is busy" }),
  interval: Duration.default(30_000).meta({ description: "how often the sources are polled" }),
  cull: Duration.optional().meta({ description: "stop the session (ordered shutdown, exit 0) after it has been idle this long" }),
});

export const RoutingSchema = z.strictObject({
  traefik: AbsolutePath.default("/usr/local/bin/traefik").meta({ description: "the proxy's binary: supervised when present; absent, the config is still written" }),
  dir: AbsolutePath.default("/etc/foyer/traefik").meta({ description: "where the static (traefik.yaml) and dynamic (dynamic.yaml) config are written" }),
});

export const SessionSchema = z
  .strictObject({
    kind: z.string().default("jupyter").meta({ description: "jupyter, rstudio, vscode, or a name in session.kinds" }),
    kinds: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/, "kind names use lower-case letters, digits and -"), KindSchema).default({}),
    path: UrlPath.default("/").meta({ description: "the session's URL prefix (the RFC's routing.path, e.g. /sessions/NAME)" }),
    ports: z
      .strictObject({
        auth: Port.default(4180).meta({ description: "the auth proxy (not run by foyer)" }),
        routing: Port.default(4181).meta({ description: "the routing proxy (traefik)" }),
        health: Port.default(4182).meta({ description: "the proxy's metrics and ping" }),
        server: Port.default(8888).meta({ description: "the session's main server" }),
      })
      .prefault({}),
    servers: z.record(z.string().regex(/^[A-Za-z0-9_-]+$/), ServerSchema).default({}).meta({ description: "extra servers beside the main one (a dashboard on its own port and path)" }),
    idle: IdleSchema.optional(),
    routing: RoutingSchema.prefault({}),
  })
  .meta({ description: "an interactive session: its kind, reserved ports, servers behind the routing proxy, idle detection and culling" });

export type SessionSpec = z.infer<typeof SessionSchema>;
export type SessionKind = z.infer<typeof KindSchema>;
export type IdleSource = z.infer<typeof IdleSourceSchema>;
export type IdleSpec = z.infer<typeof IdleSchema>;
export type Server = z.infer<typeof ServerSchema>;
