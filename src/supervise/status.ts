// Views of the supervisor's state: JSON (/status, `foyer ctl status`), Prometheus text (/metrics)
// and a small self-contained HTML page (/) for people.
import type { ProgramSnapshot } from "./program.js";
import type { KeptLine } from "./output.js";
import { STATES } from "./states.js";
import { DOWN_STATES } from "./down.js";
import type { Phase } from "./supervisor.js";

/** The whole picture at one moment. */
export interface StatusReport {
  phase: Phase;
  now: number;
  startedAt: number;
  ready: boolean;
  programs: Array<ProgramSnapshot & { lines?: KeptLine[] }>;
}

/** Every critical program ready (none critical: every autostart program ready or finished). */
export function isReady(programs: ProgramSnapshot[], phase: Phase): boolean {
  if (phase !== "running" && phase !== "starting") return false;
  const critical = programs.filter((p) => p.critical);
  return (critical.length ? critical : programs).every((p) => p.ready);
}

/** Prometheus text exposition (format 0.0.4). */
export function renderMetrics(report: StatusReport): string {
  const out: string[] = [];
  const metric = (name: string, type: string, help: string, rows: string[]): void => {
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...rows);
  };
  const label = (p: ProgramSnapshot): string => `program="${p.name.replace(/["\\]/g, "\\$&")}"`;
  metric("foyer_up", "gauge", "1 while foyer runs.", ["foyer_up 1"]);
  metric("foyer_uptime_seconds", "gauge", "Seconds since foyer started supervising.", [`foyer_uptime_seconds ${secs(report.now - report.startedAt)}`]);
  metric("foyer_ready", "gauge", "1 when every critical program is ready.", [`foyer_ready ${report.ready ? 1 : 0}`]);
  metric("foyer_program_state", "gauge", "1 for the state each program is in.", report.programs.flatMap((p) => STATES.map((s) => `foyer_program_state{${label(p)},state="${s}"} ${p.state === s ? 1 : 0}`)));
  metric("foyer_program_ready", "gauge", "1 when the program is ready.", report.programs.map((p) => `foyer_program_ready{${label(p)}} ${p.ready ? 1 : 0}`));
  metric("foyer_program_restarts_total", "counter", "Times the program was started again.", report.programs.map((p) => `foyer_program_restarts_total{${label(p)}} ${p.restarts}`));
  metric("foyer_program_uptime_seconds", "gauge", "Seconds since the current process started (0 when not running).", report.programs.map((p) => `foyer_program_uptime_seconds{${label(p)}} ${p.startedAt === null ? 0 : secs(report.now - p.startedAt)}`));
  metric("foyer_program_last_exit_code", "gauge", "Exit code of the last run (-1 if none).", report.programs.map((p) => `foyer_program_last_exit_code{${label(p)}} ${p.lastExit?.exitCode ?? -1}`));
  const downs = report.programs.filter((p) => p.down);
  if (downs.length)
    metric("foyer_program_down_state", "gauge", "1 for the state each oneshot's down is in.", downs.flatMap((p) => DOWN_STATES.map((s) => `foyer_program_down_state{${label(p)},state="${s}"} ${p.down!.state === s ? 1 : 0}`)));
  return out.join("\n") + "\n";
}

/** The status page: a table of programs and their last lines; inline CSS, no scripts, no external assets. */
export function renderHtml(report: StatusReport): string {
  const rows = report.programs.map((p) => {
    const how = p.lastExit ? (p.lastExit.spawnError ? `could not start` : p.lastExit.signal ? `${p.lastExit.signal}` : `code ${p.lastExit.code}`) : "–";
    const exit = p.lastExit?.reason ? `${p.lastExit.reason} (${how})` : how;
    const lines = (p.lines ?? []).slice(-15).map((l) => `<span class="${l.stream}">${esc(l.text)}</span>`).join("\n");
    return `<tr><td class="name">${esc(p.name)}${p.critical ? ' <span class="tag">critical</span>' : ""}${p.oneshot ? ' <span class="tag">oneshot</span>' : ""}${p.down ? ` <span class="tag">down ${p.down.state}${p.down.lastExit ? `, ${p.down.lastExit.spawnError ? "could not start" : p.down.lastExit.signal ?? `code ${p.down.lastExit.code}`}` : ""}</span>` : ""}</td>
<td><span class="state s-${p.state}">${p.state}</span></td><td>${p.pid ?? "–"}</td>
<td>${p.startedAt === null ? "–" : duration(report.now - p.startedAt)}</td><td>${p.restarts}</td><td>${esc(exit)}</td></tr>
<tr class="log"><td colspan="6"><pre>${lines || '<span class="none">no output yet</span>'}</pre></td></tr>`;
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="5">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>foyer · ${report.ready ? "ready" : "not ready"}</title>
<style>${CSS}</style></head>
<body><header><h1>foyer</h1><p><span class="state ${report.ready ? "s-RUNNING" : "s-STARTING"}">${report.ready ? "ready" : "not ready"}</span>
phase <b>${report.phase}</b> · up ${duration(report.now - report.startedAt)} · ${report.programs.length} program${report.programs.length === 1 ? "" : "s"}</p></header>
<table><thead><tr><th>program</th><th>state</th><th>pid</th><th>uptime</th><th>restarts</th><th>last exit</th></tr></thead>
<tbody>${rows.join("\n")}</tbody></table>
<footer>read-only · refreshes every 5 s · <a href="/status">/status</a> · <a href="/metrics">/metrics</a></footer></body></html>
`;
}

const CSS = `body{font:15px/1.4 system-ui,sans-serif;margin:1.5rem auto;max-width:70rem;padding:0 1rem;color:#1d232a;background:#fafbfc}
h1{font-size:1.4rem;margin:0 0 .3rem}table{border-collapse:collapse;width:100%;background:#fff;box-shadow:0 1px 2px #0002}
th,td{padding:.45rem .7rem;text-align:left;border-bottom:1px solid #e3e7eb}th{background:#f0f3f6;font-weight:600}
td.name{font-weight:600}.tag{font-size:.72rem;font-weight:500;color:#555;border:1px solid #ccd;border-radius:3px;padding:0 .25rem}
.state{display:inline-block;border-radius:3px;padding:.05rem .45rem;font-size:.85rem;font-weight:600;color:#fff;background:#6b7785}
.s-RUNNING,.s-SUCCEEDED{background:#1f7a3a}.s-STARTING,.s-BACKOFF,.s-STOPPING,.s-ABORTING{background:#a86500}.s-FATAL,.s-FAILED{background:#b3261e}
tr.log td{padding-top:0;border-bottom:2px solid #d5dbe1}pre{margin:0;max-height:14rem;overflow:auto;font-size:.8rem;background:#f6f8fa;padding:.4rem;white-space:pre-wrap;word-break:break-all}
.stderr{color:#a1260d}.none{color:#888}footer{margin-top:1rem;color:#667;font-size:.85rem}`;

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function secs(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}

/** "3d 4h", "2h 5m", "4m 10s", "12s" */
export function duration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const [d, h, m] = [Math.floor(s / 86400), Math.floor((s % 86400) / 3600), Math.floor((s % 3600) / 60)];
  if (d) return `${d}d ${h}h`;
  if (h) return `${h}h ${m}m`;
  if (m) return `${m}m ${s % 60}s`;
  return `${s}s`;
}
