// Planning the generic `files:` entries: inline templates, template files (read by the caller
// beforehand, since the planner is pure) and verbatim content. A file whose template used a secret,
// or came from a template file others may not read, is marked secret and defaults to mode 0600.
import type { ConfigIssue } from "../errors.js";
import type { TemplateEngine } from "../render/index.js";
import type { FileEntry } from "../spec/schema.js";
import type { Action } from "./action.js";
import type { TemplateFileRead } from "./planner.js";

/** One write-file per `files:` entry (entries whose template could not be read are issues). */
export function planFiles(
  files: readonly FileEntry[],
  engine: TemplateEngine,
  templateFiles: ReadonlyMap<string, TemplateFileRead>,
  holdsSecret: (text: string) => boolean,
): { actions: Action[]; issues: ConfigIssue[] } {
  const actions: Action[] = [];
  const issues: ConfigIssue[] = [];
  files.forEach((f, i) => {
    const body = fileBody(f, i, engine, templateFiles);
    issues.push(...body.issues);
    if (body.text === undefined) return;
    const secret = f.hidden === true || body.secretsUsed.length > 0 || body.private === true || holdsSecret(body.text);
    actions.push({
      kind: "write-file",
      path: f.path,
      reason: `files[${i}] (${body.format}${f.templateFile ? ` ${f.templateFile}` : ""})`,
      source: `files[${i}]`,
      content: body.text,
      mode: f.mode ?? (secret ? 0o600 : 0o644),
      ...(f.owner ? { owner: f.owner } : {}),
      secret,
      ...(f.hidden ? { hidden: true } : {}),
      format: body.format,
    });
  });
  return { actions, issues };
}

function fileBody(
  f: FileEntry,
  i: number,
  engine: TemplateEngine,
  templateFiles: ReadonlyMap<string, TemplateFileRead>,
): { text?: string; issues: ConfigIssue[]; secretsUsed: string[]; format: string; private?: boolean } {
  if (f.content !== undefined) return { text: f.content, issues: [], secretsUsed: [], format: "content" };
  if (f.template !== undefined) return { ...engine.render(f.template, `files[${i}].template`), format: "template" };
  const path = f.templateFile!;
  const read = templateFiles.get(path);
  if (!read || !read.ok) {
    const why = read ? read.error : "it was not read before planning";
    return { issues: [{ path: `files[${i}].templateFile`, message: `cannot read template file ${path}: ${why}` }], secretsUsed: [], format: "template" };
  }
  return { ...engine.render(read.content, `files[${i}].templateFile`, path), format: "template", ...(read.private ? { private: true } : {}) };
}
