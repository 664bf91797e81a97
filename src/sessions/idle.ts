// Idle detection: sources answer "busy" or "idle" when polled on the Clock; a policy combines
// them; the monitor keeps the last activity time (the last poll that found the session busy, or
// a later activity a source reports, like Jupyter's last_activity) and, when asked, culls the
// session after it has been idle long enough. A source that cannot answer counts as busy: a
// broken probe must never stop somebody's session.
import type { Clock, TimerHandle } from "../time/clock.js";

/** One source's answer. */
export interface SourceVerdict {
  busy: boolean;
  /** what it saw, for people ("2 connections", "kernels=1 connections=0") */
  detail: string;
  /** the latest activity the source itself knows of (ms since the epoch), e.g. Jupyter's last_activity */
  lastActivity?: number;
}

/** A pollable source. `check` may reject: that counts as busy, with the error as detail. */
export interface IdleSourceProbe {
  name: string;
  check(): Promise<SourceVerdict>;
}

export type Policy = "any-busy" | "all-busy";

export interface IdleOptions {
  sources: IdleSourceProbe[];
  policy: Policy;
  interval: number;
  /** cull after this many ms idle (none: never) */
  cull?: number;
  clock: Clock;
  /** the session has been idle `cull` ms: stop it */
  onCull?: (reason: string) => void;
}

export interface SourceReport extends SourceVerdict {
  name: string;
  error?: boolean;
}

/** What /idle answers. */
export interface IdleReport {
  state: "idle" | "busy" | "unknown";
  /** ISO time of the last activity seen (foyer's start before any) */
  lastActivity: string;
  idleSeconds: number;
  checkedAt: string | null;
  policy: Policy;
  cullAfterSeconds: number | null;
  sources: SourceReport[];
}

/** Combine the sources' answers: any-busy → busy when one is; all-busy → busy only when all are. */
export function combine(policy: Policy, busy: readonly boolean[]): boolean {
  if (busy.length === 0) return false;
  return policy === "any-busy" ? busy.some(Boolean) : busy.every(Boolean);
}

export class IdleMonitor {
  private lastActivity: number;
  private checkedAt: number | null = null;
  private busy: boolean | null = null;
  private reports: SourceReport[] = [];
  private timer: TimerHandle | undefined;
  private stopped = false;
  private culled = false;

  constructor(private readonly opts: IdleOptions) {
    this.lastActivity = opts.clock.now();
  }

  /** Poll now, then every interval, until stop(). */
  start(): void {
    void this.tick();
  }

  stop(): void {
    this.stopped = true;
    this.opts.clock.clearTimeout(this.timer);
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    await this.poll();
    if (!this.stopped) this.timer = this.opts.clock.setTimeout(() => void this.tick(), this.opts.interval);
  }

  /**
   * One poll of every source, one after the other: an HTTP source's own request to the server must
   * not be counted by a connections source polled at the same instant. Updates the state, culls when due.
   */
  async poll(): Promise<void> {
    const { clock, policy } = this.opts;
    const reports: SourceReport[] = [];
    for (const s of this.opts.sources) {
      reports.push(
        await s.check().then(
          (v): SourceReport => ({ name: s.name, ...v }),
          (err: Error): SourceReport => ({ name: s.name, busy: true, error: true, detail: `no answer (${err.message}): counted as busy` }),
        ),
      );
    }
    this.reports = reports;
    const now = clock.now();
    this.checkedAt = now;
    this.busy = combine(policy, this.reports.map((r) => r.busy));
    const reported = this.reports.flatMap((r) => (r.lastActivity !== undefined && r.lastActivity <= now ? [r.lastActivity] : []));
    this.lastActivity = Math.max(this.lastActivity, ...reported, this.busy ? now : -Infinity);
    const idleFor = now - this.lastActivity;
    if (!this.busy && this.opts.cull !== undefined && idleFor >= this.opts.cull && !this.culled) {
      this.culled = true;
      this.opts.onCull?.(`the session has been idle for ${span(idleFor)} (session.idle.cull: ${span(this.opts.cull)}; last activity ${new Date(this.lastActivity).toISOString()})`);
    }
  }

  report(): IdleReport {
    const now = this.opts.clock.now();
    return {
      state: this.busy === null ? "unknown" : this.busy ? "busy" : "idle",
      lastActivity: new Date(this.lastActivity).toISOString(),
      idleSeconds: this.busy ? 0 : Math.max(0, Math.floor((now - this.lastActivity) / 1000)),
      checkedAt: this.checkedAt === null ? null : new Date(this.checkedAt).toISOString(),
      policy: this.opts.policy,
      cullAfterSeconds: this.opts.cull === undefined ? null : Math.round(this.opts.cull / 1000),
      sources: this.reports,
    };
  }
}

// "45 s" under two minutes, "30 min" above
const span = (ms: number): string => (ms < 120_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 60_000)} min`);

/** Prometheus text for the idle state (appended to /metrics). */
export function renderIdleMetrics(r: IdleReport): string {
  return [
    "# HELP foyer_session_idle 1 when the session is idle, 0 when busy or not yet known.",
    "# TYPE foyer_session_idle gauge",
    `foyer_session_idle ${r.state === "idle" ? 1 : 0}`,
    "# HELP foyer_session_last_activity_seconds Unix time of the last activity seen.",
    "# TYPE foyer_session_last_activity_seconds gauge",
    `foyer_session_last_activity_seconds ${Date.parse(r.lastActivity) / 1000}`,
    "",
  ].join("\n");
}
