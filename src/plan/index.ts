// The plan/apply engine: Actions (data), the pure init planner, the idempotent atomic executor,
// plan printing, and `render --out`.
export { ActionSchema, octal } from "./action.js";
export type { Action, ActionKind, WriteFileAction, EnsureDirAction, SymlinkAction, ChownAction, ChmodAction, MergeJsonAction, RunCommandAction } from "./action.js";
export { planInit, templateFilePaths } from "./planner.js";
export type { PlanInput, PlanResult, TemplateFileRead } from "./planner.js";
export { validatePlan, checkPath } from "./validate.js";
export { compareAction } from "./compare.js";
export type { FileState, Verdict } from "./compare.js";
export { observe, observePath, readTemplateFiles } from "./observe.js";
export type { Observed } from "./observe.js";
export { applyPlan } from "./executor.js";
export type { ApplySys, ApplyResult } from "./executor.js";
export { checkOwners, ownerSpecOf } from "./owners.js";
export type { OwnerIds } from "./owners.js";
export { formatPlan, planJson } from "./format.js";
export { renderTo } from "./render-to.js";
export { realFs } from "./fsops.js";
export type { FsOps } from "./fsops.js";
