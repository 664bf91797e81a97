// Generated state found on the container's root filesystem at start: a key baked into an image is
// shared by every container of that image (Posit's own images are tested not to contain them:
// workbench/test/pre-start.yaml), and one in the container's own layer is lost when the container
// is recreated. Either way it is not on a volume, which is where it belongs. A warning: the key
// works, it is just not as private or as durable as it should be.
import { lstatSync, statSync } from "node:fs";
import type { ConfigIssue } from "../errors.js";
import type { Action } from "../plan/action.js";

/** The device of each existing generated-state file, and of `/` (a read; the check below is pure). */
export function gatherStateDevices(actions: readonly Action[]): { root?: number; files: Map<string, number> } {
  const files = new Map<string, number>();
  for (const a of actions) {
    if (a.kind !== "generate-file") continue;
    for (const p of [a.path, ...(a.publicPath ? [a.publicPath] : [])]) {
      try {
        files.set(p, lstatSync(p).dev);
      } catch {
        // missing: it will be generated
      }
    }
  }
  try {
    return { root: statSync("/").dev, files };
  } catch {
    return { files };
  }
}

export function checkGeneratedState(actions: readonly Action[], devices: { root?: number; files: ReadonlyMap<string, number> }): ConfigIssue[] {
  if (devices.root === undefined) return [];
  return actions.flatMap((a) => {
    if (a.kind !== "generate-file") return [];
    const dev = devices.files.get(a.path);
    if (dev === undefined || dev !== devices.root) return [];
    const dir = a.path.slice(0, a.path.lastIndexOf("/")) || "/";
    return [
      {
        path: a.source ?? a.path,
        message: `${a.path} already exists on the container's root filesystem, not on a volume: baked into the image, it is shared by every container started from it; made in this container's layer, it is lost when the container is recreated. Mount a volume at ${dir} (and remove the file from the image)`,
      },
    ];
  });
}
