// What foyer knows about each chart: its profile, main program, port, licence, default paths, and
// the literal secrets its values can hold.
import { CONNECT_LICENCE, PACKAGE_MANAGER_LICENCE, WORKBENCH_LICENCE, type LicenceDef } from "../../products/licence/index.js";
import { get, isSet, type Obj } from "./values.js";

export type Chart = "workbench" | "connect" | "package-manager" | "jupyterhub";

export interface ChartFacts {
  profile: string;
  container: string;
  mainProgram: string;
  port: number;
  licence?: LicenceDef;
}

export const CHARTS: Record<Chart, ChartFacts> = {
  workbench: { profile: "workbench", container: "workbench", mainProgram: "rserver", port: 8787, licence: WORKBENCH_LICENCE },
  connect: { profile: "connect", container: "connect", mainProgram: "connect", port: 3939, licence: CONNECT_LICENCE },
  "package-manager": { profile: "package-manager", container: "package-manager", mainProgram: "rspm", port: 4242, licence: PACKAGE_MANAGER_LICENCE },
  jupyterhub: { profile: "jupyter-singleuser", container: "jupyter", mainProgram: "jupyter", port: 8888 },
};

export function volumeName(key: string): string {
  return key.replace(/Storage$/, "").replace(/[^a-z0-9]+/gi, "-").toLowerCase();
}

export function defaultStoragePath(chart: Chart, key: string): string {
  if (key === "homeStorage") return "/home";
  return { workbench: "/var/lib/rstudio-server", connect: "/var/lib/rstudio-connect", "package-manager": "/var/lib/rstudio-pm", jupyterhub: "/srv" }[chart];
}

export function defaultProbePath(chart: Chart): string {
  return chart === "workbench" ? "/health-check" : chart === "jupyterhub" ? "/api" : "/__ping__";
}

/** Literal secret values in the chart's config that would land in foyer.yaml. */
export function literalSecrets(values: Obj): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  if (isSet(get(values, "config.database.conf.value")))
    out.push(["config.database.conf.value", "a literal database.conf (with its password) is never copied into a spec: pass the password with pod.env valueFrom.secretKeyRef and write {{secret}} in config.secret.database.conf"]);
  for (const [section, keys] of [["Postgres", ["Password", "URL"]], ["Database", ["Password"]]] as const) {
    for (const k of keys) {
      const v = get(get(values, "config") as unknown, `${section}.${k}`);
      if (typeof v === "string" && (k === "Password" ? v !== "" : /:\/\/[^/@]*:[^/@]+@/.test(v)) && !v.includes("{{"))
        out.push([`config.${section}.${k}`, "a literal password is never copied into a spec: pass it with pod.env valueFrom.secretKeyRef (e.g. CONNECT_POSTGRES_PASSWORD) instead"]);
    }
  }
  return out;
}
