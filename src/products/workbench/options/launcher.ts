// Job Launcher options: launcher.conf, launcher.kubernetes.conf, launcher.kubernetes.profiles.conf.
//
// Sources:
// - ../shared/seeds/001_14ba014ef6bf2bde.txt, "Posit Job Launcher Kubernetes plugin reference"
//   (3.1 Configuration and 3.1.2 User and Group Profiles tables): every launcher.kubernetes.conf
//   option and every profiles option, with the defaults below. The tables give no types; the
//   types are read from each description ("Can be 1 (enabled) or 0 (disabled)" → bool, "Number
//   of CPUs … 0.0" → float, "Comma-separated string" → list, "Number of … GPUs … 0" → int).
// - The request/limit options of newer Launchers (`default-cpus-request`, `resource-profiles`,
//   `allow-custom-resources`…) as Posit's own Kubernetes operator writes them
//   (posit-dev team-operator, Workbench profiles config): listed in PROFILE_OPTIONS with `newer`.
// - launcher.conf: the Job Launcher admin guide's Server and Cluster option tables
//   (https://docs.posit.co/job-launcher/1.4.1717-3/, https://docs.posit.co/ide/server-pro/admin/reference/launcher_conf.html)
//   and rstudio/rstudio-docker-products workbench/conf/launcher.conf @ 40ff245e780b.
import type { FileCatalog, OptionType } from "../../options/catalog.js";

export interface ProfileOption {
  type: OptionType;
  /** the product's default when no section sets it (the seed's "Default Value" column); none for `newer` options */
  default?: string;
  /** true for options of newer Launchers that the seed's table does not list */
  newer?: boolean;
}

/** Every launcher.kubernetes.profiles.conf option, in the seed table's order. */
export const PROFILE_OPTIONS: Readonly<Record<string, ProfileOption>> = {
  "container-images": { type: "list", default: "" },
  "default-container-image": { type: "string", default: "" },
  "allow-unknown-images": { type: "bool", default: "1" },
  "placement-constraints": { type: "list", default: "" },
  "default-cpus": { type: "float", default: "0.0" },
  "default-mem-mb": { type: "float", default: "0.0" },
  "max-cpus": { type: "float", default: "0.0" },
  "max-mem-mb": { type: "float", default: "0.0" },
  "job-json-overrides": { type: "list", default: "" },
  "cpu-request-ratio": { type: "float", default: "1.0" },
  "memory-request-ratio": { type: "float", default: "1.0" },
  "default-nvidia-gpus": { type: "int", default: "0" },
  "default-amd-gpus": { type: "int", default: "0" },
  "max-nvidia-gpus": { type: "int", default: "0" },
  "max-amd-gpus": { type: "int", default: "0" },
  "default-cpus-request": { type: "float", newer: true },
  "default-mem-mb-request": { type: "float", newer: true },
  "max-cpus-request": { type: "float", newer: true },
  "max-mem-mb-request": { type: "float", newer: true },
  "resource-profiles": { type: "list", newer: true },
  "allow-custom-resources": { type: "bool", newer: true },
};

export const LAUNCHER_KUBERNETES_PROFILES_CONF: FileCatalog = {
  file: "launcher.kubernetes.profiles.conf",
  product: "workbench",
  syntax: "ini",
  sources: ["../shared/seeds/001_14ba014ef6bf2bde.txt §3.1.2", "posit-dev team-operator (Workbench profiles config: request options)"],
  complete: true,
  anySection: Object.fromEntries(Object.entries(PROFILE_OPTIONS).map(([k, o]) => [k, o.type])),
};

export const LAUNCHER_KUBERNETES_CONF: FileCatalog = {
  file: "launcher.kubernetes.conf",
  product: "workbench",
  syntax: "ini",
  sources: ["../shared/seeds/001_14ba014ef6bf2bde.txt §3.1"],
  complete: true,
  top: {
    "server-user": "string",
    "thread-pool-size": "int",
    "enable-debug-logging": "bool",
    "scratch-path": "string",
    "logging-dir": "string",
    "job-expiry-hours": "int",
    "profile-config": "string",
    "api-url": "string",
    "auth-token-path": "string",
    "auth-token": "string",
    "kubernetes-namespace": "string",
    "shared-process-namespace": "bool",
    "verify-ssl-certs": "bool",
    "certificate-authority": "string",
    "watch-timeout-seconds": "int",
    "fetch-limit": "int",
    "use-templating": "bool",
  },
};

export const LAUNCHER_CONF: FileCatalog = {
  file: "launcher.conf",
  product: "workbench",
  syntax: "ini",
  sources: [
    "https://docs.posit.co/job-launcher/1.4.1717-3/ (Server and Cluster options)",
    "https://docs.posit.co/ide/server-pro/admin/reference/launcher_conf.html",
    "rstudio/rstudio-docker-products workbench/conf/launcher.conf @ 40ff245e780b571703d188d8eb098fdc4eadfc2a",
  ],
  complete: false,
  sections: [
    {
      name: "server",
      options: {
        address: "string",
        port: "string",
        "enable-ssl": "bool",
        "certificate-file": "string",
        "certificate-key-file": "string",
        "server-user": "string",
        "authorization-enabled": "bool",
        "admin-group": "string",
        "thread-pool-size": "int",
        "request-timeout-seconds": "int",
        "bootstrap-timeout-seconds": "int",
        "max-message-size": "int",
        "enable-debug-logging": "bool",
        "scratch-path": "string",
        "secure-cookie-key-file": "string",
        unprivileged: "bool",
        "enable-cgroups": "bool",
        "logging-dir": "string",
      },
    },
    { name: "cluster", options: { name: "string", type: "string", exe: "string", "config-file": "string", "allowed-groups": "string" } },
  ],
};
