// Every product config file foyer has an option catalog for, by the file name the product reads.
import { CONNECT_GCFG } from "../connect/options.js";
import { PACKAGE_MANAGER_GCFG } from "../package-manager/options.js";
import { JUPYTER_CONF, POSITRON_CONF, VSCODE_CONF } from "../workbench/options/editors.js";
import { LAUNCHER_CONF, LAUNCHER_KUBERNETES_CONF, LAUNCHER_KUBERNETES_PROFILES_CONF } from "../workbench/options/launcher.js";
import { RSERVER_CONF } from "../workbench/options/rserver.js";
import { RSESSION_CONF } from "../workbench/options/rsession.js";
import { DATABASE_CONF, LOGGING_CONF } from "../workbench/options/server-files.js";
import type { FileCatalog } from "./catalog.js";

export const CATALOGS: readonly FileCatalog[] = [
  RSERVER_CONF,
  RSESSION_CONF,
  LAUNCHER_CONF,
  LAUNCHER_KUBERNETES_CONF,
  LAUNCHER_KUBERNETES_PROFILES_CONF,
  JUPYTER_CONF,
  VSCODE_CONF,
  POSITRON_CONF,
  DATABASE_CONF,
  LOGGING_CONF,
  CONNECT_GCFG,
  PACKAGE_MANAGER_GCFG,
];

/** The catalog for a config file, by its base name (`/etc/rstudio/rserver.conf` → rserver.conf). */
export function catalogFor(file: string): FileCatalog | undefined {
  const base = file.slice(file.lastIndexOf("/") + 1);
  return CATALOGS.find((c) => c.file === base);
}
