// A private, real OpenLDAP (Debian slapd) per test file: TLS (StartTLS on PORT, ldaps on PORT+1)
// with its own CA, seeded from the testkit LDIF, changed through ldapmodify as the admin.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";

const KIT = join(__dirname, "testkit");
const PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

export interface Slapd {
  port: number;
  /** ldap:// (StartTLS) */
  url: string;
  /** ldaps:// on port + 1 */
  ldaps: string;
  ca: string;
  dir: string;
  /** ldapmodify as cn=admin (changetype records in `ldif`) */
  modify(ldif: string): void;
  stop(): void;
}

async function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once("error", () => resolve(false));
    s.listen(port, "127.0.0.1", () => s.close(() => resolve(true)));
  });
}

/** Two free consecutive ports. */
export async function freePortPair(): Promise<number> {
  for (;;) {
    const p = 20000 + Math.floor(Math.random() * 20000);
    if ((await portFree(p)) && (await portFree(p + 1))) return p;
  }
}

export async function startSlapd(extraLdif: string[] = [], env: Record<string, string> = {}): Promise<Slapd> {
  const dir = mkdtempSync("/tmp/foyer-users-slapd-");
  const seed = join(dir, "seed.ldif");
  writeFileSync(seed, [readFileSync(join(KIT, "seed-small.ldif"), "utf8"), ...extraLdif.map((f) => readFileSync(f, "utf8"))].join("\n"));
  const port = await freePortPair();
  const base = join(dir, "slapd");
  execFileSync("sh", [join(KIT, "slapd-up.sh")], { env: { PATH, BASE: base, PORT: String(port), TLS: "1", SEED_LDIF: seed, ...env }, stdio: "pipe" });
  const url = `ldap://127.0.0.1:${port}`;
  return {
    port,
    url,
    ldaps: `ldaps://127.0.0.1:${port + 1}`,
    ca: join(base, "ca.crt"),
    dir,
    modify(ldif) {
      const r = spawnSync("ldapmodify", ["-x", "-H", url, "-D", "cn=admin,dc=example,dc=org", "-w", "secret"], { input: ldif, encoding: "utf8", env: { PATH } });
      if (r.status !== 0) throw new Error(`ldapmodify: ${r.stderr}`);
    },
    stop() {
      spawnSync("sh", [join(KIT, "slapd-down.sh")], { env: { PATH, BASE: base }, stdio: "pipe" });
    },
  };
}
