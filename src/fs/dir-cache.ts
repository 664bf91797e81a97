// The directories one apply writes into, kept open across its actions: most actions share a
// directory, and walking from / again for each would cost a few opens per action.
import { openDirPath, type Dir, type LinkPolicy } from "./beneath.js";
import type { FsOps } from "./fsops.js";

/** Open directories by path (the most recently used `max`), all reached under one link policy. */
export class DirCache {
  private readonly open = new Map<string, Dir>();

  constructor(
    readonly fs: FsOps,
    private readonly policy: LinkPolicy,
    private readonly max = 16,
  ) {}

  /** The directory at `path`, made (with its missing parents, `createMode`) when absent. Do not close it. */
  get(path: string, createMode: number): Dir {
    return this.lookup(path, createMode)!;
  }

  /** The directory at `path`, or undefined when it does not exist. Do not close it. */
  find(path: string): Dir | undefined {
    return this.lookup(path, undefined);
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
    const d = openDirPath(this.fs, path, { policy: this.policy, ...(create === undefined ? {} : { create }) });
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
