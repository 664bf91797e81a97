// supervisord [program:x] → foyer programs, table-driven. The first table holds the settings of
// Posit's own files (each row names its source: repository, path, commit); the second covers
// supervisord's documented options that Posit's files do not use. Every translated program must
// also pass the spec's ProgramSchema.
import { describe, expect, it } from "vitest";
import { translateSupervisord, type Note, type ProgramInput } from "../../../src/products/supervisord/index.js";
import { ProgramSchema } from "../../../src/spec/schema.js";

/** Lines to a file's text. */
const conf = (...lines: string[]): string => lines.join("\n") + "\n";

/** What supervisord's defaults become (startsecs 1, startretries 3, TERM, stopwaitsecs 10). */
const defaults = (over: Partial<ProgramInput>): ProgramInput => ({ ready: { uptime: 1 }, backoff: { retries: 3 }, restart: "on-failure", stop: { signal: "TERM", grace: 10 }, ...over } as ProgramInput);

// the console output settings every Posit program file carries
const CONSOLE = ["stdout_logfile=/dev/stdout", "stdout_logfile_maxbytes=0", "stderr_logfile=/dev/stderr", "stderr_logfile_maxbytes=0"];

interface Row {
  name: string;
  source?: string;
  files: Array<{ path: string; text: string }>;
  programs: Record<string, ProgramInput>;
  notes?: Array<Partial<Note>>;
  env?: Record<string, string>;
}

const POSIT: Row[] = [
  {
    name: "the launcher of the workbench image",
    source: "rstudio/rstudio-docker-products workbench/startup-launcher/rstudio-launcher.conf @8290a82",
    files: [{ path: "/startup/launcher/rstudio-launcher.conf", text: conf("[program:rstudio-launcher]", "command=/usr/lib/rstudio-server/bin/rstudio-launcher", "autorestart=false", "numprocs=1", ...CONSOLE) }],
    programs: { "rstudio-launcher": defaults({ command: ["/usr/lib/rstudio-server/bin/rstudio-launcher"], restart: "never" }) },
  },
  {
    name: "sssd (the workbench image, and the chart's default startupUserProvisioning)",
    source: "rstudio/rstudio-docker-products workbench/supervisord-sssd.conf @9277cad; rstudio/helm charts/rstudio-workbench values config.startupUserProvisioning",
    files: [
      {
        path: "/startup/user-provisioning/sssd.conf",
        text: conf("[program:sssd]", "command=/usr/sbin/sssd -i -c /etc/sssd/sssd.conf --logger=stderr", "autorestart=false", "numprocs=1", "stdout_logfile=/dev/stdout", "stdout_logfile_maxbytes=0", "stdout_logfile_backups=0", "stderr_logfile=/dev/stderr", "stderr_logfile_maxbytes=0", "stderr_logfile_backups=0"),
      },
    ],
    programs: { sssd: defaults({ command: ["/usr/sbin/sssd", "-i", "-c", "/etc/sssd/sssd.conf", "--logger=stderr"], restart: "never" }) },
  },
  {
    name: "the chart's base and launcher startup files together (same priority: no order between them)",
    source: "rstudio/helm charts/rstudio-workbench/templates/configmap-startup.yaml @026a938 (as rendered)",
    files: [
      { path: "/startup/base/rstudio-workbench.conf", text: conf("[program:rstudio-workbench]", "command=/scripts/prestart-workbench.bash /usr/local/bin/startup.sh", "autorestart=false", "numprocs=1", ...CONSOLE) },
      { path: "/startup/launcher/rstudio-launcher.conf", text: conf("[program:rstudio-launcher]", "command=/scripts/prestart-launcher.bash /usr/lib/rstudio-server/bin/rstudio-launcher", "autorestart=false", "numprocs=1", ...CONSOLE) },
    ],
    programs: {
      "rstudio-launcher": defaults({ command: ["/scripts/prestart-launcher.bash", "/usr/lib/rstudio-server/bin/rstudio-launcher"], restart: "never" }),
      "rstudio-workbench": defaults({ command: ["/scripts/prestart-workbench.bash", "/usr/local/bin/startup.sh"], restart: "never" }),
    },
  },
  {
    name: "an older launcher file with a comment line",
    source: "rstudio/rstudio-docker-products server-pro/startup/rstudio-launcher.conf @014b15c",
    files: [{ path: "/startup/launcher/rstudio-launcher.conf", text: conf("[program:rstudio-launcher]", "# a comment line here, as in the original", "command=/usr/local/bin/launcher-startup.sh", "autorestart=false", "numprocs=1", ...CONSOLE) }],
    programs: { "rstudio-launcher": defaults({ command: ["/usr/local/bin/launcher-startup.sh"], restart: "never" }) },
  },
  {
    name: "the workbench image's supervisord.conf: supervisord's own sections, the process-monitor listener, the include",
    source: "rstudio/rstudio-docker-products workbench/supervisord.conf @88f74a4 (settings; comments shortened)",
    files: [
      {
        path: "/etc/supervisor/supervisord.conf",
        text: conf(
          "; supervisor config file",
          "",
          "[unix_http_server]",
          "file=/var/run/supervisor/supervisor.sock   ; (the path to the socket file)",
          "chmod=0700                       ; socket file mode",
          "",
          "[supervisord]",
          "logfile=/dev/stdout ; (main log file)",
          "pidfile=/var/run/supervisor/supervisord.pid",
          "logfile_maxbytes=0",
          "logfile_backups=0",
          "loglevel=info",
          "nodaemon=true",
          "",
          "[rpcinterface:supervisor]",
          "supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface",
          "",
          "[supervisorctl]",
          "serverurl=unix:///var/run/supervisor/supervisor.sock ; use a unix:// URL",
          "",
          "[eventlistener:process-monitor]",
          `command=bash -c "printf 'READY\\n' && while read line; do kill -SIGQUIT $PPID; done < /dev/stdin"`,
          "events=PROCESS_STATE_STOPPED,PROCESS_STATE_EXITED,PROCESS_STATE_FATAL",
          ...CONSOLE,
          "",
          "[include]",
          "files = /startup/base/*.conf /startup/launcher/*.conf /startup/user-provisioning/*.conf /startup/custom/*.conf",
        ),
      },
    ],
    programs: {},
    notes: [
      { line: 3, section: "unix_http_server", message: "supervisord's own settings: not translated (foyer is the supervisor; see its health and control settings)" },
      { line: 7, section: "supervisord" },
      { line: 15, section: "rpcinterface:supervisor" },
      { line: 18, section: "supervisorctl" },
      {
        line: 21,
        section: "eventlistener:process-monitor",
        message: "event listeners are not translated; this one ends the container when any program ends: in foyer, mark the programs whose end should end the container `critical: true`",
      },
      { line: 29, section: "include", key: "files", message: "[include] is not followed: translate the included files themselves (files = /startup/base/*.conf /startup/launcher/*.conf /startup/user-provisioning/*.conf /startup/custom/*.conf)" },
    ],
  },
];

const F = "/startup/custom/app.conf";
const OPTIONS: Row[] = [
  {
    name: "environment: quotes keep commas and spaces, %(ENV_X)s and %(program_name)s expand, values continue on indented lines",
    env: { HOME: "/root", REGION: "eu-west-1" },
    files: [
      {
        path: F,
        text: conf(
          "[program:api]",
          "command=/opt/api/bin/serve --name %(program_name)s --pct 50%%",
          'environment=LIST="a,b",GREETING=\'hello world\',CACHE="%(ENV_HOME)s/.cache",',
          "    REGION=%(ENV_REGION)s,URL=http://db:5432/x,",
          "    PLAIN=1",
          ...CONSOLE,
        ),
      },
    ],
    programs: { api: defaults({ command: ["/opt/api/bin/serve", "--name", "api", "--pct", "50%"], env: { LIST: "a,b", GREETING: "hello world", CACHE: "/root/.cache", REGION: "eu-west-1", URL: "http://db:5432/x", PLAIN: "1" } }) },
  },
  {
    name: "command: shlex quoting, escapes and an inline comment (after whitespace only)",
    files: [{ path: F, text: conf("[program:q]", `command=/bin/sh -c "echo \\"hi\\" > /tmp/o;date" 'a b' c\\ d   ; note`, ...CONSOLE) }],
    programs: { q: defaults({ command: ["/bin/sh", "-c", 'echo "hi" > /tmp/o;date', "a b", "c d"] }) },
  },
  {
    name: "user, directory, umask, autostart, startsecs, startretries, stopsignal, stopwaitsecs, autorestart",
    files: [
      {
        path: F,
        text: conf(
          "[program:worker]",
          "command = /usr/bin/worker",
          "user=rstudio-server",
          "directory=/var/lib/worker",
          "umask=022",
          "autostart=false",
          "startsecs=0",
          "startretries=7",
          "stopsignal=QUIT",
          "stopwaitsecs=120",
          "autorestart=true",
          "stopasgroup=true",
          "killasgroup=true",
          ...CONSOLE,
        ),
      },
    ],
    programs: { worker: { command: ["/usr/bin/worker"], user: "rstudio-server", cwd: "/var/lib/worker", umask: "022", autostart: false, backoff: { retries: 7 }, restart: "always", stop: { signal: "QUIT", grace: 120 } } },
  },
  {
    name: "stopsignal by number or with SIG; one foyer cannot send is noted",
    files: [
      { path: F, text: conf("[program:a]", "command=a", "stopsignal=9", ...CONSOLE, "[program:b]", "command=b", "stopsignal=SIGINT", ...CONSOLE, "[program:c]", "command=c", "stopsignal=STOP", ...CONSOLE) },
    ],
    programs: { a: defaults({ command: ["a"], stop: { signal: "KILL", grace: 10 } }), b: defaults({ command: ["b"], stop: { signal: "INT", grace: 10 } }), c: defaults({ command: ["c"] }) },
    notes: [{ line: 17, section: "program:c", key: "stopsignal", message: "not translated: stopsignal STOP (foyer stops with TERM, INT, QUIT, HUP, KILL, USR1, USR2 or WINCH); TERM is used" }],
  },
  {
    name: "autorestart=unexpected with exitcodes other than 0 is on-failure, noted",
    files: [{ path: F, text: conf("[program:x]", "command=x", "autorestart=unexpected", "exitcodes=0,2", ...CONSOLE) }],
    programs: { x: defaults({ command: ["x"] }) },
    notes: [{ line: 4, section: "program:x", key: "exitcodes", message: "exitcodes=0,2 is not translated: foyer restarts every non-zero exit (restart: on-failure)" }],
  },
  {
    name: "priority → start order: each priority group after the autostart programs of the group before",
    files: [
      { path: "/startup/a.conf", text: conf("[program:db]", "command=db", "priority=10", ...CONSOLE, "[program:cache]", "command=cache", "priority=10", ...CONSOLE) },
      { path: "/startup/b.conf", text: conf("[program:manual]", "command=m", "priority=50", "autostart=false", ...CONSOLE, "[program:app]", "command=app", "priority=100", ...CONSOLE, "[program:web]", "command=web", ...CONSOLE) },
    ],
    programs: {
      cache: defaults({ command: ["cache"] }),
      db: defaults({ command: ["db"] }),
      manual: defaults({ command: ["m"], autostart: false }),
      app: defaults({ command: ["app"], after: ["cache", "db"] }),
      web: defaults({ command: ["web"], after: ["app"] }),
    },
  },
  {
    name: "what does not carry over: numprocs, redirect_stderr, log files, NONE, syslog, serverurl, an unknown option",
    files: [
      {
        path: F,
        text: conf(
          "[program:many]",
          "command=many",
          "numprocs=2",
          "process_name=%(program_name)s_%(process_num)02d",
          "redirect_stderr=true",
          "stdout_logfile=/var/log/many.log",
          "stdout_syslog=true",
          "serverurl=AUTO",
          "colour=blue",
          "[program:quiet]",
          "command=quiet",
          "stdout_logfile=NONE",
        ),
      },
    ],
    programs: { many: defaults({ command: ["many"] }), quiet: defaults({ command: ["quiet"] }) },
    notes: [
      { line: 3, section: "program:many", key: "numprocs", message: "numprocs=2 is not translated: foyer runs one process of this program" },
      { line: 5, key: "redirect_stderr", message: "redirect_stderr is not translated: foyer keeps the program's stderr apart (on its own stderr, prefixed)" },
      { line: 6, key: "stdout_logfile", message: "stdout_logfile=/var/log/many.log is not translated: foyer writes program output to its own stdout, prefixed, not to a file" },
      { line: 7, key: "stdout_syslog", message: "stdout_syslog is not translated: foyer has no syslog output" },
      { line: 8, key: "serverurl" },
      { line: 9, key: "colour", message: "unknown option 'colour': ignored" },
      { line: 12, section: "program:quiet", key: "stdout_logfile", message: "stdout_logfile=NONE is not translated: foyer does not discard output; it goes to foyer's stdout, prefixed" },
      { line: 10, section: "program:quiet", message: "stderr_logfile is not set (supervisord's default, AUTO, is a log file in its childlogdir): foyer writes it to its own stderr, prefixed" },
    ],
  },
  {
    name: "programs that cannot be translated are left out, with the reason and line",
    files: [
      {
        path: F,
        text: conf(
          "stray=1",
          "[program:nocmd]",
          "autostart=true",
          ...CONSOLE,
          "[program:unclosed]",
          `command=/bin/sh -c "echo`,
          ...CONSOLE,
          "[program:noenv]",
          "command=/bin/x --home %(ENV_NOPE)s",
          ...CONSOLE,
          "[program:badenv]",
          "command=x",
          "environment=A=x@y",
          ...CONSOLE,
          "[program:relative]",
          "command=x",
          "directory=srv/app",
          ...CONSOLE,
          "[program:my.app]",
          "command=x",
          ...CONSOLE,
          "[program:my-app]",
          "command=y",
          ...CONSOLE,
          "[group:all]",
          "programs=a,b",
          "[fcgi-program:php]",
          "command=php-cgi",
          "[mystery]",
          "just a line",
        ),
      },
    ],
    programs: { badenv: defaults({ command: ["x"] }), "my-app": defaults({ command: ["x"] }) },
    notes: [
      { line: 1, section: "", message: 'not read: text before the first [section]: "stray=1"' },
      { line: 51, section: "", message: 'not read: not a "key = value" line: "just a line"' },
      { line: 2, section: "program:nocmd", message: "no command: program not translated" },
      { line: 9, section: "program:unclosed", key: "command", message: "program not translated: command cannot be split: no closing quotation" },
      { line: 15, section: "program:noenv", key: "command", message: "not translated: %(ENV_NOPE)s names nothing supervisord knows (environment variable NOPE is not set)" },
      { line: 15, section: "program:noenv", key: "command", message: "program not translated: its command cannot be read" },
      { line: 22, section: "program:badenv", key: "environment", message: 'not translated: unexpected end of KEY=value pairs near "y"' },
      { line: 29, section: "program:relative", key: "directory", message: "program not translated: directory: must be an absolute path (start with /)" },
      { line: 34, section: "program:my.app", message: "program name 'my.app' becomes 'my-app' (foyer names use letters, digits, _ and -)" },
      { line: 40, section: "program:my-app", message: "program not translated: its foyer name 'my-app' is taken by another program" },
      { line: 46, section: "group:all", message: "groups are not translated: its programs (a,b) are translated on their own" },
      { line: 48, section: "fcgi-program:php", message: "fcgi programs (a shared socket) are not translated" },
      { line: 50, section: "mystery", message: "unknown section [mystery]: not translated" },
    ],
  },
  {
    name: "a program given again in a later file: its keys merge, the later value wins (supervisord's parser)",
    files: [
      { path: "/startup/base/app.conf", text: conf("[program:app]", "command=app --v1", "stopwaitsecs=30", ...CONSOLE) },
      { path: "/startup/custom/app.conf", text: conf("[program:app]", "command=app --v2") },
    ],
    programs: { app: defaults({ command: ["app", "--v2"], stop: { signal: "TERM", grace: 30 } }) },
  },
];

function check(row: Row): void {
  const { programs, notes } = translateSupervisord(row.files, { env: row.env ?? {} });
  expect(programs).toEqual(row.programs);
  // the start order is supervisord's: priority, then name
  expect(Object.keys(programs)).toEqual(Object.keys(row.programs));
  for (const [name, p] of Object.entries(programs)) expect(ProgramSchema.safeParse(p).success, name).toBe(true);
  expect(notes).toHaveLength(row.notes?.length ?? 0);
  for (const expected of row.notes ?? []) expect(notes).toContainEqual(expect.objectContaining(expected));
  for (const n of notes) expect(row.files.map((f) => f.path)).toContain(n.file);
}

describe("Posit's supervisord files", () => {
  for (const row of POSIT) it(`${row.name} (${row.source})`, () => check(row));
});

describe("supervisord's options", () => {
  for (const row of OPTIONS) it(row.name, () => check(row));
});
