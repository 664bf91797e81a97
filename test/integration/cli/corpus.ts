// The malformed-input corpus: each case is a spec (with @T@ standing for a fresh temp dir) that
// foyer must reject with exit 78, a message naming the place, no stack trace, and nothing written.
export interface BadCase {
  name: string;
  spec: string;
  /** regexes the error output must match (the place and the problem) */
  expect: RegExp[];
  env?: Record<string, string>;
  /** files to create first, relative to @T@ (content, optional mode) */
  files?: Record<string, { content: string; mode?: number }>;
  /** run `foyer validate`/`plan`/`render`/`run` instead of the default `foyer init` */
  command?: "validate" | "init" | "plan" | "render" | "run";
  /** arguments after the spec (for run: `--`, CMD…) */
  args?: string[];
  /** run foyer as nobody (root can read anything, so unreadable files need an ordinary user) */
  asNobody?: boolean;
}

/** A valid file entry added to every case, so "nothing written" is a real check. */
export const GOOD_FILE = `  - path: @T@/out/good.conf\n    content: "fine\\n"\n`;

const withFiles = (entries: string) => `files:\n${GOOD_FILE}${entries}`;

export const CASES: BadCase[] = [
  // --- YAML syntax
  { name: "unclosed flow sequence", spec: "files: [\n", expect: [/YAML syntax/, /spec\.yaml:\d+:\d+/] },
  { name: "tab indentation", spec: "programs:\n\tapp: {}\n", expect: [/YAML syntax/, /spec\.yaml:2:/] },
  { name: "duplicate key", spec: "env: {A: a}\nenv: {B: b}\n", expect: [/YAML syntax.*[Dd]uplicate|Map keys must be unique/, /spec\.yaml:2:1/] },
  { name: "unclosed quote", spec: 'env:\n  A: "abc\n', expect: [/YAML syntax/] },
  { name: "top level is a list", spec: "- a\n- b\n", expect: [/top level/, /spec\.yaml:1:1/] },
  { name: "top level is a scalar", spec: "hello\n", expect: [/top level/] },
  { name: "bad indentation of mapping", spec: "programs:\n  app:\n    command: [x]\n   cwd: /\n", expect: [/YAML syntax/] },
  { name: "unknown alias", spec: "env: *nope\n", expect: [/YAML/] },
  // --- unknown keys (did-you-mean)
  { name: "misspelt top-level key", spec: "progams: {}\n", expect: [/progams/, /did you mean "programs"/, /spec\.yaml:1:1/] },
  { name: "misspelt program key", spec: "programs:\n  app:\n    command: [x]\n    restrat: always\n", expect: [/programs\.app\.restrat/, /did you mean "restart"/, /spec\.yaml:4:5/] },
  { name: "misspelt stop key", spec: "programs:\n  app:\n    command: [x]\n    stop: { gracee: 1s }\n", expect: [/programs\.app\.stop\.gracee/, /did you mean "grace"/] },
  { name: "misspelt ready key", spec: "programs:\n  app:\n    command: [x]\n    ready: { tcp: 80, timout: 1s }\n", expect: [/programs\.app\.ready\.timout/, /did you mean "timeout"/] },
  { name: "misspelt file key", spec: withFiles("  - path: @T@/out/x\n    contents: y\n"), expect: [/files\[1\]\.contents/, /did you mean "content"/] },
  { name: "misspelt hooks key", spec: "hooks: { inti: /etc/foyer/init.d }\n", expect: [/hooks\.inti/, /did you mean "init"/] },
  { name: "misspelt config section", spec: "config: { sever: { rserver.conf: {} } }\n", expect: [/config\.sever/, /did you mean "server"/] },
  { name: "misspelt health key", spec: "health: { listn: 4182 }\n", expect: [/health\.listn/, /did you mean "listen"/] },
  { name: "misspelt secret source", spec: "secrets:\n  db: { evn: DB }\n", expect: [/secrets\.db/, /evn/] },
  { name: "misspelt log key", spec: "log: { levle: debug }\n", expect: [/log\.levle/, /did you mean "level"/] },
  { name: "unknown profile", spec: "profile: workbnch\n", expect: [/profile/, /did you mean "workbench"/, /spec\.yaml:1:10/] },
  // --- wrong types and values
  { name: "programs is a list", spec: "programs: [a, b]\n", expect: [/programs/, /expected record|object/i] },
  { name: "command is a number", spec: "programs:\n  app: { command: 42 }\n", expect: [/programs\.app\.command/] },
  { name: "empty command list", spec: "programs:\n  app: { command: [] }\n", expect: [/programs\.app\.command/] },
  { name: "string command without shell", spec: "programs:\n  app: { command: 'echo hi' }\n", expect: [/programs\.app\.command/, /shell: true/] },
  { name: "restart policy unknown", spec: "programs:\n  app: { command: [x], restart: sometimes }\n", expect: [/programs\.app\.restart/, /never|on-failure|always/] },
  { name: "grace not a duration", spec: "programs:\n  app: { command: [x], stop: { grace: soon } }\n", expect: [/programs\.app\.stop\.grace/, /duration/] },
  { name: "negative grace", spec: "programs:\n  app: { command: [x], stop: { grace: -5 } }\n", expect: [/programs\.app\.stop\.grace/] },
  { name: "stop signal unknown", spec: "programs:\n  app: { command: [x], stop: { signal: BANG } }\n", expect: [/programs\.app\.stop\.signal/] },
  { name: "retries negative", spec: "programs:\n  app: { command: [x], backoff: { retries: -1 } }\n", expect: [/programs\.app\.backoff\.retries/] },
  { name: "umask unquoted", spec: "programs:\n  app: { command: [x], umask: 022 }\n", expect: [/programs\.app\.umask/, /write it quoted, "022"/, /spec\.yaml:2:/] },
  { name: "umask not octal", spec: "programs:\n  app: { command: [x], umask: '999' }\n", expect: [/programs\.app\.umask/, /octal/] },
  { name: "cwd relative", spec: "programs:\n  app: { command: [x], cwd: work }\n", expect: [/programs\.app\.cwd/, /absolute/] },
  { name: "env value not a string", spec: "env: { A: { b: c } }\n", expect: [/env\.A/] },
  { name: "env name invalid", spec: "env: { 'A-B': x }\n", expect: [/env\.A-B/, /environment variable name/] },
  { name: "program name invalid", spec: "programs:\n  'my app': { command: [x] }\n", expect: [/programs\.my app/, /program names/] },
  { name: "two probes at once", spec: "programs:\n  app: { command: [x], ready: { tcp: 80, file: /tmp/x } }\n", expect: [/programs\.app\.ready/, /exactly one probe/] },
  { name: "no probe given", spec: "programs:\n  app: { command: [x], ready: { timeout: 3s } }\n", expect: [/programs\.app\.ready/, /exactly one probe/] },
  { name: "http probe not a url", spec: "programs:\n  app: { command: [x], ready: { http: 'localhost:80' } }\n", expect: [/programs\.app\.ready\.http/] },
  { name: "probe status malformed", spec: "programs:\n  app: { command: [x], ready: { tcp: 80, status: '2xx' } }\n", expect: [/programs\.app\.ready\.status/] },
  { name: "tcp port out of range", spec: "programs:\n  app: { command: [x], ready: { tcp: 70000 } }\n", expect: [/programs\.app\.ready\.tcp/] },
  { name: "health listen malformed", spec: "health: { listen: 'everywhere' }\n", expect: [/health\.listen/] },
  { name: "log level unknown", spec: "log: { level: loud }\n", expect: [/log\.level/] },
  { name: "oneshot not boolean", spec: "programs:\n  app: { command: [x], oneshot: maybe }\n", expect: [/programs\.app\.oneshot/] },
  { name: "user spec malformed", spec: "programs:\n  app: { command: [x], user: 'a b' }\n", expect: [/programs\.app\.user/] },
  { name: "hook dir relative", spec: "hooks: { init: init.d }\n", expect: [/hooks\.init/, /absolute/] },
  { name: "hook failure policy unknown", spec: "hooks: { init: { dir: /x, onFailure: ignore } }\n", expect: [/hooks\.init\.onFailure/, /abort|continue/] },
  { name: "shutdown deadline malformed", spec: "shutdown: { deadline: forever }\n", expect: [/shutdown\.deadline/] },
  // --- files: paths, modes, owners
  { name: "relative file path", spec: withFiles("  - path: out/x\n    content: y\n"), expect: [/files\[1\]\.path/, /absolute/] },
  { name: "path traversal", spec: withFiles("  - path: @T@/out/../../etc/passwd\n    content: y\n"), expect: [/files\[1\]\.path/, /'\.\.'/] },
  { name: "path with NUL", spec: withFiles('  - path: "@T@/out/a\\0b"\n    content: y\n'), expect: [/files\[1\]\.path/, /NUL/] },
  { name: "file without body", spec: withFiles("  - path: @T@/out/x\n"), expect: [/files\[1\]/, /exactly one of template, templateFile, content/] },
  { name: "file with two bodies", spec: withFiles("  - path: @T@/out/x\n    content: a\n    template: b\n"), expect: [/files\[1\]/, /exactly one/] },
  { name: "mode not octal", spec: withFiles("  - path: @T@/out/x\n    content: y\n    mode: '0999'\n"), expect: [/files\[1\]\.mode/, /octal/] },
  { name: "mode too large", spec: withFiles("  - path: @T@/out/x\n    content: y\n    mode: 99999\n"), expect: [/files\[1\]\.mode/] },
  { name: "owner does not exist", spec: withFiles("  - path: @T@/out/x\n    content: y\n    owner: no-such-user-xyz\n"), expect: [/files\[1\]\.owner|files\[1\]/, /no-such-user-xyz/, /does not exist/] },
  { name: "group does not exist", spec: withFiles("  - path: @T@/out/x\n    content: y\n    owner: root:no-such-group-xyz\n"), expect: [/no-such-group-xyz/, /does not exist/] },
  { name: "owner malformed", spec: withFiles("  - path: @T@/out/x\n    content: y\n    owner: 'a:b:c'\n"), expect: [/files\[1\]\.owner/] },
  { name: "two files to one path", spec: withFiles("  - path: @T@/out/good.conf\n    content: other\n"), expect: [/files\[1\]/, /good\.conf is also written by files\[0\]/] },
  // --- templates
  { name: "template references unset env", spec: withFiles('  - path: @T@/out/x\n    template: "{{required (env \\"NOPE_UNSET\\") \\"NOPE_UNSET is needed\\"}}"\n'), expect: [/files\[1\]/, /NOPE_UNSET/] },
  { name: "template references undeclared secret", spec: withFiles('  - path: @T@/out/x\n    template: "{{secret \\"ghost\\"}}"\n'), expect: [/files\[1\]/, /ghost/] },
  { name: "template references undefined variable", spec: withFiles('  - path: @T@/out/x\n    template: "{{undefinedThing}}"\n'), expect: [/files\[1\]/, /undefinedThing/] },
  { name: "template syntax error", spec: withFiles('  - path: @T@/out/x\n    template: "{{#if}}"\n'), expect: [/files\[1\]/] },
  { name: "template unclosed block", spec: withFiles('  - path: @T@/out/x\n    template: "{{#if x}}open"\n'), expect: [/files\[1\]/] },
  { name: "templateFile missing", spec: withFiles("  - path: @T@/out/x\n    templateFile: @T@/missing.hbs\n"), expect: [/files\[1\]\.templateFile/, /missing\.hbs/, /no such file|does not exist/] },
  { name: "a program named __proto__ (it vanished: 'valid, 0 programs')", spec: "programs:\n  __proto__: { command: [x] }\n", command: "validate", expect: [/"__proto__" cannot be a name here/, /spec\.yaml:2:3/] },
  { name: "an owner whose user and group both do not exist: both named in one run", spec: withFiles("  - { path: @T@/out/x, content: x, owner: \"nouserq:nogroupq\" }\n"), command: "validate", expect: [/user "nouserq" does not exist \(not in the user database\); group "nogroupq" does not exist \(not in the group database\) either/] },
  { name: "templateFile is /dev/zero (no endless read)", spec: withFiles("  - path: @T@/out/x\n    templateFile: /dev/zero\n"), command: "validate", expect: [/files\[1\]\.templateFile/, /\/dev\/zero: it is a device, not a regular file/] },
  { name: "templateFile with undefined value", spec: withFiles("  - path: @T@/out/x\n    templateFile: @T@/t.hbs\n"), files: { "t.hbs": { content: "a={{env 'NOT_SET_ANYWHERE'}}\n" } }, expect: [/t\.hbs|files\[1\]/, /NOT_SET_ANYWHERE/] },
  { name: "config value with undeclared secret", spec: "config:\n  dir: @T@/etc\n  secret:\n    database.conf: { password: \"{{secret 'db'}}\" }\n", expect: [/config\.secret/, /db/] },
  // --- secrets
  { name: "secret env var missing", spec: "secrets:\n  db: { env: FOYER_TEST_NO_SUCH_VAR }\n", expect: [/secrets\.db/, /FOYER_TEST_NO_SUCH_VAR is not set/] },
  { name: "secret file missing", spec: "secrets:\n  lic: { file: @T@/nope.lic }\n", expect: [/secrets\.lic/, /nope\.lic does not exist/] },
  { name: "secret VAR_FILE missing", spec: "secrets:\n  db: { env: DB_PW }\n", env: { DB_PW_FILE: "/nonexistent/pw" }, expect: [/secrets\.db/, /\/nonexistent\/pw does not exist/] },
  { name: "secret file is a directory", spec: "secrets:\n  lic: { file: @T@ }\n", expect: [/secrets\.lic/, /directory/] },
  { name: "k8s secret key missing", spec: "secrets:\n  tok: { k8s: @T@/k8s, key: token }\n", files: { "k8s/other": { content: "x" } }, expect: [/secrets\.tok/, /token does not exist/] },
  { name: "secret source relative path", spec: "secrets:\n  lic: { file: lic.txt }\n", expect: [/secrets\.lic/] },
  { name: "secret name invalid", spec: "secrets:\n  'a b': { env: X }\n", expect: [/secrets/] },
  { name: "secret file unreadable", spec: "secrets:\n  lic: { file: @T@/lic }\n", files: { "lic": { content: "k", mode: 0o600 } }, asNobody: true, command: "validate", expect: [/secrets\.lic/, /not readable/] },
  { name: "VAR_FILE unreadable", spec: "secrets:\n  db: { env: DBP }\n", env: { DBP_FILE: "@T@/pw" }, files: { "pw": { content: "k", mode: 0o600 } }, asNobody: true, command: "validate", expect: [/secrets\.db/, /not readable/] },
  // --- programs that cannot be ordered
  { name: "after names an unknown program", spec: "programs:\n  a: { command: [x], after: [bee] }\n  b: { command: [x] }\n", expect: [/programs\.a\.after/, /bee/] },
  { name: "dependency cycle", spec: "programs:\n  a: { command: [x], after: [b] }\n  b: { command: [x], after: [a] }\n", expect: [/programs\.(a|b)/, /cycle/i] },
  // --- the spec file itself
  { name: "spec file is empty list in profile", spec: "profile: [workbench]\n", expect: [/profile/] },
  // --- checks of the validation stage (every command, before any write)
  { name: "program user does not exist", spec: "programs:\n  a: { command: [x], user: no-such-user-xyz }\n", command: "validate", expect: [/programs\.a\.user/, /no-such-user-xyz" does not exist/, /spec\.yaml:2:28/] },
  { name: "program group does not exist", spec: "programs:\n  a: { command: [x], user: 'root:no-such-group-xyz' }\n", command: "plan", expect: [/programs\.a\.user/, /group "no-such-group-xyz" does not exist/, /spec\.yaml:2:/] },
  { name: "hook user does not exist", spec: "hooks:\n  init: { dir: @T@/h, user: no-such-user-xyz }\n", files: { "h/keep": { content: "" } }, command: "validate", expect: [/hooks\.init\.user/, /no-such-user-xyz/, /spec\.yaml:2:/] },
  { name: "program user unknown, as run", spec: "programs:\n  a: { command: [touch, @T@/started], user: no-such-user-xyz }\n", command: "run", args: ["--", "true"], expect: [/programs\.a\.user/, /spec\.yaml:2:/] },
  { name: "program asks for an undeclared secret", spec: "programs:\n  a: { command: [x], secrets: { PW: dbb } }\nsecrets:\n  db: { env: HOME }\n", command: "validate", expect: [/programs\.a\.secrets\.PW/, /'dbb' is not declared/, /did you mean 'db'/, /spec\.yaml:2:/] },
  { name: "program asks for an absent optional secret", spec: "programs:\n  a: { command: [x], secrets: { PW: db } }\nsecrets:\n  db: { env: FOYER_TEST_NO_SUCH_VAR, optional: true }\n", command: "plan", expect: [/programs\.a\.secrets\.PW/, /optional and has no value/, /spec\.yaml:2:/] },
  { name: "program named main with -- CMD", spec: "programs:\n  main: { command: [touch, @T@/started] }\n", command: "run", args: ["--", "true"], expect: [/programs\.main/, /'main' is the name of the program given after --/, /spec\.yaml:2:9/] },
  { name: "files[].path is a directory", spec: withFiles("  - path: @T@/adir\n    content: y\n"), files: { "adir/keep": { content: "" } }, command: "validate", expect: [/files\[1\]/, /it is a directory/, /spec\.yaml:4:/] },
  { name: "files[].path under a file", spec: withFiles("  - path: @T@/afile/x.conf\n    content: y\n"), files: { afile: { content: "" } }, command: "validate", expect: [/files\[1\]/, /afile exists and is not a directory/, /spec\.yaml:4:/] },
  { name: "plan with a conflict exits 78", spec: withFiles("  - path: @T@/adir\n    content: y\n"), files: { "adir/keep": { content: "" } }, command: "plan", expect: [/files\[1\]/, /it is a directory/] },
  { name: "init hook dir missing", spec: "hooks: { init: @T@/init.d }\n", command: "validate", expect: [/hooks\.init/, /init\.d does not exist/, /spec\.yaml:1:16/] },
  { name: "finish hook dir is a file", spec: "hooks:\n  finish: { dir: @T@/fin }\n", files: { fin: { content: "" } }, command: "plan", expect: [/hooks\.finish/, /is not a directory/, /spec\.yaml:2:/] },
  { name: "hook dir missing, as run", spec: "hooks: { init: @T@/init.d }\nprograms:\n  a: { command: [touch, @T@/started] }\n", command: "run", expect: [/hooks\.init/, /does not exist/] },
  { name: "program cwd missing", spec: "programs:\n  a: { command: [x], cwd: @T@/nowhere }\n", command: "validate", expect: [/programs\.a\.cwd/, /nowhere does not exist/, /spec\.yaml:2:/] },
  { name: "oneshot with restart always", spec: "programs:\n  a: { command: [x], oneshot: true, restart: always }\n", command: "validate", expect: [/programs\.a\.restart/, /contradicts oneshot/, /spec\.yaml:2:/] },
  { name: "backoff initial above max", spec: "programs:\n  a:\n    command: [x]\n    backoff: { initial: 2m, max: 10s }\n", command: "plan", expect: [/programs\.a\.backoff\.initial/, /longer than backoff\.max/, /spec\.yaml:4:/] },
  { name: "secret template in env:", spec: "secrets:\n  db: { env: HOME }\nenv:\n  PW: \"{{secret 'db'}}\"\n", command: "validate", expect: [/env\.PW/, /not expanded/, /secrets: \{ PW: <secret name> \}/, /spec\.yaml:4:7/] },
  { name: "secret template in a program's env", spec: "secrets:\n  db: { env: HOME }\nprograms:\n  a:\n    command: [x]\n    env: { PW: \"{{secret 'db'}}\" }\n", command: "plan", expect: [/programs\.a\.env\.PW/, /programs\.a\.secrets: \{ PW/, /spec\.yaml:6:/] },
  { name: "env template in env:", spec: "env:\n  H: \"{{env 'HOME'}}\"\n", expect: [/env\.H/, /\{\{env …\}\} is not expanded/, /spec\.yaml:2:6/] },
  { name: "not root: a program as another user", spec: "programs:\n  a: { command: [x], user: root }\n", asNobody: true, command: "validate", expect: [/programs\.a\.user/, /cannot run as user 'root': foyer runs as uid 65534, not root/, /spec\.yaml:2:/] },
  { name: "not root: a file owned by another user", spec: withFiles("  - path: @T@/out/x\n    content: y\n    owner: root\n"), asNobody: true, command: "plan", expect: [/files\[1\]\.owner/, /cannot give .*x to root \(0:0\): foyer runs as uid 65534, not root/] },
  // --- spec loading
  { name: "override value invalid names the variable", spec: "programs:\n  a: { command: [x] }\n", env: { FOYER__programs__a__user: "a b" }, command: "validate", expect: [/programs\.a\.user/, /env FOYER__programs__a__user/] },
  { name: "override creates a broken program", spec: "env: {}\n", env: { FOYER__programs__zz__oneshot: "maybe" }, command: "validate", expect: [/programs\.zz\.oneshot/, /env FOYER__programs__zz__oneshot/] },
  { name: "mode unquoted", spec: withFiles("  - path: @T@/out/x\n    content: y\n    mode: 644\n"), expect: [/files\[1\]\.mode/, /write it quoted, "0644"/, /spec\.yaml:6:11/] },
  { name: "top-level key without value", spec: "programs:\nhooks: ~\n", command: "validate", expect: [/programs has no value \(null\)/, /spec\.yaml:1:1/, /hooks has no value/, /spec\.yaml:2:1/] },
  { name: "nested key without value", spec: "programs:\n  a:\n    command: [x]\n    env:\n", command: "plan", expect: [/programs\.a\.env/, /no value \(null\)/, /spec\.yaml:4:5/] },
];
