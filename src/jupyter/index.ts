// Jupyter: docker-stacks start.sh compatibility and JupyterHub single-user conventions.
export { JupyterSchema, type JupyterSpec } from "./schema.js";
export { dockerStacks, type DockerStacksInput, type DockerStacksResult } from "./docker-stacks.js";
export { prepareJupyter, systemJupyterFacts, type JupyterPrepared, type JupyterFacts } from "./prepare.js";
