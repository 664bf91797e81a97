// src/pid1: process mechanics for a Node PID 1: spawning (the one Spawner), signals, orphan
// reaping, exit codes, privilege drop. The native addon is used here and nowhere else.
export type { ExitStatus, SpawnRequest, SpawnedProcess, Spawner } from "./types.js";
export { exitCodeFor, signalNumber, signalName, EXIT_NOT_EXECUTABLE, EXIT_NOT_FOUND } from "./exit-status.js";
export { FORWARDED_SIGNALS, STOP_SIGNALS, installSignalRouter, openSignalInbox, stopReceived, stoppedBySignalCode, forwardSignal, type ForwardedSignal, type SignalInbox } from "./signals.js";
export { startPid1, selfCommand, type Pid1Runtime } from "./runtime.js";
export { runMain, type RunMainOptions } from "./run-main.js";
export { terminateLeftovers, liveDescendants } from "./leftovers.js";
export { runTrampoline, TRAMPOLINE_ARGV } from "./trampoline.js";
export { runBurstSelfTest, type BurstReport } from "./selftest-burst.js";
export { loadNative, type NativeAddon, type PasswdEntry } from "./native.js";
export { tryWriteLock } from "./record-lock.js";
