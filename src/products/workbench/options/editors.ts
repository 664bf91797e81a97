// Session-kind config files: jupyter.conf, vscode.conf, positron.conf (Posit Workbench).
//
// Sources: the Workbench admin guide's reference pages
// (https://docs.posit.co/ide/server-pro/admin/reference/jupyter_conf.html, vscode_conf.html,
// positron_conf.html; read by hand, a subset), the session-kind configs of Posit's images
// (rstudio/rstudio-docker-products workbench/conf/jupyter.conf @ 152d97158e8b, vscode.conf @
// 1ae88a2cb30a, workbench-for-google-cloud-workstations/conf/positron.conf @ 7f2f3661595b), the
// rstudio-workbench chart's values.yaml (rstudio/helm @ 000575adfeb2) and posit-dev
// team-operator's Workbench config types.
import type { FileCatalog, OptionTable } from "../../options/catalog.js";

/** Options every launcher-started session kind takes. */
const LAUNCHED: OptionTable = {
  "default-session-cluster": "string",
  "default-session-container-image": "string",
  "session-clusters": "string",
  "session-container-images": "string",
  "session-no-profile": "bool",
};

const SOURCES = [
  "https://docs.posit.co/ide/server-pro/admin/reference/ (jupyter_conf, vscode_conf, positron_conf; subset)",
  "rstudio/rstudio-docker-products workbench/conf/ @ 152d97158e8b081d11e74a7ab8ad34cb5e9e21bf",
  "rstudio/helm charts/rstudio-workbench/values.yaml @ 000575adfeb28021da66c98aa2ffb10cd63c5bd0",
];

export const JUPYTER_CONF: FileCatalog = {
  file: "jupyter.conf",
  product: "workbench",
  syntax: "ini",
  sources: SOURCES,
  complete: false,
  top: {
    ...LAUNCHED,
    "jupyter-exe": "string",
    "notebooks-enabled": "bool",
    "labs-enabled": "bool",
    "lab-version": "string",
    "notebook-version": "string",
    "lab-args": "string",
    "notebook-args": "string",
    "session-cull-minutes": "int",
    "session-shutdown-minutes": "int",
    "session-cull-connected": "bool",
  },
};

/** VS Code and Positron sessions take the same options (Positron is a VS Code fork). */
const CODE_SERVER: OptionTable = {
  ...LAUNCHED,
  enabled: "bool",
  exe: "string",
  args: "string",
  "user-data-dir": "string",
  "allow-file-downloads": "bool",
  "allow-file-uploads": "bool",
  "session-timeout-kill-hours": "int",
};

export const VSCODE_CONF: FileCatalog = {
  file: "vscode.conf",
  product: "workbench",
  syntax: "ini",
  sources: SOURCES,
  complete: false,
  top: { ...CODE_SERVER, "vscode-session-path": "string" },
};

export const POSITRON_CONF: FileCatalog = {
  file: "positron.conf",
  product: "workbench",
  syntax: "ini",
  sources: [...SOURCES, "rstudio/rstudio-docker-products workbench-for-google-cloud-workstations/conf/positron.conf @ 7f2f3661595bd15f08e50beec0463ccc16db9e72"],
  complete: false,
  top: { ...CODE_SERVER, "positron-session-path": "string" },
};
