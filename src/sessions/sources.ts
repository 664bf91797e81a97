// The idle sources: an HTTP probe to the product (the RFC's idleProbe: 2xx/3xx = idle), Jupyter's
// /api/status, ESTABLISHED TCP connections to a local port (/proc/net/tcp{,6}), and the CPU used by
// a program's process group (/proc/<pid>/stat). Readers are injectable so the parsing is tested
// against fixed /proc text and the timing against a ManualClock.
import { readdirSync, readFileSync } from "node:fs";
import type { Clock } from "../time/clock.js";
import type { IdleSourceProbe, SourceVerdict } from "./idle.js";
import type { IdleSource } from "./schema.js";

export interface SourceDeps {
  clock: Clock;
  /** ms per request (the poll interval, capped) */
  timeout: number;
  /** a secret's value by name */
  secret: (name: string) => string | undefined;
  /** the pid (= process group) of a running program, undefined when it is not running */
  pidOf: (program: string) => number | undefined;
  /** read a /proc file ("" when missing); default node:fs */
  readProc?: (path: string) => string;
  /** the pids in /proc; default node:fs */
  listPids?: () => number[];
  /** ms of CPU per clock tick (sysconf CLK_TCK is 100 on Linux) */
  tickMs?: number;
}

const readProcFile = (path: string): string => {
  try {
    return readFileSync(path, "latin1");
  } catch {
    return "";
  }
};
const listProcPids = (): number[] => readdirSync("/proc").flatMap((n) => (/^\d+$/.test(n) ? [Number(n)] : []));

/** The probe for one configured source. */
export function idleSource(source: IdleSource, deps: SourceDeps): IdleSourceProbe {
  if ("http" in source) {
    const url = new URL(source.http);
    return {
      name: `http ${shown(source.http)}`,
      check: async () => {
        const { status } = await get(url, source.headers, deps);
        return status >= 200 && status < 400 ? { busy: false, detail: `answered ${status}: idle` } : { busy: true, detail: `answered ${status}: busy` };
      },
    };
  }
  if ("jupyter" in source) return jupyterSource(source.jupyter, source.tokenSecret, deps);
  if ("connections" in source) {
    const read = deps.readProc ?? readProcFile;
    const port = source.connections;
    return {
      name: `connections :${port}`,
      check: () => {
        const n = establishedTo(port, read("/proc/net/tcp")) + establishedTo(port, read("/proc/net/tcp6"));
        return Promise.resolve({ busy: n > 0, detail: `${n} established connection${n === 1 ? "" : "s"} to port ${port}` });
      },
    };
  }
  return cpuSource(source.cpu, source.above, deps);
}

// a URL as shown in /idle: without credentials or a query (either may hold a token)
const shown = (href: string): string => {
  const u = new URL(href);
  return `${u.origin}${u.pathname}`;
};

/** ESTABLISHED (state 01) entries of /proc/net/tcp text whose local port is `port`. */
export function establishedTo(port: number, text: string): number {
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  let n = 0;
  for (const line of text.split("\n").slice(1)) {
    const f = line.trim().split(/\s+/);
    // sl local_address rem_address st …; local_address is HEXIP:HEXPORT
    if (f.length > 3 && f[1]!.toUpperCase().endsWith(`:${hexPort}`) && f[3] === "01") n++;
  }
  return n;
}

function jupyterSource(base: string, tokenSecret: string | undefined, deps: SourceDeps): IdleSourceProbe {
  const url = new URL("api/status", base.endsWith("/") ? base : `${base}/`);
  return {
    name: `jupyter ${shown(url.href)}`,
    async check(): Promise<SourceVerdict> {
      const token = tokenSecret === undefined ? undefined : deps.secret(tokenSecret);
      const res = await get(url, token === undefined ? {} : { authorization: `token ${token}` }, deps);
      if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
      const body = jsonObject(res.body);
      const kernels = Number(body.kernels ?? 0);
      const connections = Number(body.connections ?? 0);
      const last = typeof body.last_activity === "string" ? Date.parse(body.last_activity) : NaN;
      return {
        busy: kernels > 0 || connections > 0,
        detail: `kernels=${kernels} connections=${connections}`,
        ...(Number.isFinite(last) ? { lastActivity: last } : {}),
      };
    },
  };
}

/**
 * One GET, resolved once its connection is closed: the next source (connections to the same port)
 * must not see foyer's own request as a client. No keep-alive agent, answers capped at 1 MiB.
 */
async function get(url: URL, headers: Record<string, string>, deps: SourceDeps): Promise<{ status: number; body: Buffer }> {
  const { request } = url.protocol === "https:" ? await import("node:https") : await import("node:http");
  return new Promise((resolve, reject) => {
    const timer = deps.clock.setTimeout(() => req.destroy(new Error("timed out")), deps.timeout);
    let answer: { status: number; body: Buffer } | undefined;
    const req = request(url, { headers: { ...headers, "user-agent": "foyer-idle" }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (c: Buffer) => {
        size += c.length;
        if (size > 1 << 20) req.destroy(new Error("answer over 1 MiB"));
        else chunks.push(c);
      });
      res.on("end", () => {
        answer = { status: res.statusCode ?? 0, body: Buffer.concat(chunks) };
        req.destroy();
      });
    });
    let failure: Error | undefined;
    req.once("error", (err) => (failure ??= err));
    req.once("socket", (socket) =>
      socket.once("close", () => {
        deps.clock.clearTimeout(timer);
        if (answer) resolve(answer);
        else reject(failure ?? new Error("connection closed"));
      }),
    );
    req.end();
  });
}

function jsonObject(bytes: Buffer): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(bytes.toString("utf8"));
  } catch {
    throw new Error("not JSON");
  }
  if (v && typeof v === "object" && !Array.isArray(v)) return v as Record<string, unknown>;
  throw new Error("not a JSON object");
}

/** CPU ticks (utime + stime) of every process in process group `pgid`. */
export function groupTicks(pgid: number, pids: readonly number[], read: (path: string) => string): number {
  let ticks = 0;
  for (const pid of pids) {
    const stat = read(`/proc/${pid}/stat`);
    const close = stat.lastIndexOf(")");
    if (close < 0) continue;
    // after "pid (comm) ": state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime
    const f = stat.slice(close + 2).split(" ");
    if (Number(f[2]) === pgid) ticks += Number(f[11]) + Number(f[12]);
  }
  return ticks;
}

function cpuSource(program: string, above: number, deps: SourceDeps): IdleSourceProbe {
  const read = deps.readProc ?? readProcFile;
  const list = deps.listPids ?? listProcPids;
  const tickMs = deps.tickMs ?? 10;
  let last: { pid: number; at: number; ticks: number } | undefined;
  return {
    name: `cpu ${program}`,
    check() {
      const pid = deps.pidOf(program);
      if (pid === undefined) {
        last = undefined;
        return Promise.resolve({ busy: false, detail: `${program} is not running` });
      }
      const now = deps.clock.now();
      const ticks = groupTicks(pid, list(), read);
      const prev = last?.pid === pid ? last : undefined;
      last = { pid, at: now, ticks };
      // the first sample has nothing to compare with: busy until the next one says otherwise
      if (!prev || now <= prev.at) return Promise.resolve({ busy: true, detail: "first CPU sample: counted as busy" });
      const percent = (Math.max(0, ticks - prev.ticks) * tickMs * 100) / (now - prev.at);
      return Promise.resolve({ busy: percent > above, detail: `${percent.toFixed(1)}% CPU (threshold ${above}%)` });
    },
  };
}
