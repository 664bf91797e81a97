// The facts of the Job Launcher's Kubernetes container auto-configuration (seed 001 §3.1.1), read
// before planning so the plan stays pure: KUBERNETES_SERVICE_HOST/PORT and the pod's
// service-account files. Only the token's path is kept: the token itself is never read or copied.
import { existsSync } from "node:fs";
import type { KubernetesInCluster } from "../products/product.js";
import { readRegularFile } from "./read-regular.js";

/** Where Kubernetes mounts the pod's service account. */
export const SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";
/** A CA bundle or a namespace is small; anything bigger is not what Kubernetes mounts. */
const MAX_FILE_BYTES = 1 << 20;

/**
 * The in-cluster API, when the pod has one: the service env vars and the token file. ca.crt
 * becomes base64 of the file (the seed's "Base64-encoded value of ca.crt"); the namespace is the
 * chart's RSTUDIO_LAUNCHER_NAMESPACE when set, else the service account's namespace file.
 */
export function gatherInCluster(env: Readonly<Record<string, string | undefined>>, dir = SERVICE_ACCOUNT_DIR): KubernetesInCluster | undefined {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  // a host or port that is not one would write extra lines into launcher.kubernetes.conf
  if (!host || !port || !/^\d{1,5}$/.test(port) || !/^[A-Za-z0-9.:-]+$/.test(host)) return undefined;
  const tokenPath = `${dir}/token`;
  if (!existsSync(tokenPath)) return undefined;
  const facts: KubernetesInCluster = { apiUrl: `https://${host.includes(":") ? `[${host}]` : host}:${port}`, tokenPath };
  const ca = readRegularFile(`${dir}/ca.crt`, MAX_FILE_BYTES);
  if (ca.ok && ca.text.length > 0) facts.caBase64 = Buffer.from(ca.text, "utf8").toString("base64");
  const namespace = env.RSTUDIO_LAUNCHER_NAMESPACE || readNamespace(`${dir}/namespace`);
  if (namespace) facts.namespace = namespace;
  return facts;
}

function readNamespace(path: string): string | undefined {
  const r = readRegularFile(path, MAX_FILE_BYTES);
  const ns = r.ok ? r.text.trim() : "";
  // a namespace is a DNS label: anything else would inject lines into the config file
  return /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(ns) ? ns : undefined;
}
