// An in-memory process table standing in for /proc, waitpid and kill.
import type { Pid1Sys } from "../../../src/pid1/sys.js";

/** One fake process: its parent, whether it exited, and how it reacts to signals. */
export interface FakeProc {
  ppid: number;
  state: "running" | "zombie" | "reaped";
  status?: number;
  /** signals that make it exit (default: TERM and KILL) */
  diesOn?: string[];
}

/** A fake Pid1Sys whose calls are recorded. */
export class FakeSys implements Pid1Sys {
  readonly procs = new Map<number, FakeProc>();
  readonly reapCalls: number[] = [];
  readonly kills: Array<[number, string]> = [];

  constructor(readonly self = 1) {}

  add(pid: number, p: FakeProc): this {
    this.procs.set(pid, p);
    return this;
  }

  /** The process exits: a zombie until its parent reaps it; its children move to `self`. */
  exit(pid: number, status = 0): void {
    const p = this.procs.get(pid)!;
    p.state = "zombie";
    p.status = status;
    for (const child of this.procs.values()) if (child.ppid === pid && child.state !== "reaped") child.ppid = this.self;
  }

  children(pid: number): number[] {
    return [...this.procs.entries()].filter(([, p]) => p.ppid === pid && p.state !== "reaped").map(([id]) => id);
  }

  isAlive(pid: number): boolean {
    return this.procs.get(pid)?.state === "running";
  }

  reap(pid: number): number | null {
    this.reapCalls.push(pid);
    const p = this.procs.get(pid);
    if (!p || p.ppid !== this.self || p.state !== "zombie") return null;
    p.state = "reaped";
    return p.status ?? 0;
  }

  kill(pid: number, signal: string): boolean {
    const p = this.procs.get(pid);
    if (!p || p.state !== "running") return false;
    this.kills.push([pid, signal]);
    if ((p.diesOn ?? ["SIGTERM", "SIGKILL"]).includes(signal)) this.exit(pid, 128);
    return true;
  }
}
