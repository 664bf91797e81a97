// The Job Launcher's Kubernetes auto-configuration and the home-mount check, through the
// validation stage with a real service-account directory (files in a temp dir).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFileSync } from "node:child_process";

const mkfifoSync = (path: string): void => void execFileSync("mkfifo", [path]);
import { describe, expect, test } from "vitest";
import { SCOPES, validateForCommand } from "../../../src/check/index.js";
import { gatherInCluster } from "../../../src/check/in-cluster.js";
import { checkHomeMounts } from "../../../src/products/workbench/launcher-mounts.js";
import type { WriteFileAction } from "../../../src/plan/index.js";

const CA = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUexample\n-----END CERTIFICATE-----\n";
const K8S_ENV = { KUBERNETES_SERVICE_HOST: "10.96.0.1", KUBERNETES_SERVICE_PORT: "443" };

function serviceAccount(files: Record<string, string> = { token: "eyJhbGciOi.token.value", "ca.crt": CA, namespace: "posit\n" }): string {
  const dir = mkdtempSync(join(tmpdir(), "foyer-sa-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const stage = (yaml: string, env: Record<string, string>, serviceAccountDir: string) =>
  validateForCommand({
    load: { specFlag: "/spec.yaml", env, read: (p) => (p === "/spec.yaml" ? yaml : (() => { throw Object.assign(new Error("ENOENT"), { code: "ENOENT" }); })()), exists: (p) => p === "/spec.yaml" },
    scope: SCOPES.render,
    serviceAccountDir,
  });
const kubeConf = (actions: readonly { kind: string }[]) => (actions.filter((a) => a.kind === "write-file") as WriteFileAction[]).find((a) => a.path === "/etc/rstudio/launcher.kubernetes.conf");

describe("launcher.kubernetes.conf in a pod", () => {
  test("the chart's defaults in a pod: api-url, the token's path (never the token), the CA as base64, the namespace", async () => {
    const sa = serviceAccount();
    const v = await stage("profile: workbench\n", K8S_ENV, sa);
    const text = kubeConf(v.actions)!.content;
    expect(text).toBe(`api-url=https://10.96.0.1:443\nauth-token-path=${sa}/token\ncertificate-authority=${Buffer.from(CA).toString("base64")}\nkubernetes-namespace=posit\n`);
    expect(text).not.toContain("eyJhbGciOi");
    expect(v.warnings).toEqual([]);
  });

  test("the spec's own keys win; RSTUDIO_LAUNCHER_NAMESPACE (the chart's variable) beats the namespace file", async () => {
    const v = await stage("profile: workbench\nconfig:\n  server:\n    launcher.kubernetes.conf:\n      api-url: https://k8s.example:6443\n      use-templating: 1\n", { ...K8S_ENV, RSTUDIO_LAUNCHER_NAMESPACE: "sessions" }, serviceAccount());
    const text = kubeConf(v.actions)!.content;
    expect(text).toContain("api-url=https://k8s.example:6443\n");
    expect(text).not.toContain("10.96.0.1");
    expect(text).toContain("kubernetes-namespace=sessions\n");
    expect(text).toContain("use-templating=1\n");
  });

  test("not in a pod (no service env, or no token file), or a Local cluster: nothing is added", async () => {
    expect(kubeConf((await stage("profile: workbench\n", {}, serviceAccount())).actions)).toBeUndefined();
    expect(kubeConf((await stage("profile: workbench\n", K8S_ENV, serviceAccount({ "ca.crt": CA }))).actions)).toBeUndefined();
    const local = "profile: workbench\nconfig:\n  server:\n    launcher.conf:\n      cluster: {name: Local, type: Local}\n";
    expect(kubeConf((await stage(local, K8S_ENV, serviceAccount())).actions)).toBeUndefined();
  });

  test("hostile service-account files: a FIFO ca.crt does not hang, a namespace with a newline is not injected, an IPv6 host is bracketed", () => {
    const sa = serviceAccount({ token: "t", namespace: "evil\nauth-token=stolen" });
    mkfifoSync(join(sa, "ca.crt"));
    const facts = gatherInCluster({ KUBERNETES_SERVICE_HOST: "fd00::1", KUBERNETES_SERVICE_PORT: "443" }, sa);
    expect(facts).toEqual({ apiUrl: "https://[fd00::1]:443", tokenPath: `${sa}/token` });
    expect(gatherInCluster({ KUBERNETES_SERVICE_HOST: "h", KUBERNETES_SERVICE_PORT: "443\nx=1" }, sa)).toBeUndefined();
    expect(gatherInCluster({ KUBERNETES_SERVICE_HOST: "h\nauth-token=x", KUBERNETES_SERVICE_PORT: "443" }, sa)).toBeUndefined();
  });
});

describe("launcher-mounts of homes", () => {
  test("a home mounted where Workbench does not see it is a warning; the same path is fine", () => {
    expect(checkHomeMounts([{ MountType: "Host", Path: "/home", MountPath: "/home" }], "m")).toEqual([]);
    expect(checkHomeMounts([{ MountType: "KubernetesPersistentVolumeClaim", ClaimName: "homes", SubPath: "{USER}", MountPath: "/home/{USER}" }], "m")).toEqual([]);
    expect(checkHomeMounts([{ MountType: "Host", Path: "/shared", MountPath: "/shared" }], "m")).toEqual([]);
    const moved = checkHomeMounts([{ MountType: "NFS", Host: "nfs", Path: "/home/{USER}", MountPath: "/mnt/home/{USER}" }], "m");
    expect(moved).toEqual([expect.objectContaining({ path: "m[0]", message: expect.stringContaining("MountPath must equal Path") })]);
    const pvc = checkHomeMounts("MountType: KubernetesPersistentVolumeClaim\nClaimName: homes\nSubPath: {USER}\nMountPath: /users/{USER}\n", "m");
    expect(pvc[0]!.message).toContain("use MountPath: /home/{USER}");
  });

  test("through the stage: a warning at config.serverDcf.launcher-mounts", async () => {
    const v = await stage("profile: workbench\nconfig:\n  serverDcf:\n    launcher-mounts:\n      - {MountType: Host, Path: /home, MountPath: /users}\n", {}, serviceAccount());
    expect(v.warnings).toEqual([expect.objectContaining({ path: "config.serverDcf.launcher-mounts[0]" })]);
  });
});
