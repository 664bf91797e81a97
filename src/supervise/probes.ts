// Readiness probes: is the program ready to serve? tcp connect, http(s) status, a command's exit
// code, a file's existence, or simply having stayed up long enough (uptime). `waitReady` polls one until it passes, times out, or is aborted.
import { connect } from "node:net";
import { access } from "node:fs/promises";
import type { Ready } from "../spec/schema.js";
import type { Spawner } from "../pid1/types.js";
import type { Clock } from "../time/clock.js";

/** A browser user-agent for products that answer health checks differently to non-browsers. */
export const BROWSER_USER_AGENT =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36 foyer-probe";

/** What an exec probe needs to run its command like the program would. */
export interface ProbeContext {
  spawner: Spawner;
  env: Record<string, string>;
  user?: string;
  cwd?: string;
  clock: Clock;
}

/** One probe attempt: resolves true when ready; never rejects. */
export type ProbeAttempt = (attemptTimeoutMs: number) => Promise<boolean>;

/** Build the single-attempt function of a probe. */
export function probeAttempt(ready: Ready, ctx: ProbeContext): ProbeAttempt {
  if (ready.tcp) return (t) => tcpProbe(ready.tcp!.host, ready.tcp!.port, t, ctx.clock);
  if (ready.http) return (t) => httpProbe(ready, t, ctx.clock);
  if (ready.exec) return (t) => execProbe(ready.exec!, ctx, t);
  if (ready.file) return () => access(ready.file!).then(() => true, () => false);
  throw new Error("probeAttempt: an uptime probe has no attempts (use stayedUp)");
}

/** Outcome of waiting for readiness. */
export type WaitResult = "ready" | "timeout" | "aborted";

/**
 * The uptime probe (supervisord's startsecs): ready once the program has stayed up `ms`. Its exit
 * before then aborts the wait (a failed start); `timeout` does not apply, there is nothing to poll.
 */
export async function stayedUp(ms: number, signal: AbortSignal, clock: Clock): Promise<WaitResult> {
  await clock.sleep(ms, signal);
  return signal.aborted ? "aborted" : "ready";
}

/** Poll `attempt` every interval until it passes, the timeout expires, or `signal` aborts. */
export async function waitReady(attempt: ProbeAttempt, ready: Pick<Ready, "timeout" | "interval">, signal: AbortSignal, clock: Clock): Promise<WaitResult> {
  const now = (): number => clock.now();
  const deadline = now() + ready.timeout;
  for (;;) {
    if (signal.aborted) return "aborted";
    const left = deadline - now();
    if (left <= 0) return "timeout";
    const ok = await attempt(Math.max(50, Math.min(left, 5000, ready.interval * 4)));
    if (signal.aborted) return "aborted";
    if (ok) return "ready";
    if (deadline - now() <= 0) return "timeout";
    await clock.sleep(Math.min(ready.interval, Math.max(0, deadline - now())), signal);
  }
}

/** True when a TCP connection to host:port succeeds. */
export function tcpProbe(host: string, port: number, timeoutMs: number, clock: Clock): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean): void => {
      clock.clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = clock.setTimeout(() => done(false), timeoutMs);
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

/** Parse "200" or "200-399" into an inclusive range. */
export function statusRange(status: string): [number, number] {
  const [lo, hi] = status.split("-").map(Number) as [number, number | undefined];
  return [lo, hi ?? lo];
}

/** True when the URL answers with a status inside the expected range. */
export function httpProbe(ready: Ready, timeoutMs: number, clock: Clock): Promise<boolean> {
  const url = new URL(ready.http!);
  const [lo, hi] = statusRange(ready.status);
  const headers: Record<string, string> = { ...ready.headers };
  if (ready.userAgent !== undefined) headers["user-agent"] = ready.userAgent === true ? BROWSER_USER_AGENT : ready.userAgent;
  else headers["user-agent"] ??= "foyer-probe";
  // loaded on first use: node:https brings OpenSSL's TLS state (~9 MB RSS) that most specs never need
  const load = url.protocol === "https:" ? import("node:https") : import("node:http");
  return load.then(({ request }) => new Promise((resolve) => {
    const timer = clock.setTimeout(() => req.destroy(new Error("timeout")), timeoutMs);
    const done = (ok: boolean): void => {
      clock.clearTimeout(timer);
      resolve(ok);
    };
    // agent: false: no keep-alive socket left open after the probe (it would count as a client
    // connection for the session's idle detection)
    const req = request(url, { method: ready.method, headers, rejectUnauthorized: !ready.insecure, agent: false }, (res) => {
      res.resume();
      const code = res.statusCode ?? 0;
      done(code >= lo && code <= hi);
    });
    req.once("error", () => done(false));
    req.end();
  }));
}

/** True when the command exits 0 within the attempt's time. */
export function execProbe(argv: string[], ctx: ProbeContext, timeoutMs: number): Promise<boolean> {
  const proc = ctx.spawner.spawn({ argv, env: ctx.env, user: ctx.user, cwd: ctx.cwd, stdio: "pipe", group: "session" });
  proc.stdout?.resume();
  proc.stderr?.resume();
  const timer = ctx.clock.setTimeout(() => proc.killGroup("SIGKILL"), timeoutMs);
  return proc.exited.then((status) => {
    ctx.clock.clearTimeout(timer);
    return status.code === 0;
  });
}
