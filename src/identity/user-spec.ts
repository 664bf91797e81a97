// The one USER[:GROUP] grammar: `user:` of programs and hooks, file owners, `foyer exec-as`, the
// plan's run-command-as-user. Pure and zod-free, so `foyer run -- CMD` / exec-as can use it without
// loading the schema; the spec's zod type (src/spec/primitives.ts) is built on the same parser.

/** A parsed `USER[:GROUP]`: all-digit parts are ids (Docker's --user rule), the rest names. */
export interface UserSpec {
  user: string | number;
  group?: string | number;
}

/** A parse, or what is wrong with the text (a sentence naming it). */
export type UserSpecParse = { ok: true; spec: UserSpec } | { ok: false; error: string };

/** Largest id: 4294967295 is (uid_t)-1, "no change" for setuid/chown. */
export const MAX_ID = 0xfffffffe;
const ID = /^\d+$/;
// POSIX portable names plus what NSS backends serve in practice: '@' (sssd with domain), '$'
// at the end (Samba machine accounts). Never a leading '-' (it would read as an option to tools).
const NAME = /^[A-Za-z0-9_.][A-Za-z0-9_.@-]*\$?$/;
const MAX_NAME = 256;

/** The grammar as one regular expression, for JSON Schema (editors); the parser is the truth. */
export const USER_SPEC_PATTERN = "^[A-Za-z0-9_.][A-Za-z0-9_.@-]*\\$?(:[A-Za-z0-9_.][A-Za-z0-9_.@-]*\\$?)?$";

/** Parse "alice", "alice:staff", "1000", "1000:0", "alice:0"... */
export function parseUserSpec(text: string): UserSpecParse {
  if (text === "") return fail("is empty: expected USER or USER:GROUP (a name or a numeric id)");
  const parts = text.split(":");
  if (parts.length > 2) return fail(`${JSON.stringify(text)} has ${parts.length - 1} colons: expected USER or USER:GROUP`);
  const user = parsePart(parts[0]!, "user");
  if (!user.ok) return user;
  if (parts.length === 1) return { ok: true, spec: { user: user.value } };
  const group = parsePart(parts[1]!, "group");
  if (!group.ok) return group;
  return { ok: true, spec: { user: user.value, group: group.value } };
}

/** Back to text (for messages and for handing a resolved spec to `foyer exec-as`). */
export function formatUserSpec(spec: UserSpec): string {
  return spec.group === undefined ? String(spec.user) : `${spec.user}:${spec.group}`;
}

function parsePart(part: string, what: "user" | "group"): { ok: true; value: string | number } | { ok: false; error: string } {
  if (part === "") return fail(`has an empty ${what} ${what === "user" ? "before" : "after"} ':'`);
  if (ID.test(part)) {
    const id = Number(part);
    return id > MAX_ID ? fail(`${what} id ${part} is out of range (0-${MAX_ID})`) : { ok: true, value: id };
  }
  if (part.length > MAX_NAME) return fail(`${what} name is longer than ${MAX_NAME} characters`);
  if (!NAME.test(part)) {
    return fail(`${JSON.stringify(part)} is not a valid ${what} name (letters, digits, _ . @ -, not starting with -; or a numeric id)`);
  }
  return { ok: true, value: part };
}

function fail(error: string): { ok: false; error: string } {
  return { ok: false, error };
}
