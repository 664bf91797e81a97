// The validation stage every command runs before any write (see stage.ts), made of small pure
// checks over facts gathered once.
export { validateForCommand, runChecks, SCOPES, type CheckScope, type Validated, type StageOptions, type CheckInput } from "./stage.js";
export { gatherFacts, type Facts, type GatherOptions } from "./gather.js";
export { observeDisk, checkPlanOnDisk, plannedDirs, observedPathOf, type DiskFacts } from "./disk.js";
export { checkContradictions, checkEnvTemplates, checkProgramSecrets, checkMainName, checkProgramOrder, checkUnusedSecrets } from "./spec-checks.js";
export { checkRunAsUsers, checkPrivileges, checkDirs, checkHealthPort, neededDirs, type PathKind, type PortFact, type DirFacts, type SelfIds } from "./system-checks.js";
