// The syscalls the reaper and the leftover cleanup need, behind one interface so unit tests fake them.
import * as fs from "node:fs";
import type { NativeAddon } from "./native.js";

/** waitpid's WNOHANG flag (Linux). */
export const WNOHANG = 1;

/** Process-table access for reaping and for cleaning up after the main program. */
export interface Pid1Sys {
  /** this process's own pid */
  readonly self: number;
  /** direct children of `pid` (zombies included); [] when it is gone */
  children(pid: number): number[];
  /** false for zombies and vanished pids */
  isAlive(pid: number): boolean;
  /** waitpid(pid, WNOHANG): the raw status when `pid` was reaped now, null when still running/not ours */
  reap(pid: number): number | null;
  /** kill(pid, signal); false when it failed (gone, not ours) */
  kill(pid: number, signal: string): boolean;
}

/** The real Sys: /proc for the process tree, the addon for waitpid. */
export function realSys(addon: Pick<NativeAddon, "waitpid"> | null): Pid1Sys {
  return {
    self: process.pid,
    children: readChildren,
    isAlive(pid) {
      const state = procState(pid);
      return state !== null && state !== "Z" && state !== "X";
    },
    reap(pid) {
      if (!addon) return null;
      const [r, status] = addon.waitpid(pid, WNOHANG);
      return r > 0 ? status : null;
    },
    kill(pid, signal) {
      try {
        process.kill(pid, signal);
        return true;
      } catch {
        return false;
      }
    },
  };
}

// Children of every thread: orphans are re-parented to a live thread of the reaper, normally the main one.
function readChildren(pid: number): number[] {
  let tids: string[];
  try {
    tids = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  const out: number[] = [];
  for (const tid of tids) {
    let text: string;
    try {
      text = fs.readFileSync(`/proc/${pid}/task/${tid}/children`, "latin1");
    } catch {
      continue; // thread gone, or a kernel without CONFIG_PROC_CHILDREN
    }
    for (const s of text.split(" ")) if (s) out.push(Number(s));
  }
  return out;
}

/** The one-letter state from /proc/PID/stat, null when the process is gone. */
export function procState(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "latin1");
    return stat.charAt(stat.lastIndexOf(")") + 2) || null;
  } catch {
    return null;
  }
}
