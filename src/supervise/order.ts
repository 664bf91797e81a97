// Dependency order between programs (`after:`): checked before anything starts, so a typo or a
// cycle is a configuration error (exit 78) instead of a program that silently never starts.
import { ConfigError, type ConfigIssue } from "../errors.js";

/** The name the `foyer run -- CMD` program gets. */
export const MAIN_PROGRAM = "main";

/** The part of a program the ordering looks at. */
export interface OrderNode {
  after: readonly string[];
  autostart: boolean;
}

/** Check names and cycles; returns the programs grouped in start levels (level n depends only on < n). */
export function startLevels(programs: Record<string, OrderNode>): string[][] {
  const issues: ConfigIssue[] = [];
  const names = Object.keys(programs);
  for (const [name, p] of Object.entries(programs)) {
    p.after.forEach((dep, i) => {
      const path = `programs.${name}.after[${i}]`;
      if (dep === name) issues.push({ path, message: `program '${name}' cannot start after itself` });
      else if (!(dep in programs)) issues.push({ path, message: `program '${name}' starts after '${dep}', which is not a program${hint(dep, names.filter((n) => n !== name))}` });
      else if (p.autostart && !programs[dep]!.autostart)
        issues.push({ path, message: `program '${name}' starts after '${dep}', which has autostart: false and would never start` });
    });
  }
  if (issues.length) throw new ConfigError(issues);
  const levels: string[][] = [];
  const level = new Map<string, number>();
  let remaining = names;
  while (remaining.length) {
    const ready = remaining.filter((n) => programs[n]!.after.every((d) => level.has(d)));
    if (ready.length === 0) throw new ConfigError(cycleIssues(programs, remaining));
    for (const n of ready) level.set(n, levels.length);
    levels.push(ready);
    remaining = remaining.filter((n) => !level.has(n));
  }
  return levels;
}

/** The programs that (directly or not) start after `name`. */
export function dependentsOf(programs: Record<string, OrderNode>, name: string): string[] {
  const out = new Set<string>();
  const visit = (n: string): void => {
    for (const [other, p] of Object.entries(programs)) {
      if (p.after.includes(n) && !out.has(other)) {
        out.add(other);
        visit(other);
      }
    }
  };
  visit(name);
  return [...out];
}

function cycleIssues(programs: Record<string, OrderNode>, stuck: string[]): ConfigIssue[] {
  const cycle = findCycle(programs, stuck);
  return [{ path: `programs.${cycle[0]}.after`, message: `programs depend on each other in a cycle: ${cycle.join(" → ")}` }];
}

// Walk `after` edges from a stuck program until a name repeats: that loop is the cycle.
function findCycle(programs: Record<string, OrderNode>, stuck: string[]): string[] {
  const path: string[] = [];
  let current = stuck[0]!;
  while (!path.includes(current)) {
    path.push(current);
    current = programs[current]!.after.find((d) => stuck.includes(d))!;
  }
  return [...path.slice(path.indexOf(current)), current];
}

function hint(name: string, names: string[]): string {
  const close = names.find((n) => n.toLowerCase() === name.toLowerCase() || distance(n, name) <= 2);
  return close ? ` (did you mean '${close}'?)` : "";
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}
