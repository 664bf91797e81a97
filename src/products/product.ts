// The product layer's contract. A product (Workbench, Connect, Package Manager, an RStudio session
// image, or none) owns the shape of `config:`, its config dir, its service user, the programs and
// secrets it adds (translated startup services, Kubernetes secret references, licence oneshots),
// the actions that write its files, and the warnings about its option names. The planner and the
// loader ask the product; they know nothing of Posit's shapes. `profiles/*.yaml` stay the presets a
// user sees; the registry (registry.ts) maps a profile name to its product.
import type * as z from "zod";
import type { ConfigIssue } from "../errors.js";
import type { Action } from "../plan/action.js";
import type { LicenceDef } from "./licence/definitions.js";
import type { TemplateEngine } from "../render/index.js";
import type { ProgramSchema, SecretSourceSchema, Spec } from "../spec/schema.js";

/** A program or a secret source as a user would write it in a spec (validated by the spec's schemas). */
export type ProgramInput = z.input<typeof ProgramSchema>;
export type SecretSourceInput = z.input<typeof SecretSourceSchema>;

/** The account a product's server runs as and owns its state files with. */
export interface ServiceUser {
  name: string;
  uid: number;
  gid: number;
}

/**
 * Facts about the world a product's plan depends on, gathered before planning (planning stays
 * pure). Each product reads what it needs; a missing fact means "not there".
 */
export interface ProductFacts {
  /** the pod's in-cluster Kubernetes API (service env vars and service-account files), if any */
  kubernetes?: KubernetesInCluster;
}

/** What the Job Launcher's container auto-configuration reads (seed 001 §3.1.1). */
export interface KubernetesInCluster {
  /** https://${KUBERNETES_SERVICE_HOST}:${KUBERNETES_SERVICE_PORT} */
  apiUrl: string;
  /** the service-account token file (its path: the token itself is never copied) */
  tokenPath: string;
  /** base64 of the service account's ca.crt */
  caBase64?: string;
  /** the pod's namespace (the service account's namespace file) */
  namespace?: string;
}

/** What a product adds to the spec at load time, before secrets are resolved and checks run. */
export interface ProductAdditions {
  /** programs the product runs (by foyer name); a spec program of the same name is an issue */
  programs: Record<string, ProgramInput>;
  /** secret sources the product declares (e.g. Kubernetes Secret references) */
  secrets: Record<string, SecretSourceInput>;
  /**
   * secret values written inline in `config:` (the chart's `database.conf.value`), by secret name:
   * they join the resolved secrets, so they are masked wherever foyer prints and a file holding one
   * is secret (optional; empty when absent)
   */
  values?: Record<string, { value: string; path: string }>;
  /** what was not carried over as the product's tools would (printed, not fatal) */
  warnings: ConfigIssue[];
  /** mistakes (exit 78) */
  issues: ConfigIssue[];
}

/** Input of a product's additions: its validated `config:` and the process environment. */
export interface AdditionsContext {
  env: Readonly<Record<string, string | undefined>>;
  /** the profile's service user, where a product's programs need one */
  product: Product;
}

/** Input of a product's plan: everything already resolved, nothing to read. */
export interface PlanContext {
  spec: Spec;
  /** Handlebars with env, spec.env and the resolved secrets */
  engine: TemplateEngine;
  /** the config dir: `config.dir` when the product's schema has one, else the product's */
  configDir: string;
  /** true when a text holds a secret value in any form foyer encodes it */
  holdsSecret(text: string): boolean;
  facts: ProductFacts;
}

/** The product's share of the plan. */
export interface ProductPlan {
  actions: Action[];
  issues: ConfigIssue[];
}

/**
 * An environment layer: the merged spec data (preset + spec + overrides) in, the data with what the
 * environment says laid over it out, before the schema. The licence (licenceEnvLayer) and the
 * images' own variables (`envLayer`) are such layers; the loader folds them in that order
 * (envLayersOf). Pure: the environment and a file-exists probe are given.
 */
export type EnvLayer = (
  data: Record<string, unknown>,
  env: Readonly<Record<string, string | undefined>>,
  io: { exists(path: string): boolean },
) => { data: Record<string, unknown>; issues: ConfigIssue[]; keptFromPrograms: string[] };

/** Input of a product's checks (warnings, not errors: `validate --strict` makes them errors). */
export interface ChecksContext {
  /** whether a job-json-overrides file is usable (undefined if so, else why not) */
  overrideFile?: (path: string) => string | undefined;
  /** the whole spec, for checks that compare `config:` with the programs (a readiness port) */
  spec?: Spec;
}

/**
 * A product. `C` is its parsed `config:` (z.output of configSchema). Every function is pure.
 * The licence module plugs in through `licence` (data: which variables, which license-manager):
 * only its activation oneshot receives the licence values.
 */
export interface Product<C = unknown> {
  /** the registry key and profile name ("workbench", "connect", …; "generic" without a profile) */
  name: string;
  /** the zod schema of `config:` for this product (what `foyer schema --profile P` shows) */
  configSchema: z.ZodType<C>;
  /** where its config files go unless `config.dir` says otherwise */
  configDir: string;
  serviceUser?: ServiceUser;
  /** the config dir the spec asks for, if its shape has one */
  configDirOf?(config: C): string | undefined;
  /** programs and secrets derived from `config:` (startup services, secret references) */
  additions?(config: C | undefined, ctx: AdditionsContext): ProductAdditions;
  /**
   * How the product is licensed (src/products/licence): the loader lays the licence's secrets,
   * activation oneshot (with its `down`), the servers' `after:` and the licence file over the merged
   * spec data before the schema, so the spec can shape the oneshot like any program.
   */
  licence?: LicenceDef;
  /**
   * The product's container conventions (the images' environment variables) laid over the merged
   * spec data before the schema: programs added or adjusted, variables kept from every program.
   */
  envLayer?: EnvLayer;
  /** the files to write for `config:` */
  plan(config: C | undefined, ctx: PlanContext): ProductPlan;
  /** warnings about option names and values (product key validation) */
  checks?(config: C | undefined, ctx: ChecksContext): ConfigIssue[];
}

/** Erase a product's config type for the registry (each function gets the config its schema parsed). */
export function defineProduct<C>(product: Product<C>): Product {
  return product as unknown as Product;
}

/** No additions: the neutral element. */
export function noAdditions(): ProductAdditions {
  return { programs: {}, secrets: {}, warnings: [], issues: [] };
}
