// rstudio-connect.gcfg sections and options (Posit Connect). A subset: see `complete`.
//
// Sources: Posit Connect admin guide, configuration appendix
// (https://docs.posit.co/connect/admin/appendix/configuration/; read by hand), the config of
// Posit's image (rstudio/rstudio-docker-products connect/rstudio-connect.gcfg @
// 0328f62d39d15d8cd38232e000fe110e27030078) and the rstudio-connect chart's values, ci/ and
// examples/ (test/fixtures/charts/connect-*, each naming its commit).
import type { FileCatalog, SectionCatalog } from "../options/catalog.js";

const s = (name: string, keys: string, extra: Partial<SectionCatalog> = {}): SectionCatalog => ({
  name,
  options: Object.fromEntries(keys.split(/\s+/).filter(Boolean).map((k) => [k, "string" as const])),
  ...extra,
});

export const CONNECT_GCFG: FileCatalog = {
  file: "rstudio-connect.gcfg",
  product: "connect",
  syntax: "gcfg",
  sources: [
    "https://docs.posit.co/connect/admin/appendix/configuration/ (subset)",
    "rstudio/rstudio-docker-products connect/rstudio-connect.gcfg @ 0328f62d39d15d8cd38232e000fe110e27030078",
    "rstudio/helm charts/rstudio-connect values.yaml, ci/, examples/ (test/fixtures/charts/connect-*)",
  ],
  // Connect reads hundreds of options; foyer lists the common ones, so only near misses are reported.
  complete: false,
  sections: [
    s("Server", "Address DataDir SenderEmail SenderEmailDisplayName EmailProvider EmailSubjectPrefix EmailTo RVersion RVersionScanning RVersionMatching TempDir HideVersion HideEmailAddresses PublicWarning LoggedInWarning ServerName CompilationConcurrency EnableSitemap FrameOptionsContent FrameOptionsDashboard ContentTypeSniffing ProxyHeaderLogging"),
    s("HTTP", "Listen NoWarning ForceSecure"),
    s("HTTPS", "Listen Certificate Key Permanent MinimumTLS ExcludedCiphers"),
    s("HTTPRedirect", "Listen Target"),
    s("Authentication", "Provider Name Notice Lifetime Inactivity ChallengeResponseEnabled APIKeyAuth CookieSweepDuration"),
    s("Authorization", "DefaultUserRole UserRoleMapping UserRoleGroupMapping ViewersCanOnlySeeThemselves PublishersCanOwnGroups PublishersCanManageVanities UsersListingMinRole"),
    s("Password", "WebSudoMode WebSudoModeDuration SelfRegistration UserInfoEditableBy MinimumScore"),
    s("OAuth2", "ClientId ClientSecret ClientSecretFile OpenIDConnectIssuer RequireUsernameClaim UsernameClaim EmailClaim GroupsClaim UniqueIdClaim FirstNameClaim LastNameClaim GroupsAutoProvision RegisterOnFirstLogin Logging CustomScope"),
    s("SAML", "IdPMetaDataURL IdPAttributeProfile UniqueIdAttribute UsernameAttribute EmailAttribute FirstNameAttribute LastNameAttribute GroupsAttribute GroupsAutoProvision RegisterOnFirstLogin SSOInitiated IdPSingleSignOnServiceURL IdPEntityID IdPSigningCertificate SPEncryptionKey SPEncryptionCertificate Logging"),
    s("LDAP", "ServerAddress UserSearchBaseDN GroupSearchBaseDN BindDN BindPassword PermittedLoginGroup UsernameAttribute UniqueIdAttribute EmailAttribute FirstNameAttribute LastNameAttribute UserObjectClass GroupObjectClass GroupNameAttribute GroupUniqueIdAttribute GroupsAutoProvision TLS StartTLS ServerTLSInsecure TLSCACertificate AnonymousBind UserFilterBase GroupFilterBase Logging", { subsections: true }),
    s("PAM", "Service AuthenticatedSessionService UseSession ForwardPassword SessionService"),
    s("ProxyAuth", "Header EmailHeader FirstNameHeader LastNameHeader RoleHeader GroupsHeader GroupsHeaderSeparator LogoutURL"),
    s("Database", "Provider Dir"),
    s("SQLite", "Dir Backup BackupFrequency BackupRetentionLimit"),
    s("Postgres", "URL Password InstrumentationURL InstrumentationPassword"),
    s("Python", "Enabled Executable"),
    s("Quarto", "Enabled Executable"),
    s("TensorFlow", "Enabled Executable"),
    s("R", "Enabled Executable ExecutableScanning ExecutableVersionScanning"),
    s("RPackageRepository", "URL", { subsections: true }),
    s("Applications", "RunAs RunAsCurrentUser Umask BundleRetentionLimit"),
    s("Scheduler", "InitTimeout IdleTimeout ConnectionTimeout ReadTimeout MinProcesses MaxProcesses MaxConnsPerProcess LoadFactor MinProcessesLimit MaxProcessesLimit"),
    s("Jupyter", ""),
    s("Launcher", "Enabled Kubernetes ClusterDefinition KubernetesNamespace KubernetesProfilesConfig KubernetesUseTemplates DataDirPVCName"),
    s("Logging", "ServiceLog ServiceLogLevel ServiceLogFormat AccessLog AccessLogFormat AuditLog AuditLogFormat"),
    s("Metrics", "Enabled Interval GraphiteEnabled GraphiteHost GraphitePort GraphiteClientId"),
    s("Bootstrap", "Enabled SecretKey"),
    s("Licensing", "LicenseType"),
  ],
};
