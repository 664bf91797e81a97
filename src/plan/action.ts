// Plans are data: an Action is one idempotent step the executor can take, with the reason it is in
// the plan. `foyer plan --json` prints exactly an array of these (content redacted).
import * as z from "zod";
import { AccountEditSchema } from "../users/edits.js";

const Path = z.string().min(1).meta({ description: "absolute path the action acts on" });
const Reason = z.string().min(1).meta({ description: "why the action is in the plan (the spec place it comes from)" });
const Mode = z.number().int().min(0).max(0o7777).meta({ description: "permission bits (a number; 420 = 0644)" });
const Source = z.string().optional().meta({ description: "where in the spec the action comes from (issues point here)" });
const Owner = z.string().min(1).meta({ description: '"user", "user:group", "uid" or "uid:gid"; absent = leave as is' });
// Homes: the user owns the directory and may put anything in it. A link or other surprise there that
// foyer will not cross skips this one action (reported) instead of stopping the start of every user.
const UserDir = z
  .boolean()
  .optional()
  .meta({ description: "inside a directory its user controls (a home): what foyer will not cross or replace there skips this action, reported, instead of failing the plan" });

/** Write a whole file (atomically; not rewritten when bytes, mode and owner already match). */
export const WriteFileSchema = z.strictObject({
  kind: z.literal("write-file"),
  path: Path,
  reason: Reason,
  source: Source,
  content: z.string(),
  mode: Mode,
  owner: Owner.optional(),
  secret: z.boolean().meta({ description: "the content holds secret values (redacted when printed)" }),
  hidden: z
    .boolean()
    .optional()
    .meta({ description: "the whole content is secret (a secret section, sssd config): printed neither as a preview nor in --json, redacted or not" }),
  format: z.string().optional().meta({ description: "how the content was produced: ini, dcf, profiles, gcfg, template, content" }),
  preserveEdits: z
    .strictObject({ since: z.string().optional().meta({ description: "SHA-256 of the bytes foyer last wrote there (from the home's record)" }) })
    .optional()
    .meta({ description: "a dotfile: an existing file with other bytes is replaced only when it still holds what foyer wrote (`since`); else it is the user's and is kept, as is a link or anything but a regular file" }),
  userDir: UserDir,
});

/** Make a directory (and its parents); set its mode and owner. */
export const EnsureDirSchema = z.strictObject({
  kind: z.literal("ensure-dir"),
  path: Path,
  reason: Reason,
  source: Source,
  mode: Mode,
  owner: Owner.optional(),
  keepExisting: z.boolean().optional().meta({ description: "an existing directory keeps its owner and mode (a home on a volume)" }),
  userDir: UserDir,
});

/** Make `path` a symbolic link to `target` (replacing a file or a different link, never a directory). */
export const SymlinkSchema = z.strictObject({
  kind: z.literal("symlink"),
  path: Path,
  reason: Reason,
  source: Source,
  target: z.string().min(1),
});

/** Set the owner of an existing path (never following symlinks; `recursive` walks a tree). */
export const ChownSchema = z.strictObject({
  kind: z.literal("chown"),
  path: Path,
  reason: Reason,
  source: Source,
  owner: Owner,
  recursive: z.boolean().default(false),
});

/** Set the mode of an existing path (symlinks are left alone). */
export const ChmodSchema = z.strictObject({
  kind: z.literal("chmod"),
  path: Path,
  reason: Reason,
  source: Source,
  mode: Mode,
});

/** Deep-merge `patch` into a JSON file (created if missing); rewritten only when the result differs. */
export const MergeJsonSchema = z.strictObject({
  kind: z.literal("merge-json"),
  path: Path,
  reason: Reason,
  source: Source,
  patch: z.record(z.string(), z.unknown()),
  mode: Mode,
  owner: Owner.optional(),
  secret: z.boolean().default(false),
  unionBy: z
    .record(z.string(), z.string())
    .optional()
    .meta({ description: 'top-level arrays united instead of replaced: key → the field naming an entry ({"favorites": "path"}); entries already there are kept as they are' }),
  userDir: UserDir,
});

/** Run a command as a user in `path` (its working directory); skipped when `creates` exists. */
export const RunCommandSchema = z.strictObject({
  kind: z.literal("run-command-as-user"),
  path: Path.meta({ description: "working directory" }),
  reason: Reason,
  source: Source,
  argv: z.array(z.string()).min(1),
  user: Owner,
  env: z.record(z.string(), z.string()).default({}),
  creates: z.string().optional().meta({ description: "skip the command when this path exists (idempotence)" }),
  otherwise: SymlinkSchema.optional().meta({ description: "when the command fails: this link is made instead (docker-stacks' `ln -s` after a failed home copy); the start goes on" }),
});

/**
 * Create a file of generated secret state once (a cookie key, the launcher's key pair), never
 * overwriting it: an existing file is left as it is, so every restart keeps the same key. The
 * content is made at apply time (planning stays pure and the plan holds no key). `rsa-key-pair`
 * writes the private key at `path` and its public key at `publicPath` (derived from an existing
 * private key when only the public one is missing).
 */
export const GenerateFileSchema = z.strictObject({
  kind: z.literal("generate-file"),
  path: Path,
  reason: Reason,
  source: Source,
  generator: z.enum(["uuid", "rsa-key-pair"]),
  publicPath: Path.optional(),
  mode: Mode,
  publicMode: Mode.optional(),
  owner: Owner.optional(),
});

/**
 * Edit existing local accounts (`path` is the directory of passwd, group, shadow, gshadow) through
 * the users module's writer: shadow-utils' lock, atomic replace, every other line kept. Nothing is
 * written when the edits are already made.
 */
export const EditAccountsSchema = z.strictObject({
  kind: z.literal("edit-accounts"),
  path: Path,
  reason: Reason,
  source: Source,
  edits: z.array(AccountEditSchema).min(1),
});

/** Any action, discriminated on `kind`. */
export const ActionSchema = z.discriminatedUnion("kind", [
  WriteFileSchema,
  EnsureDirSchema,
  SymlinkSchema,
  ChownSchema,
  ChmodSchema,
  MergeJsonSchema,
  RunCommandSchema,
  GenerateFileSchema,
  EditAccountsSchema,
]);

export type Action = z.infer<typeof ActionSchema>;
export type ActionKind = Action["kind"];
export type WriteFileAction = z.infer<typeof WriteFileSchema>;
export type EnsureDirAction = z.infer<typeof EnsureDirSchema>;
export type SymlinkAction = z.infer<typeof SymlinkSchema>;
export type ChownAction = z.infer<typeof ChownSchema>;
export type ChmodAction = z.infer<typeof ChmodSchema>;
export type MergeJsonAction = z.infer<typeof MergeJsonSchema>;
export type RunCommandAction = z.infer<typeof RunCommandSchema>;
export type GenerateFileAction = z.infer<typeof GenerateFileSchema>;

/** What stands for a `hidden` file's content wherever it is shown (plan, plan --json, render --redact). */
export const HIDDEN_CONTENT = "<content not shown: the whole file is secret>";

/** The mode as people write it: "0644". */
export function octal(mode: number): string {
  return mode.toString(8).padStart(4, "0");
}
