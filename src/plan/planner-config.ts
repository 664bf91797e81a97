// Planning the `config:` section: each file under server/session/serverDcf/profiles/secret/
// sessionSecret/gcfg is rendered in its format into config.dir. Secret sections, and any file whose
// values used a secret, get the secret mode (0600 unless config.secretMode says otherwise).
import type { ConfigIssue } from "../errors.js";
import { formatJson, isMap, renderDcf, renderGcfg, renderIni, renderProfiles, renderTree, type Rendered, type TemplateEngine } from "../render/index.js";
import type { ConfigSection } from "../spec/schema.js";
import type { Action } from "./action.js";

type SectionName = "server" | "session" | "serverDcf" | "profiles" | "secret" | "sessionSecret" | "gcfg";
type Renderer = (body: unknown, place: string) => Rendered;

/** Each section's format and whether its files are secret; the order is the order files are planned. */
const SECTIONS: ReadonlyArray<{ name: SectionName; format: string; render: Renderer; secret: boolean }> = [
  { name: "server", format: "ini", render: renderIni, secret: false },
  { name: "session", format: "ini", render: renderIni, secret: false },
  { name: "serverDcf", format: "dcf", render: renderDcf, secret: false },
  { name: "profiles", format: "profiles", render: renderProfiles, secret: false },
  { name: "secret", format: "ini", render: renderIni, secret: true },
  { name: "sessionSecret", format: "ini", render: renderIni, secret: true },
  { name: "gcfg", format: "gcfg", render: renderGcfg, secret: false },
];

/** Actions for the config section: ensure the dir, then one write-file per config file. */
export function planConfig(
  config: ConfigSection | undefined,
  dir: string,
  engine: TemplateEngine,
  holdsSecret: (text: string) => boolean,
): { actions: Action[]; issues: ConfigIssue[] } {
  const actions: Action[] = [];
  const issues: ConfigIssue[] = [];
  if (!config) return { actions, issues };
  const defaultMode = config.defaultMode ?? 0o644;
  const secretMode = config.secretMode ?? 0o600;
  for (const section of SECTIONS) {
    for (const [file, body] of Object.entries(config[section.name] ?? {})) {
      const place = `config.${section.name}.${file}`;
      const templated = renderTree(body, place, engine);
      issues.push(...templated.issues);
      const json = file.endsWith(".json") && isMap(templated.value);
      const rendered = json ? { text: formatJson(templated.value), issues: [] } : section.render(templated.value, place);
      issues.push(...rendered.issues);
      const secret = section.secret || templated.secretsUsed.length > 0 || holdsSecret(rendered.text);
      actions.push({
        kind: "write-file",
        path: `${dir.replace(/\/+$/, "")}/${file}`,
        reason: `config file from ${place}${secret && !section.secret ? " (uses secrets, so written with the secret mode)" : ""}`,
        source: place,
        content: rendered.text,
        mode: secret ? secretMode : defaultMode,
        secret,
        format: json ? "json" : section.format,
      });
    }
  }
  if (actions.length > 0) {
    actions.unshift({ kind: "ensure-dir", path: dir, reason: "the config files' directory", source: "config.dir", mode: 0o755 });
  }
  return { actions, issues };
}
