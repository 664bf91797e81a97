// Times commands side by side (interleaved, so drift hits all equally): median and spread of wall
// time over RUNS runs, and peak RSS from GNU time when it is installed. Prints a table.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import console from "node:console";
import process from "node:process";

const runs = Number(process.env.RUNS ?? 30);
const cases = JSON.parse(process.argv[2]); // [{ name, argv, prepare? }]
const times = new Map(cases.map((c) => [c.name, []]));

const run = (argv) => {
  const r = spawnSync(argv[0], argv.slice(1), { stdio: ["ignore", "ignore", "pipe"] });
  if (r.status !== 0) throw new Error(`${argv.join(" ")} failed (${r.status ?? r.signal}): ${r.stderr}`);
};

for (const c of cases) run(c.argv); // warm the page cache once
for (let i = 0; i < runs; i++) {
  for (const c of cases) {
    if (c.prepare) run(c.prepare);
    const t0 = process.hrtime.bigint();
    run(c.argv);
    times.get(c.name).push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];

const peakRss = (c) => {
  if (!existsSync("/usr/bin/time")) return undefined;
  if (c.prepare) run(c.prepare);
  const r = spawnSync("/usr/bin/time", ["-f", "%M", ...c.argv], { encoding: "utf8", stdio: ["ignore", "ignore", "pipe"] });
  return Number(r.stderr.trim().split("\n").at(-1)) / 1024;
};

const result = {};
console.log(`${"command".padEnd(34)} ${"median".padStart(9)} ${"p10".padStart(8)} ${"p90".padStart(8)} ${"peak RSS".padStart(10)}`);
for (const c of cases) {
  const xs = times.get(c.name);
  const rss = peakRss(c);
  result[c.name] = { median: median(xs), rss };
  console.log(
    `${c.name.padEnd(34)} ${median(xs).toFixed(1).padStart(7)}ms ${pct(xs, 0.1).toFixed(1).padStart(6)}ms ${pct(xs, 0.9).toFixed(1).padStart(6)}ms ${rss === undefined ? "n/a".padStart(10) : `${rss.toFixed(1)} MB`.padStart(10)}`,
  );
}
console.log(`(${runs} runs each, interleaved)`);
process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
