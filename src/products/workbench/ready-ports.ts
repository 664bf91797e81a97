// The preset probes the chart's ports (rserver's www-port 8787, the launcher's 5559); a spec that
// moves a port in rserver.conf or launcher.conf but not the probe would wait the whole readiness
// timeout and then stop. Said at validation instead (as for Connect and Package Manager).
import type { ConfigIssue } from "../../errors.js";
import { isMap } from "../../render/index.js";
import type { Spec } from "../../spec/schema.js";
import type { WorkbenchConfig } from "./schema.js";

export function checkReadyPorts(config: WorkbenchConfig, spec: Spec | undefined): ConfigIssue[] {
  if (!spec) return [];
  const issues: ConfigIssue[] = [];
  const rserver = config.server?.["rserver.conf"];
  const wwwPort = isMap(rserver) ? rserver["www-port"] : undefined;
  const probe = spec.programs.rserver?.ready?.http;
  if ((typeof wwwPort === "number" || typeof wwwPort === "string") && probe) {
    const url = new URL(probe);
    const probed = url.port || (url.protocol === "https:" ? "443" : "80");
    if (String(wwwPort) !== probed) {
      issues.push({ path: "config.server.rserver.conf.www-port", message: `rserver listens on port ${wwwPort} but programs.rserver.ready.http probes port ${probed} (${probe}): it would never be ready; set programs.rserver.ready.http to the same port` });
    }
  }
  const launcher = config.server?.["launcher.conf"];
  const server = isMap(launcher) && isMap(launcher.server) ? launcher.server : undefined;
  const launcherPort = server?.port;
  const tcp = spec.programs.launcher?.ready?.tcp;
  if ((typeof launcherPort === "number" || typeof launcherPort === "string") && tcp && String(launcherPort) !== String(tcp.port)) {
    issues.push({ path: "config.server.launcher.conf.server.port", message: `the launcher listens on port ${launcherPort} but programs.launcher.ready.tcp probes port ${tcp.port}: it would never be ready; set programs.launcher.ready.tcp to the same port` });
  }
  return issues;
}
