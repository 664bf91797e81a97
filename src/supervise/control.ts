// The control socket behind `foyer ctl`: a unix socket, mode 0600 (only root or foyer's own user
// can connect), one JSON request line in, one JSON response line out.
import { createServer, connect, type Server } from "node:net";
import { basename, dirname } from "node:path";
import { FoyerError } from "../errors.js";
import { followTrustedLinks, openDirPath, realFs, type Dir } from "../fs/index.js";

/** A request line. */
export type ControlRequest = { cmd: "status" } | { cmd: "start" | "stop" | "restart"; program: string };

/** A response line. */
export type ControlResponse = { ok: true; [key: string]: unknown } | { ok: false; error: string };

/** Handles one request (the supervisor's side). */
export type ControlHandler = (req: ControlRequest) => Promise<ControlResponse>;

const MAX_REQUEST = 64 * 1024;

/**
 * Listen on `path` (replacing a stale socket) with mode 0600. The socket's directory is reached and
 * made like every directory foyer writes in (src/fs: no link a user planted on the way is followed,
 * so a socket under a user's home cannot make root create directories through `~/.config -> /etc`),
 * and the socket is bound, and at close unlinked by libuv, inside that open directory.
 */
export async function startControlServer(path: string, handle: ControlHandler): Promise<Server> {
  const dir = openDirPath(realFs, dirname(path), { policy: followTrustedLinks, create: 0o755 })!;
  try {
    const server = await listenIn(dir, basename(path), handle);
    server.once("close", () => dir.close());
    return server;
  } catch (err) {
    const named = dir.named(err); // the socket's path in the message, not /proc/self/fd/N
    dir.close();
    throw named;
  }
}

async function listenIn(dir: Dir, name: string, handle: ControlHandler): Promise<Server> {
  const existing = dir.lstat(name);
  if (existing) {
    if (!existing.isSocket()) throw new FoyerError(`control socket ${dir.show(name)} exists and is not a socket; refusing to replace it`);
    if (await answers(dir.at(name))) throw new FoyerError(`control socket ${dir.show(name)} is in use by another foyer`);
    dir.unlink(name);
  }
  const server = createServer((socket) => {
    let buffer = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      buffer += chunk;
      if (buffer.length > MAX_REQUEST) return void socket.end(JSON.stringify({ ok: false, error: "request too long" }) + "\n");
      const nl = buffer.indexOf("\n");
      if (nl < 0) return;
      const line = buffer.slice(0, nl);
      buffer = "";
      void respond(line, handle).then((res) => socket.end(JSON.stringify(res) + "\n"));
    });
    socket.on("error", () => socket.destroy());
  });
  // the socket is created by bind() with the umask's mode: 0600 from the first moment (a chmod
  // by path afterwards would follow a link swapped in meanwhile)
  const previous = process.umask(0o177);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(dir.at(name), () => resolve());
    });
  } finally {
    process.umask(previous);
  }
  return server;
}

async function respond(line: string, handle: ControlHandler): Promise<ControlResponse> {
  let req: ControlRequest;
  try {
    req = parseRequest(JSON.parse(line));
  } catch (err) {
    return { ok: false, error: `bad request: ${(err as Error).message}` };
  }
  try {
    return await handle(req);
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
}

/** Validate a decoded request. */
export function parseRequest(value: unknown): ControlRequest {
  const v = value as Record<string, unknown> | null;
  if (!v || typeof v !== "object") throw new Error("expected a JSON object");
  if (v.cmd === "status") return { cmd: "status" };
  if ((v.cmd === "start" || v.cmd === "stop" || v.cmd === "restart") && typeof v.program === "string") return { cmd: v.cmd, program: v.program };
  throw new Error(`expected {"cmd":"status"} or {"cmd":"start|stop|restart","program":NAME}`);
}

/** Send one request and read the response (the `foyer ctl` side). */
export function controlRequest(path: string, req: ControlRequest, timeoutMs = 300_000): Promise<ControlResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    let data = "";
    socket.setEncoding("utf8");
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`no answer from ${path} within ${timeoutMs / 1000}s`)));
    socket.on("connect", () => socket.write(JSON.stringify(req) + "\n"));
    socket.on("data", (chunk: string) => (data += chunk));
    socket.on("error", (err: NodeJS.ErrnoException) => reject(explain(path, err)));
    socket.on("end", () => {
      try {
        resolve(JSON.parse(data) as ControlResponse);
      } catch {
        reject(new FoyerError(`unreadable answer from ${path}: ${JSON.stringify(data.slice(0, 200))}`));
      }
    });
  });
}

function explain(path: string, err: NodeJS.ErrnoException): FoyerError {
  if (err.code === "ENOENT" || err.code === "ECONNREFUSED") return new FoyerError(`cannot connect to ${path}: is foyer running (with control enabled)?`, 1);
  if (err.code === "EACCES") return new FoyerError(`cannot connect to ${path}: permission denied (only root or foyer's user may use it)`, 1);
  return new FoyerError(`cannot connect to ${path}: ${err.message}`, 1);
}

function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(path);
    s.once("connect", () => (s.destroy(), resolve(true)));
    s.once("error", () => resolve(false));
  });
}
