// Child for the fault-injection test: apply the plan in argv[2] (JSON actions) on the real system.
// It prints "go" just before applying so the parent can aim its SIGKILL inside the apply.
import { readFileSync } from "node:fs";
import { applyPlan, type Action } from "../../../src/plan/index.js";

const actions = JSON.parse(readFileSync(process.argv[2]!, "utf8")) as Action[];
process.stdout.write("go\n");
const started = process.hrtime.bigint();
const result = applyPlan(actions);
const ms = Number(process.hrtime.bigint() - started) / 1e6;
process.stdout.write(JSON.stringify({ ms, changed: result.changed.length }) + "\n");
