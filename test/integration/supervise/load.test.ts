// Load: crash-restart cycles (RSS must stay flat) and high-volume output (complete, unmixed lines).
import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { BIN, memKiB, startFoyer } from "./harness.js";

async function restarts(port: number): Promise<number> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/status`);
    const body = (await res.json()) as { programs: Array<{ name: string; restarts: number }> };
    return body.programs.find((p) => p.name === "crashy")?.restarts ?? 0;
  } catch {
    return 0;
  }
}

describe("load", () => {
  it("crash-restart cycles: after warm-up foyer's RSS and private memory stay flat over 1,000 more", async () => {
    const port = 41800 + Math.floor(Math.random() * 100);
    const foyer = await startFoyer(
      {
        log: { level: "error" },
        health: { listen: `127.0.0.1:${port}` },
        programs: { crashy: { command: ["/bin/false"], restart: "always", backoff: { initial: 0, max: 0, retries: 1_000_000 } } },
      },
    );
    const samples: Array<{ restarts: number; rssKiB: number; anonKiB: number }> = [];
    let n = 0;
    const t0 = Date.now();
    while (n < 3000) {
      n = await restarts(port);
      if (n >= (samples.at(-1)?.restarts ?? -250) + 250) samples.push({ restarts: n, rssKiB: memKiB(foyer.foyerPid()), anonKiB: memKiB(foyer.foyerPid(), "RssAnon") });
      await new Promise((r) => setTimeout(r, 20));
      if (Date.now() - t0 > 120_000) throw new Error(`only ${n} restarts in 120 s`);
    }
    const seconds = (Date.now() - t0) / 1000;
    foyer.signal("SIGTERM");
    expect((await foyer.done).code).toBe(0);
    const at = (k: number) => samples.find((s) => s.restarts >= k)!;
    const warm = at(2000);
    console.log(
      `[supervise] ${n} crash-restart cycles in ${seconds.toFixed(1)}s (${Math.round(n / seconds)}/s); ` +
        `RSS/private KiB by cycle: ${samples.map((s) => `${s.restarts}:${s.rssKiB}/${s.anonKiB}`).join(" ")}`,
    );
    // flat: over the last 1,000 cycles RSS grows < 8 MiB and private memory (the heap lives there)
    // < 6 MiB; a 10 KiB-per-cycle leak would add ~10 MiB to both. Each is the lowest of the last
    // three samples: V8 growing its young generation adds a transient ~5 MiB step a leak would not undo.
    const settled = (key: "rssKiB" | "anonKiB") => Math.min(...samples.slice(-3).map((s) => s[key]));
    expect(settled("rssKiB") - warm.rssKiB).toBeLessThan(8 * 1024);
    expect(settled("anonKiB") - warm.anonKiB).toBeLessThan(6 * 1024);
  }, 180_000);

  it("3 programs × 100,000 lines arrive complete and unmixed; a 1 MiB line and binary bytes survive", async () => {
    const foyer = await startFoyer(
      {
        log: { level: "warn" },
        programs: {
          alpha: { command: [join(BIN, "spew"), "alpha", "100000"], oneshot: true },
          beta: { command: [join(BIN, "spew"), "beta", "100000"], oneshot: true },
          gamma: { command: [join(BIN, "spew"), "gamma", "100000"], oneshot: true },
          odd: { command: ["sh", "-c", "head -c 1048576 /dev/zero | tr '\\0' x; echo; printf 'bin\\377\\000\\001\\n'; printf 'no newline at end'"], oneshot: true },
        },
      },
      { main: ["true"] },
    );
    const { code } = await foyer.done;
    expect(code).toBe(0);
    const bytes = foyer.stdoutBytes();
    const lines = bytes.toString("latin1").split("\n");
    expect(lines.pop()).toBe("");
    const seen: Record<string, number> = { alpha: 0, beta: 0, gamma: 0 };
    const pad = "0".repeat(100);
    const oddLines: string[] = [];
    let bad = 0;
    for (const line of lines) {
      const m = /^(alpha|beta|gamma) +\| (\w+) (\d+) (\d+) end$/.exec(line);
      if (m) {
        // each program's lines come whole, in order, under its own name
        if (m[1] !== m[2] || Number(m[3]) !== seen[m[1]!]! + 1 || m[4] !== pad) bad++;
        seen[m[1]!] = Number(m[3]);
      } else if (line.startsWith("odd   | ")) oddLines.push(line.slice(8));
      else bad++;
    }
    expect(bad).toBe(0);
    expect(seen).toEqual({ alpha: 100000, beta: 100000, gamma: 100000 });
    // the 1 MiB line is cut into 64 KiB pieces, nothing dropped
    const xs = oddLines.filter((l) => /^x+$/.test(l));
    expect(xs.length).toBe(16);
    expect(xs.join("").length).toBe(1048576);
    expect(oddLines.slice(16)).toEqual(["bin\xff\x00\x01", "no newline at end"]);
  }, 120_000);
});
