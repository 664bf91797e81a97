// database.conf and logging.conf (Posit Workbench).
//
// Sources: the Workbench admin guide (https://docs.posit.co/ide/server-pro/admin/database/ and
// .../server_management/logging.html; read by hand, a subset), the rstudio-workbench chart's
// examples (rstudio/helm charts/rstudio-workbench/examples/recommended, database.conf), Posit's
// images (rstudio/rstudio-docker-products server-pro/conf/logging.conf @ a6c1c3d3b073) and the
// Launcher plugin SDK's file-logger options (https://docs.posit.co/rlps/apiref/, FileLogOptions:
// directory, file mode, max size, rotation days, max rotations, deletion days, rotate, include
// pid, warn syslog), which logging.conf's file-logger keys configure.
import type { FileCatalog } from "../../options/catalog.js";

export const DATABASE_CONF: FileCatalog = {
  file: "database.conf",
  product: "workbench",
  syntax: "ini",
  sources: ["https://docs.posit.co/ide/server-pro/admin/database/ (subset)", "rstudio/helm charts/rstudio-workbench/examples (database.conf)"],
  complete: false,
  top: {
    provider: "string",
    directory: "string",
    database: "string",
    host: "string",
    port: "int",
    username: "string",
    password: "string",
    "connection-uri": "string",
    "connection-timeout-seconds": "int",
    "pool-size": "int",
  },
};

export const LOGGING_CONF: FileCatalog = {
  file: "logging.conf",
  product: "workbench",
  syntax: "ini",
  sources: [
    "https://docs.posit.co/ide/server-pro/admin/server_management/logging.html (subset)",
    "rstudio/rstudio-docker-products server-pro/conf/logging.conf @ a6c1c3d3b073c5af9b78543cd65f1e5e5d68a3f5",
    "https://docs.posit.co/rlps/apiref/ (FileLogOptions)",
  ],
  complete: false,
  // `[*]`, `[@rserver]`, `[@rsession]`, `[file-locking]`…: every section takes the same keys.
  anySection: {
    "log-level": "string",
    "logger-type": "string",
    "log-message-format": "string",
    "log-dir": "string",
    "log-file-name": "string",
    "log-file-mode": "string",
    "log-file-include-pid": "bool",
    rotate: "bool",
    "max-size-mb": "float",
    "rotate-days": "int",
    "max-rotations": "int",
    "delete-days": "int",
    "warn-syslog": "bool",
  },
};
