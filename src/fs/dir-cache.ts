// The directories one apply reaches, kept open across its checks and actions: most actions share a
// directory or its parents, and walking from / again for each would cost an open per component.
import { openDirStep, openRootDir, UnsafePathError, type Dir, type LinkPolicy } from "./beneath.js";
import type { FsOps } from "./fsops.js";

/**
 * Open directories by absolute path (the most recently used `max`), all reached under one link
 * policy. A miss is one step from its parent (itself looked up here), so a path's ancestors stay hot.
 */
export class DirCache {
  private readonly open = new Map<string, Dir>();

  constructor(
    readonly fs: FsOps,
    private readonly policy: LinkPolicy,
    private readonly max = 16,
  ) {}

  /** The directory at `path`, made (with its missing parents, `createMode`) when absent. Valid until the next lookup; do not close it. */
  get(path: string, createMode: number): Dir {
    return this.lookup(path, createMode)!;
  }

  /** The directory at `path`, or undefined when it does not exist. Valid until the next lookup; do not close it. */
  find(path: string): Dir | undefined {
    return this.lookup(path, undefined);
  }

  /** Why `path` cannot be reached (a refused link, a file on the way...), or undefined. Creates nothing. */
  problem(path: string): string | undefined {
    try {
      this.find(path);
      return undefined;
    } catch (err) {
      if (err instanceof UnsafePathError || (err as NodeJS.ErrnoException).code) return (err as Error).message;
      throw err;
    }
  }

  closeAll(): void {
    for (const d of this.open.values()) d.close();
    this.open.clear();
  }

  private lookup(path: string, create: number | undefined): Dir | undefined {
    const hit = this.open.get(path);
    if (hit) {
      this.open.delete(path); // re-insert: Map order is the LRU order
      this.open.set(path, hit);
      return hit;
    }
    let d: Dir | undefined;
    if (path === "/") d = openRootDir(this.fs);
    else {
      const cut = path.lastIndexOf("/");
      const parent = this.lookup(path.slice(0, cut) || "/", create);
      d = parent && openDirStep(parent, path.slice(cut + 1), { policy: this.policy, ...(create === undefined ? {} : { create }) });
    }
    if (!d) return undefined;
    this.open.set(path, d);
    if (this.open.size > this.max) {
      const [oldest, dir] = this.open.entries().next().value!;
      this.open.delete(oldest);
      dir.close();
    }
    return d;
  }
}
