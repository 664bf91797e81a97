// The mode of each kind of Workbench file: the chart's `config.defaultMode` map (its values.yaml
// defaults are in profiles/workbench.yaml), or a single mode (foyer's older form: every file that
// holds no secret; secret files stay 0600).
import type { DefaultModes, WorkbenchConfig } from "./schema.js";

export type ModeKind = keyof DefaultModes;

/** The chart's defaults, used for a kind the spec leaves out (values.yaml @ 000575adfeb2). */
export const CHART_DEFAULT_MODES: Readonly<Record<ModeKind, number>> = {
  server: 0o644,
  session: 0o644,
  sessionSecret: 0o420,
  secret: 0o600,
  userProvisioning: 0o600,
  jobJsonOverrides: 0o644,
  startup: 0o755,
  prestart: 0o755,
  pam: 0o644,
};

const SECRET_KINDS: ReadonlySet<ModeKind> = new Set(["secret", "sessionSecret", "userProvisioning"]);

/** The mode for files of one kind. */
export function modeFor(config: WorkbenchConfig | undefined, kind: ModeKind): number {
  const modes = config?.defaultMode;
  if (typeof modes === "number") return SECRET_KINDS.has(kind) ? CHART_DEFAULT_MODES[kind] : modes;
  return modes?.[kind] ?? CHART_DEFAULT_MODES[kind];
}
