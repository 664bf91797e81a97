// How each Posit product is licensed in Posit's own images (rstudio/rstudio-docker-products
// workbench|connect|package-manager/startup.sh; their successors posit-dev/images-workbench
// workbench/2026.04/scripts/startup.sh @ 76b21305c732, posit-dev/images-connect
// connect/2026.09/scripts/startup.sh @ 1c4cb45b68fd, posit-dev/images-package-manager
// package-manager/2026.06/scripts/startup.sh @ bb8ab935906b, whose new prefixes come first):
// which env vars carry a key, a licence server or a licence file path (first set wins), where a
// licence file is copied, and which license-manager binary activates and deactivates.

/** One product's licensing, as its image's startup.sh does it. */
export interface LicenceDef {
  /** the product's name in messages */
  product: string;
  /** env vars holding a product key, tried in order (each with its _FILE twin) */
  key: readonly string[];
  /** env vars holding a licence server address, tried in order */
  server: readonly string[];
  /** env vars naming a licence file, tried in order */
  filePath: readonly string[];
  /** the licence file used when no filePath var is set (only if it exists) */
  defaultFile: string;
  /**
   * where the licence file is copied (0600, owned by `owner`), where the product reads it; a file
   * named inside this directory already is used where it is (a mounted secret is not rewritten)
   */
  installedFile: string;
  /** the service user that owns the copied file (and, with `userspace`, runs license-manager) */
  owner: string;
  licenseManager: string;
  /** Package Manager runs unprivileged: `initialize --userspace`, then every command with `--userspace` as `owner` */
  userspace: boolean;
  /** the programs that need the licence: they start after the activation */
  servers: readonly string[];
}

export const WORKBENCH_LICENCE: LicenceDef = {
  product: "Posit Workbench",
  // posit-dev/images-workbench: PWB_LICENSE=${PWB_LICENSE:-${RSW_LICENSE:-${RSP_LICENSE}}}
  key: ["PWB_LICENSE", "RSW_LICENSE", "RSP_LICENSE"],
  server: ["PWB_LICENSE_SERVER", "RSW_LICENSE_SERVER", "RSP_LICENSE_SERVER"],
  // RSW_LICENSE_FILE_PATH=${RSW_LICENSE_FILE_PATH:-${RSP_LICENSE_FILE_PATH:-/etc/rstudio-server/license.lic}}
  filePath: ["PWB_LICENSE_FILE_PATH", "RSW_LICENSE_FILE_PATH", "RSP_LICENSE_FILE_PATH"],
  defaultFile: "/etc/rstudio-server/license.lic",
  installedFile: "/var/lib/rstudio-server/license.lic",
  owner: "rstudio-server",
  licenseManager: "/usr/lib/rstudio-server/bin/license-manager",
  userspace: false,
  servers: ["rserver"],
};

export const CONNECT_LICENCE: LicenceDef = {
  product: "Posit Connect",
  // PCT_LICENSE=${PCT_LICENSE:-$RSC_LICENSE}
  key: ["PCT_LICENSE", "RSC_LICENSE"],
  server: ["PCT_LICENSE_SERVER", "RSC_LICENSE_SERVER"],
  filePath: ["PCT_LICENSE_FILE_PATH", "RSC_LICENSE_FILE_PATH"],
  defaultFile: "/etc/rstudio-connect/license.lic",
  installedFile: "/var/lib/rstudio-connect/license.lic",
  // Connect's server runs as root (it drops to rstudio-connect for content only)
  owner: "root",
  licenseManager: "/opt/rstudio-connect/bin/license-manager",
  userspace: false,
  servers: ["connect"],
};

export const PACKAGE_MANAGER_LICENCE: LicenceDef = {
  product: "Posit Package Manager",
  // PPM_LICENSE=${PPM_LICENSE:-$RSPM_LICENSE}
  key: ["PPM_LICENSE", "RSPM_LICENSE"],
  server: ["PPM_LICENSE_SERVER", "RSPM_LICENSE_SERVER"],
  filePath: ["PPM_LICENSE_FILE_PATH", "RSPM_LICENSE_FILE_PATH"],
  defaultFile: "/etc/rstudio-pm/license.lic",
  // the data dir the image creates for rstudio-pm; older images used ~/.rstudio-pm
  installedFile: "/var/lib/rstudio-pm/license.lic",
  owner: "rstudio-pm",
  licenseManager: "/opt/rstudio-pm/bin/license-manager",
  userspace: true,
  servers: ["rspm"],
};

