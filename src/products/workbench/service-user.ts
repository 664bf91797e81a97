// Workbench's service user as Posit's images create it (uid/gid 999 pinned, so licence and key
// files keep their owner across image versions).
import type { ServiceUser } from "../product.js";

export const WORKBENCH_SERVICE_USER: ServiceUser = { name: "rstudio-server", uid: 999, gid: 999 };
