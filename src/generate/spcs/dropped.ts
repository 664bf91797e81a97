// The chart keys that configure Kubernetes objects SPCS does not have: reported as dropped,
// never copied (DESIGN.md: no init containers, no privileged mode, no Kubernetes API).
import type { Chart, Dropped } from "./generate.js";
import { get, isObj, isSet } from "./values.js";

/** Chart keys that configure Kubernetes objects SPCS does not have. */
const KUBERNETES_ONLY: Record<string, string> = {
  securityContext: "SPCS containers are never privileged and take no security context",
  "pod.securityContext": "SPCS containers are never privileged and take no security context",
  initContainers: "SPCS has no init containers: foyer runs the init phase in the entrypoint",
  ingress: "SPCS ingress is the service's public endpoint",
  rbac: "SPCS has no Kubernetes API, roles or service accounts",
  serviceAccount: "SPCS has no Kubernetes service accounts",
  service: "the SPCS endpoint replaces the Kubernetes Service",
  strategy: "SPCS upgrades with ALTER SERVICE, not rolling updates",
  affinity: "SPCS places instances in the compute pool",
  nodeSelector: "SPCS places instances in the compute pool",
  tolerations: "SPCS places instances in the compute pool",
  topologySpreadConstraints: "SPCS places instances in the compute pool",
  priorityClassName: "SPCS has no pod priorities",
  podDisruptionBudget: "SPCS has no disruption budgets",
  livenessProbe: "SPCS has a readiness probe only",
  startupProbe: "SPCS has a readiness probe only",
  "pod.volumes": "Kubernetes volumes: declare storage in spcs.storage",
  "pod.volumeMounts": "Kubernetes volume mounts: declare storage in spcs.storage",
  "pod.sidecar": "a sidecar is a second container: not generated",
  "pod.annotations": "SPCS has no pod annotations",
  "pod.labels": "SPCS has no pod labels",
  "pod.lifecycle": "SPCS has no lifecycle hooks: foyer's hooks and downs run at start and stop",
  "pod.hostAliases": "SPCS has no host aliases",
  serviceMonitor: "SPCS exports metrics with platformMonitor, not a Prometheus Operator",
  prometheusExporter: "a sidecar container: not generated",
  extraObjects: "Kubernetes objects",
  sealedSecret: "Kubernetes objects: secrets are Snowflake secrets here",
  "hub.networkPolicy": "Kubernetes network policy: SPCS egress goes through an external access integration",
  "singleuser.networkPolicy": "Kubernetes network policy: SPCS egress goes through an external access integration",
  proxy: "the SPCS endpoint replaces JupyterHub's proxy",
  scheduling: "SPCS places instances in the compute pool",
  cull: "idle culling runs in the hub, which SPCS does not run here",
  "hub.image": "the service runs the single-user image (SPCS has no Kubernetes API for the hub's spawner)",
};


/** Every Kubernetes-only key the values set (a key switched off with `enabled: false` is not). */
export function droppedKeys(values: Record<string, unknown>, chart: Chart): Dropped[] {
  const dropped: Dropped[] = [];
  for (const [path, reason] of Object.entries(KUBERNETES_ONLY)) {
    const v = get(values, path);
    if (!isSet(v)) continue;
    if (isObj(v) && v.enabled === false) continue;
    if (path === "hub.image" && chart === "jupyterhub" && !isObj(get(values, "singleuser.image"))) continue;
    dropped.push({ path, reason });
  }
  for (const kind of ["requests", "limits"]) {
    for (const key of ["ephemeralStorage", "ephemeral-storage"]) {
      if (isSet(get(values, `resources.${kind}.${key}`))) dropped.push({ path: `resources.${kind}.${key}`, reason: "SPCS has no ephemeral-storage resource" });
    }
  }
  return dropped;
}
