// The opt-in health server (`health.listen`): /healthz, /readyz, /status, /metrics, /idle (with a
// session:) and a status page at /. Read-only: anything but GET/HEAD is refused.
import { createServer, type Server } from "node:http";
import { renderIdleMetrics, type IdleReport } from "../sessions/idle.js";
import { renderHtml, renderMetrics, type StatusReport } from "./status.js";

/** Start listening; resolves with the server once it is bound (rejects when the port is taken). */
export function startHealthServer(listen: { host: string; port: number }, report: () => StatusReport, idle?: () => IdleReport): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain" }).end("read-only\n");
      return;
    }
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const r = report();
    const send = (code: number, type: string, body: string): void => {
      res.writeHead(code, { "content-type": type, "cache-control": "no-store", "x-content-type-options": "nosniff" });
      res.end(req.method === "HEAD" ? undefined : body);
    };
    switch (path) {
      case "/healthz":
        return send(200, "text/plain; charset=utf-8", "ok\n");
      case "/readyz":
        return send(r.ready ? 200 : 503, "text/plain; charset=utf-8", r.ready ? "ready\n" : `not ready: ${notReady(r).join(", ")}\n`);
      case "/status":
        return send(200, "application/json", JSON.stringify(r, null, 2) + "\n");
      case "/idle": {
        // 2xx/3xx means idle, as the RFC's idleProbe reads it: a spawner can point its probe here
        if (!idle) return send(404, "text/plain; charset=utf-8", "no session: section, no idle detection\n");
        const i = idle();
        return send(i.state === "idle" ? 200 : 503, "application/json", JSON.stringify(i, null, 2) + "\n");
      }
      case "/metrics":
        return send(200, "text/plain; version=0.0.4; charset=utf-8", renderMetrics(r) + (idle ? renderIdleMetrics(idle()) : ""));
      case "/":
        return send(200, "text/html; charset=utf-8", renderHtml(r));
      default:
        return send(404, "text/plain; charset=utf-8", "not found\n");
    }
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(listen.port, listen.host, () => {
      server.off("error", reject);
      resolve(server);
    });
  });
}

function notReady(r: StatusReport): string[] {
  const critical = r.programs.filter((p) => p.critical);
  return (critical.length ? critical : r.programs).filter((p) => !p.ready).map((p) => `${p.name} (${p.state})`);
}
