// Workbench's generated state: the secure cookie key and the launcher's key pair, created once if
// missing and never overwritten, 0600 for the service user. Posit's images must not carry them
// (workbench/test/pre-start.yaml: baked-in keys are shared by every container of the image); the
// chart keeps them in a Kubernetes Secret. Where they live: rserver.conf's secure-cookie-key-file
// (else rserver's default), and launcher.pem/launcher.pub in the config dir.
import type { Action } from "../../plan/action.js";
import { isMap } from "../../render/index.js";
import type { WorkbenchConfig } from "./schema.js";
import { WORKBENCH_SERVICE_USER } from "./service-user.js";

/** rserver's default secure-cookie-key-file. */
export const DEFAULT_SECURE_COOKIE_KEY = "/var/lib/rstudio-server/secure-cookie-key";

export function generatedState(config: WorkbenchConfig, configDir: string): Action[] {
  const owner = `${WORKBENCH_SERVICE_USER.uid}:${WORKBENCH_SERVICE_USER.gid}`;
  const rserver = config.server?.["rserver.conf"];
  const cookieOption = isMap(rserver) ? rserver["secure-cookie-key-file"] : undefined;
  const cookie = typeof cookieOption === "string" && cookieOption.startsWith("/") ? cookieOption : DEFAULT_SECURE_COOKIE_KEY;
  const dir = configDir.replace(/\/+$/, "");
  return [
    {
      kind: "generate-file",
      path: cookie,
      reason: "Workbench's secure cookie key: generated once, kept across restarts (put its directory on a volume)",
      source: "config.server.rserver.conf.secure-cookie-key-file",
      generator: "uuid",
      mode: 0o600,
      owner,
    },
    {
      kind: "generate-file",
      path: `${dir}/launcher.pem`,
      reason: "the Job Launcher's key pair (rserver signs with launcher.pem, the launcher verifies with launcher.pub): generated once, never overwritten",
      source: "config.dir",
      generator: "rsa-key-pair",
      publicPath: `${dir}/launcher.pub`,
      mode: 0o600,
      publicMode: 0o644,
      owner,
    },
  ];
}
