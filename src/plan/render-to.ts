// `foyer render --out DIR`: only the rendered files, written under DIR at their absolute paths
// (/etc/rstudio/rserver.conf → DIR/etc/rstudio/rserver.conf) with their modes, for review and CI.
import { join, resolve } from "node:path";
import { FoyerError } from "../errors.js";
import type { Redactor } from "../log/index.js";
import type { Action } from "./action.js";
import { realFs, type FsOps } from "./fsops.js";

/** Write each write-file action's content under outDir; secret values masked when a redactor is given. */
export function renderTo(actions: readonly Action[], outDir: string, opts: { redactor?: Redactor; fs?: FsOps } = {}): { written: string[] } {
  const fs = opts.fs ?? realFs;
  const root = resolve(outDir);
  const written: string[] = [];
  for (const a of actions) {
    if (a.kind !== "write-file") continue;
    const dest = resolve(join(root, a.path));
    if (!dest.startsWith(root + "/")) throw new FoyerError(`refusing to write ${a.path} outside ${root}`);
    fs.mkdirSync(dest.slice(0, dest.lastIndexOf("/")), { recursive: true, mode: 0o755 });
    const content = opts.redactor ? opts.redactor.redact(a.content) : a.content;
    fs.writeFileSync(dest, content, { mode: a.mode });
    fs.chmodSync(dest, a.mode);
    written.push(dest);
  }
  return { written };
}
