// Product presets compiled into the binary (profiles/*.yaml are bundled as text).
import workbench from "../../profiles/workbench.yaml";
import connect from "../../profiles/connect.yaml";
import packageManager from "../../profiles/package-manager.yaml";
import rstudioSession from "../../profiles/rstudio-session.yaml";
import jupyterSingleuser from "../../profiles/jupyter-singleuser.yaml";

/** Preset name → YAML text. */
export const PROFILES: Readonly<Record<string, string>> = {
  workbench,
  connect,
  "package-manager": packageManager,
  "rstudio-session": rstudioSession,
  "jupyter-singleuser": jupyterSingleuser,
};
