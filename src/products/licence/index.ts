// Licences of Posit Workbench, Connect and Package Manager: key, licence server or licence file,
// from the variables Posit's images read, as secrets, an activation oneshot and its down.
export { CONNECT_LICENCE, PACKAGE_MANAGER_LICENCE, WORKBENCH_LICENCE, type LicenceDef } from "./definitions.js";
export { LICENCE_PROGRAM, LICENCE_SECRETS, licenceLayer, type LicenceInput, type LicenceLayer, type LicenceMode } from "./layer.js";
export { applyLicence, licenceEnvLayer } from "./apply.js";
export { planLicenceFile } from "./plan.js";
