// Handlebars templates for config files: helpers `env`, `secret`, `default`, `required`; strict (an
// undefined variable is an issue naming the template and the variable, not an empty string); no
// HTML escaping (these are config files). Rendering is synchronous and pure: env and secrets are
// parameters, and every problem is collected as a ConfigIssue.
import Handlebars from "handlebars";
import type { ConfigIssue } from "../errors.js";

/** What templates may read: the environment and the resolved secrets. */
export interface TemplateContext {
  env: Readonly<Record<string, string | undefined>>;
  secrets: ReadonlyMap<string, string>;
  /** secrets declared in the spec (so a missing optional one reads differently from a typo) */
  declaredSecrets?: ReadonlySet<string>;
  /**
   * env vars that carry a secret (a secret's source var and its _FILE twin) → the secret's name:
   * `{{env "VAR"}}`, `{{env.VAR}}` or any other read of them counts as using that secret, so the
   * file is secret by reference, not only when a scan happens to find the value in it
   */
  secretEnvVars?: ReadonlyMap<string, string>;
  /** env vars whose value was not UTF-8 (it holds U+FFFD): reading one is an issue, not a changed value in a file */
  notUtf8Env?: ReadonlySet<string>;
}

/** One rendered template: its text, its problems, and the secrets it used (the file is then secret). */
export interface RenderedTemplate {
  text: string;
  issues: ConfigIssue[];
  secretsUsed: string[];
}

/** Renders one template; `place` is where it sits in the spec, `label` (a file path) prefixes messages. */
export interface TemplateEngine {
  /** `data`: template variables beside `env` (a dotfile's user and home) */
  render(source: string, place: string, label?: string, data?: Readonly<Record<string, unknown>>): RenderedTemplate;
  /** every secret a template rendered so far used (a declared secret nothing uses is a warning) */
  secretsUsed(): ReadonlySet<string>;
}

/** A value a helper could not find; it renders as an issue unless `default`/`required`/`if` handle it. */
class Missing {
  constructor(readonly describe: string, private readonly onUse: (m: Missing) => void) {}
  toString(): string {
    this.onUse(this);
    return "";
  }
  [Symbol.toPrimitive](): string {
    return this.toString();
  }
}

const isEmpty = (v: unknown): boolean => v === undefined || v === null || v === "" || v instanceof Missing;

interface RenderState {
  place: string;
  label: string | undefined;
  issues: ConfigIssue[];
  secretsUsed: Set<string>;
}

/** Makes a template renderer bound to one environment and set of secrets. */
export function createTemplateEngine(ctx: TemplateContext): TemplateEngine {
  const hb = Handlebars.create();
  let state: RenderState | undefined;
  const issue = (message: string): void => void (state && pushIssue(state, message));
  const missing = (describe: string) => new Missing(describe, (m) => issue(m.describe));

  const readEnv = (name: string): string | undefined => {
    const value = ctx.env[name];
    if (value !== undefined && ctx.notUtf8Env?.has(name)) issue(`environment variable ${JSON.stringify(name)} is not UTF-8 text: a config file cannot hold its bytes (set it as UTF-8)`);
    const secret = ctx.secretEnvVars?.get(name);
    if (value !== undefined && secret !== undefined) state?.secretsUsed.add(secret);
    return value;
  };

  hb.registerHelper("env", (name: unknown) => {
    const value = typeof name === "string" ? readEnv(name) : undefined;
    return value === undefined ? missing(`environment variable ${JSON.stringify(name)} is not set ({{env ${JSON.stringify(name)}}})`) : value;
  });
  hb.registerHelper("secret", (name: unknown) => {
    const key = String(name);
    const value = ctx.secrets.get(key);
    if (value !== undefined) {
      state?.secretsUsed.add(key);
      return value;
    }
    const declared = ctx.declaredSecrets?.has(key) ?? false;
    return missing(declared ? `secret ${JSON.stringify(key)} has no value (it is optional and was not found)` : `secret ${JSON.stringify(key)} is not declared under \`secrets:\``);
  });
  hb.registerHelper("default", (value: unknown, fallback: unknown) => (isEmpty(value) ? fallback : value));
  hb.registerHelper("required", (value: unknown, message: unknown) => {
    if (!isEmpty(value)) return value;
    issue(typeof message === "string" && message.length > 0 ? message : "a required value is empty");
    return "";
  });
  // `if`/`unless` must treat a missing env/secret as false, not as a (truthy) object
  const builtinIf = hb.helpers.if!;
  const builtinUnless = hb.helpers.unless!;
  hb.registerHelper("if", function (this: unknown, v: unknown, opts: Handlebars.HelperOptions) {
    return builtinIf.call(this, v instanceof Missing ? false : v, opts);
  });
  hb.registerHelper("unless", function (this: unknown, v: unknown, opts: Handlebars.HelperOptions) {
    return builtinUnless.call(this, v instanceof Missing ? false : v, opts);
  });

  const everUsed = new Set<string>();
  return {
    render(source, place, label, data) {
      if (!source.includes("{{")) return { text: source, issues: [], secretsUsed: [] }; // nothing to expand
      state = { place, label, issues: [], secretsUsed: new Set() };
      try {
        const text = renderStrict(hb, source, { ...data, env: envView(ctx.env, readEnv) }, state);
        return { text, issues: state.issues, secretsUsed: [...state.secretsUsed].sort() };
      } finally {
        for (const name of state.secretsUsed) everUsed.add(name);
        state = undefined;
      }
    },
    secretsUsed: () => everUsed,
  };
}

/** The `env` template variable: a copy whose reads go through `read` (which notes secret env vars). */
function envView(env: TemplateContext["env"], read: (name: string) => string | undefined): Record<string, string | undefined> {
  return new Proxy({ ...env }, {
    get(target, prop, receiver) {
      if (typeof prop === "string" && Object.hasOwn(target, prop)) read(prop);
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
}

/** Render in strict mode; each undefined variable becomes an issue, and rendering resumes past it. */
function renderStrict(hb: typeof Handlebars, source: string, root: Record<string, unknown>, st: RenderState): string {
  let compiled: HandlebarsTemplateDelegate;
  try {
    // parse once (compile is lazy and would only report syntax errors on first render)
    compiled = hb.compile(hb.parse(source), { strict: true, noEscape: true });
  } catch (err) {
    pushIssue(st, `template syntax error: ${oneLine(err)}`);
    return "";
  }
  const seen = new Set<string>();
  for (let attempt = 0; attempt < 50; attempt++) {
    const before = st.issues.length;
    try {
      return compiled(root);
    } catch (err) {
      st.issues.length = before; // helpers' issues from this aborted pass come again on the next one
      const name = undefinedName(source, err);
      if (name === undefined || seen.has(name.path)) {
        pushIssue(st, `template error: ${oneLine(err)}`);
        return "";
      }
      seen.add(name.path);
      pushIssue(st, `undefined variable "${name.path}" (line ${name.line}, column ${name.column})`);
      setPath(root, name.path, ""); // keep going to report every undefined variable at once
    }
  }
  return "";
}

/** The full dotted path of the variable strict mode stopped at, found in the template's AST by position. */
function undefinedName(source: string, err: unknown): { path: string; line: number; column: number } | undefined {
  const m = /^"([^"]+)" not defined in .* - (\d+):(\d+)/.exec(String((err as Error)?.message ?? ""));
  if (!m) return undefined;
  const [, last, line, column] = m as unknown as [string, string, string, string];
  let full = last;
  const visit = (node: unknown): void => {
    if (!node || typeof node !== "object") return;
    const n = node as { type?: string; original?: string; loc?: { start: { line: number; column: number } } };
    if (n.type === "PathExpression" && n.loc && n.loc.start.line === Number(line) && n.loc.start.column === Number(column)) full = n.original ?? last;
    for (const v of Object.values(node)) if (typeof v === "object") visit(v);
  };
  visit(Handlebars.parse(source));
  return { path: full.replace(/^this\./, ""), line: Number(line), column: Number(column) + 1 };
}

function setPath(root: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split(".");
  let obj = root;
  for (const p of parts.slice(0, -1)) {
    if (typeof obj[p] !== "object" || obj[p] === null) obj[p] = {};
    obj = obj[p] as Record<string, unknown>;
  }
  obj[parts[parts.length - 1]!] = value;
}

function pushIssue(st: RenderState, message: string): void {
  st.issues.push({ path: st.place, message: st.label ? `${st.label}: ${message}` : message });
}

/** Handlebars parse errors span several lines (with a caret picture); keep the first and last. */
function oneLine(err: unknown): string {
  const lines = String((err as Error)?.message ?? err).split("\n").filter((l) => l.trim() && !/^-*\^$/.test(l.trim()));
  return lines.length > 1 ? `${lines[0]} ${lines[lines.length - 1]}` : (lines[0] ?? "");
}
