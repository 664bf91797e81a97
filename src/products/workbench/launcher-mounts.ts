// launcher-mounts that mount user homes: a session finds its home only when the mount lands at
// the path Workbench itself sees the home at (seed 000: "The home mount path within the container
// must be the same as the user's home path as seen by the Posit Workbench instance itself
// (generally, /home/{USER})"). Pure: warnings for the validation stage.
import type { ConfigIssue } from "../../errors.js";
import { isMap } from "../../render/index.js";

/** Where Workbench sees user homes (its users' passwd entries, Posit's default). */
export const HOMES = "/home";

type MountRecord = Readonly<Record<string, unknown>>;

/** Warnings for each record of launcher-mounts (structured list, one map, or DCF text) that mounts homes elsewhere. */
export function checkHomeMounts(body: unknown, place: string): ConfigIssue[] {
  return records(body).flatMap(({ record, path }) => {
    const text = (k: string): string | undefined => (typeof record[k] === "string" || typeof record[k] === "number" ? String(record[k]) : undefined);
    const mountPath = text("MountPath");
    const source = text("Path");
    const subPath = text("SubPath");
    if (!mountPath) return [];
    const mountsHomes = [source, subPath, mountPath].some((v) => v !== undefined && (v.includes("{USER}") || isUnder(v, HOMES)));
    if (!mountsHomes) return [];
    // a host or NFS path: the session sees it where Workbench does only at the same path
    if (source !== undefined && (source.includes("{USER}") || isUnder(source, HOMES)) && norm(source) !== norm(mountPath)) {
      return [issue(`${place}${path}`, `mounts ${source} at ${mountPath}: a session finds its home only where Workbench sees it, so mount it at ${source} (MountPath must equal Path for home directories)`)];
    }
    if (!isUnder(mountPath, HOMES)) {
      return [issue(`${place}${path}`, `mounts user homes at ${mountPath}, but Workbench sees homes at ${HOMES}/{USER}: sessions would not find their home; use MountPath: ${mountPath.includes("{USER}") ? `${HOMES}/{USER}` : HOMES}`)];
    }
    return [];
  });
}

function issue(path: string, message: string): ConfigIssue {
  return { path, message };
}

const norm = (p: string): string => p.replace(/\/+$/, "") || "/";
const isUnder = (p: string, dir: string): boolean => norm(p) === dir || norm(p).startsWith(`${dir}/`);

/** The records of a DCF body: a list of maps, one map, or `Key: value` text with blank lines between records. */
function records(body: unknown): Array<{ record: MountRecord; path: string }> {
  if (Array.isArray(body)) return body.flatMap((r, i) => (isMap(r) ? [{ record: r, path: `[${i}]` }] : []));
  if (isMap(body)) return [{ record: body, path: "" }];
  if (typeof body !== "string") return [];
  return body
    .split(/\n\s*\n/)
    .map((block, i) => {
      const record: Record<string, string> = {};
      for (const line of block.split("\n")) {
        const m = /^([A-Za-z][\w-]*):\s*(.*)$/.exec(line);
        if (m) record[m[1]!] = m[2]!.trim();
      }
      return { record, path: ` (record ${i + 1})` };
    })
    .filter((r) => Object.keys(r.record).length > 0);
}
