// The spec: schema (source of truth for types), loading, profiles, secrets.
export { SpecSchema, ProgramSchema, ReadySchema, HookSchema, FileSchema } from "./schema.js";
export type { Spec, SpecInput, Program, Ready, Hook, FileEntry, SecretSource } from "./schema.js";
export { loadSpec, loadSpecCollecting } from "./load.js";
export { findSpecPath, DEFAULT_SPEC_PATH } from "./locate.js";
export type { LoadedSpec, LoadOptions } from "./load.js";
export type { ResolvedSecrets, ReadText } from "./secrets.js";
export { PROFILES } from "./profiles.js";
export { parseDuration } from "./duration.js";
export { formatPath } from "./validate.js";
