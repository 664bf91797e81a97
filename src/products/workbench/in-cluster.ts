// The Job Launcher's Kubernetes container auto-configuration (seed 001 §3.1.1), as data: when the
// pod has an in-cluster API and launcher.conf has a Kubernetes cluster, launcher.kubernetes.conf
// gets api-url, auth-token-path, certificate-authority and kubernetes-namespace from the gathered
// facts, under whatever the spec sets itself (the spec's keys win). Pure.
import { isMap } from "../../render/index.js";
import type { KubernetesInCluster } from "../product.js";
import type { WorkbenchConfig } from "./schema.js";

const FILE = "launcher.kubernetes.conf";

/** The config with launcher.kubernetes.conf filled from the in-cluster facts (unchanged when they do not apply). */
export function withInClusterLauncher(config: WorkbenchConfig, k8s: KubernetesInCluster | undefined): WorkbenchConfig {
  if (!k8s || !hasKubernetesCluster(config.server?.["launcher.conf"])) return config;
  const own = config.server?.[FILE];
  // a verbatim text body is the user's whole file: left as written
  if (typeof own === "string" || Array.isArray(own)) return config;
  const auto: Record<string, unknown> = {
    "api-url": k8s.apiUrl,
    "auth-token-path": k8s.tokenPath,
    ...(k8s.caBase64 ? { "certificate-authority": k8s.caBase64 } : {}),
    ...(k8s.namespace ? { "kubernetes-namespace": k8s.namespace } : {}),
  };
  // auth-token (the value) set by the user replaces the path, as the plugin reads one or the other
  if (own && "auth-token" in own) delete auto["auth-token-path"];
  return { ...config, server: { ...config.server, [FILE]: { ...auto, ...(own ?? {}) } } };
}

/** Whether launcher.conf declares a cluster of type Kubernetes (a [cluster] map, a list of them, or text). */
function hasKubernetesCluster(body: unknown): boolean {
  if (typeof body === "string") return /^\s*type\s*=\s*Kubernetes\s*$/m.test(body);
  if (!isMap(body)) return false;
  const clusters = body.cluster;
  const list = Array.isArray(clusters) ? clusters : [clusters];
  return list.some((c) => isMap(c) && c.type === "Kubernetes");
}
