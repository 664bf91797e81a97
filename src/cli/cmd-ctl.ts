// `foyer ctl`: talk to a running foyer over its control socket (status, start, stop, restart).
import { controlRequest, type ControlRequest, type ProgramSnapshot } from "../supervise/index.js";
import { parseCommandArgs, UsageError, type Command } from "./command.js";

const DEFAULT_SOCKET = "/run/foyer/control.sock";

export const ctlCommand: Command = {
  name: "ctl",
  help: `usage: foyer ctl [--socket PATH] [--json] status
       foyer ctl [--socket PATH] start|stop|restart PROGRAM

Talks to a running foyer over its control socket (spec: control.socket; default ${DEFAULT_SOCKET},
or $FOYER_CONTROL_SOCKET). Only root or foyer's own user can open it.
start/restart wait until the program is ready (or failed); stop waits until it has exited.

exit codes: 0 done; 1 refused or not reachable; 3 (status) some program is not running or ready.`,
  async run(argv) {
    const { values, positionals } = parseCommandArgs("ctl", argv, { socket: { type: "string" }, json: { type: "boolean" } }, true);
    const socket = values.socket ?? process.env.FOYER_CONTROL_SOCKET ?? DEFAULT_SOCKET;
    const req = requestFor(positionals);
    const res = await controlRequest(socket, req);
    if (!res.ok) {
      process.stderr.write(`foyer ctl: ${res.error}\n`);
      return 1;
    }
    if (values.json) {
      process.stdout.write(JSON.stringify(res, null, 2) + "\n");
    } else if (req.cmd === "status") {
      process.stdout.write(formatStatus(res.programs as ProgramSnapshot[], Number(res.now)));
    } else {
      const p = res.program as ProgramSnapshot;
      process.stdout.write(`${p.name}: ${p.state}${p.pid ? ` (pid ${p.pid})` : ""}\n`);
    }
    if (req.cmd !== "status") return 0;
    return (res.programs as ProgramSnapshot[]).every((p) => p.ready) ? 0 : 3;
  },
};

function requestFor(args: string[]): ControlRequest {
  const [cmd, program, ...extra] = args;
  if (cmd === "status" && program === undefined) return { cmd };
  if ((cmd === "start" || cmd === "stop" || cmd === "restart") && program && extra.length === 0) return { cmd, program };
  throw new UsageError(`foyer ctl: expected 'status' or 'start|stop|restart PROGRAM', got '${args.join(" ")}'\nsee: foyer ctl --help`);
}

/** One line per program, like `supervisorctl status`. */
export function formatStatus(programs: ProgramSnapshot[], now: number): string {
  const width = Math.max(8, ...programs.map((p) => p.name.length));
  return programs
    .map((p) => {
      // why it ended, as the log said it: "not ready after 60s", "cannot execute 'x': ..."
      const why = p.lastExit?.reason ?? p.lastExit?.spawnError;
      const detail = p.pid ? `pid ${p.pid}, uptime ${Math.round((now - (p.startedAt ?? now)) / 1000)}s` : p.lastExit ? `last exit ${p.lastExit.exitCode}${why ? `: ${why}` : ""}` : "";
      return `${p.name.padEnd(width)}  ${p.state.padEnd(9)}  ${detail}${p.restarts ? `, ${p.restarts} restart(s)` : ""}\n`;
    })
    .join("");
}
