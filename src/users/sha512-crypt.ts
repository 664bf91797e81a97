// SHA-512 crypt ("$6$", Drepper's specification, as glibc and `openssl passwd -6`) for the one
// place a plain password is given: the Posit images' RSW_TESTUSER_PASSWD. Node has no crypt(3).
// Pure apart from node:crypto's hash; the salt is an argument so a hash that still matches the
// password can be kept (idempotent syncs) and tests are reproducible.
import { createHash } from "node:crypto";

const ITOA64 = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** The crypt(3) string for `password` with `salt` (≤ 16 characters of ./0-9A-Za-z). */
export function sha512Crypt(password: string, salt: string, rounds = 5000): string {
  const P = Buffer.from(password, "utf8");
  const S = Buffer.from(salt.slice(0, 16), "utf8");
  const B = sha(P, S, P);
  const a = createHash("sha512").update(P).update(S);
  for (let n = P.length; n > 0; n -= 64) a.update(B.subarray(0, Math.min(64, n)));
  for (let n = P.length; n > 0; n >>= 1) a.update(n & 1 ? B : P);
  const A = a.digest();
  const dp = createHash("sha512");
  for (let i = 0; i < P.length; i++) dp.update(P);
  const Pseq = repeatTo(dp.digest(), P.length);
  const ds = createHash("sha512");
  for (let i = 0; i < 16 + A[0]!; i++) ds.update(S);
  const Sseq = repeatTo(ds.digest(), S.length);
  let C = A;
  for (let i = 0; i < rounds; i++) {
    const h = createHash("sha512");
    h.update(i & 1 ? Pseq : C);
    if (i % 3) h.update(Sseq);
    if (i % 7) h.update(Pseq);
    h.update(i & 1 ? C : Pseq);
    C = h.digest();
  }
  let out = "";
  for (let i = 0; i < 21; i++) {
    const [x, y, z] = [(i * 22) % 63, (i * 22 + 21) % 63, (i * 22 + 42) % 63];
    out += b64((C[x]! << 16) | (C[y]! << 8) | C[z]!, 4);
  }
  out += b64(C[63]!, 2);
  const roundsPart = rounds === 5000 ? "" : `rounds=${rounds}$`;
  return `$6$${roundsPart}${salt.slice(0, 16)}$${out}`;
}

/** Keep `existing` when it is a $6$ hash of `password`; else hash with `freshSalt()`. */
export function hashKeepingMatch(password: string, existing: string | undefined, freshSalt: () => string): string {
  const m = existing ? /^\$6\$(?:rounds=(\d+)\$)?([^$]{0,16})\$/.exec(existing) : null;
  if (m && sha512Crypt(password, m[2]!, m[1] ? Number(m[1]) : 5000) === existing) return existing;
  return sha512Crypt(password, freshSalt());
}

/** 16 random salt characters. */
export function randomSalt(random: (n: number) => Buffer): string {
  return [...random(16)].map((b) => ITOA64[b & 63]).join("");
}

function sha(...parts: Buffer[]): Buffer {
  const h = createHash("sha512");
  for (const p of parts) h.update(p);
  return h.digest();
}

function repeatTo(block: Buffer, length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) out[i] = block[i % 64]!;
  return out;
}

function b64(w: number, n: number): string {
  let s = "";
  for (let i = 0; i < n; i++, w >>= 6) s += ITOA64[w & 63];
  return s;
}
