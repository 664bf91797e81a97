// Zero to JupyterHub values → one SPCS container running the single-user image: the hub's cookie
// secret and extraEnv secrets (object-store keys) as Snowflake secrets, the hub's SQLite database
// and the users' homes on block volumes (SPCS has no Kubernetes API for the hub's spawner).
import type { Generation } from "./generate.js";
import { get, isObj, isSet, type Obj } from "./values.js";
// --- Zero to JupyterHub ---

export function mapJupyterhub(g: Generation): void {
  const v = g.values;
  const hubSecret = get(v, "hub.existingSecret");
  if (isSet(hubSecret)) {
    const name = String(hubSecret);
    const s = g.spcs.secrets[name];
    if (!s) g.issues.push({ path: "hub.existingSecret", message: `no spcs.secrets.${name}: name the Snowflake secret that holds the hub's cookie secret` });
    else g.secretEnv("cookie-secret", s, "secret_string", "JPY_COOKIE_SECRET", "hub.existingSecret", true, name);
  }
  if (isSet(get(v, "hub.cookieSecret")) || isSet(get(v, "hub.config.JupyterHub.cookie_secret")))
    g.issues.push({ path: isSet(get(v, "hub.cookieSecret")) ? "hub.cookieSecret" : "hub.config.JupyterHub.cookie_secret", message: "a literal cookie secret is never copied into a spec: put it in a Snowflake secret and name it with hub.existingSecret + spcs.secrets" });
  g.podEnv(get(v, "hub.extraEnv"), "hub.extraEnv");
  g.podEnv(get(v, "singleuser.extraEnv"), "singleuser.extraEnv");
  const db = get(v, "hub.db");
  if (isObj(db)) {
    if (db.type === "sqlite-pvc") g.volume("hub.db", "hub-db", "/srv/jupyterhub", get(db, "pvc.storage") ?? "1Gi", true);
    else if (db.type === "sqlite-memory") g.warnings.push({ path: "hub.db.type", message: "sqlite-memory: the hub's database is lost on every restart" });
    else if (isSet(db.url)) g.issues.push({ path: "hub.db.url", message: "a database URL holds its password: give it through hub.extraEnv valueFrom.secretKeyRef (JUPYTERHUB_DB_URL) instead" });
  }
  const storage = get(v, "singleuser.storage");
  if (isObj(storage) && storage.type !== "none") {
    if (storage.type === "dynamic" || storage.type === "static" || storage.type === undefined)
      g.volume("singleuser.storage", "home", String(storage.homeMountPath ?? "/home/jovyan"), storage.capacity ?? "10Gi", false);
    for (const k of ["extraVolumes", "extraVolumeMounts"]) if (isSet(storage[k])) g.dropped.push({ path: `singleuser.storage.${k}`, reason: "Kubernetes volumes: declare storage in spcs.storage" });
  }
  const limit = (k: string) => get(v, `singleuser.${k}.limit`);
  const guarantee = (k: string) => get(v, `singleuser.${k}.guarantee`);
  const res: Obj = {};
  const pick = (f: (k: string) => unknown) => {
    const o: Obj = {};
    if (f("memory") !== undefined) o.memory = String(f("memory")).replace(/^(\d+(\.\d+)?)([KMGT])$/, "$1$3"); // z2jh's "1G" is SPCS's 1G
    if (f("cpu") !== undefined) o.cpu = String(f("cpu"));
    return Object.keys(o).length ? o : undefined;
  };
  if (pick(guarantee)) res.requests = pick(guarantee);
  if (pick(limit)) res.limits = pick(limit);
  if (Object.keys(res).length) g.resources = res;
  g.readiness = { port: g.port, path: "/api" };
}

