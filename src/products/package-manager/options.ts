// rstudio-pm.gcfg sections and options (Posit Package Manager). A subset: see `complete`.
//
// Sources: Posit Package Manager admin guide, configuration appendix
// (https://docs.posit.co/rspm/admin/appendix/configuration/; read by hand), the config of Posit's
// image (rstudio/rstudio-docker-products package-manager/rstudio-pm.gcfg @
// 02b945d1f599f820283b76aae6e8e906878f28b4) and the rstudio-pm chart's values and ci/
// (test/fixtures/charts/pm-*, each naming its commit).
import type { FileCatalog, SectionCatalog } from "../options/catalog.js";

const s = (name: string, keys: string): SectionCatalog => ({
  name,
  options: Object.fromEntries(keys.split(/\s+/).filter(Boolean).map((k) => [k, "string" as const])),
});

export const PACKAGE_MANAGER_GCFG: FileCatalog = {
  file: "rstudio-pm.gcfg",
  product: "package-manager",
  syntax: "gcfg",
  sources: [
    "https://docs.posit.co/rspm/admin/appendix/configuration/ (subset)",
    "rstudio/rstudio-docker-products package-manager/rstudio-pm.gcfg @ 02b945d1f599f820283b76aae6e8e906878f28b4",
    "rstudio/helm charts/rstudio-pm values.yaml, ci/ (test/fixtures/charts/pm-*)",
  ],
  complete: false,
  sections: [
    s("Server", "Address DataDir LauncherDir RVersion PythonVersion ServerName TempDir AccessLog AccessLogFormat"),
    s("HTTP", "Listen"),
    s("HTTPS", "Listen Certificate Key Permanent"),
    s("CRAN", "SyncSchedule"),
    s("Bioconductor", "SyncSchedule"),
    s("PyPI", "SyncSchedule"),
    s("Git", "PollInterval BuildRetries AllowUnsandboxedGitBuilds BuilderDir"),
    s("Metrics", "Enabled"),
    s("Launcher", "ServerUser AdminGroup"),
    s("Database", "Provider"),
    s("Postgres", "URL UsageDataURL"),
    s("SQLite", "Dir"),
    s("Storage", "Default"),
    s("S3Storage", "Bucket Prefix Region"),
    s("Authentication", "APITokenAuth"),
    s("Logging", ""),
    s("Debug", "Log"),
  ],
};
