// foyer_native: the few syscalls an init needs that Node does not offer.
//
//   waitpid(pid, flags)          -> [pid|-1, rawStatus, errno]  (reap one orphan, never -1 "any")
//   setSubreaper()               -> 0 | errno                   (prctl PR_SET_CHILD_SUBREAPER)
//   setNotDumpable()             -> 0 | errno                   (prctl PR_SET_DUMPABLE 0)
//   unblockSignals(numbers)      -> 0 | errno                   (this thread's mask; see below)
//   ignoreSignals(numbers)       -> 0 | errno                   (SIG_IGN, e.g. SIGTTOU)
//   getpw(name | uid)            -> {name, uid, gid, home, shell} | null  (through NSS: files, sss, ldap)
//   getgr(name | gid)            -> {name, gid} | null
//   getgrouplist(user, gid)      -> number[]                    (all groups of user, gid included)
//   execAs(request)              -> {stage, errno, message}     (returns only on failure)
//   lockWrite(fd)                -> 0 | errno                   (fcntl F_SETLK F_WRLCK, whole file)
//
// lockWrite is lckpwdf(3)'s lock on /etc/.pwd.lock (shadow-utils, glibc): an fcntl record lock,
// which Node cannot take and which flock(2) does not conflict with. Non-blocking (EAGAIN/EACCES
// when held) so the caller retries on its own clock instead of blocking the event loop.
//
// execAs is the privilege drop + exec for one child, done in the process that becomes the child
// (foyer's "__exec" trampoline): setgroups, setgid, setuid (then proves the uid cannot be regained
// and no capability is left), setsid or setpgid+tcsetpgrp, stdio without FD_CLOEXEC, chdir, umask,
// default signal dispositions, and execve with a PATH search in the *child's* environment.
// Built by `make native`: gcc -shared -fPIC against node-api-headers (no node-gyp).
#define _GNU_SOURCE
#include <node_api.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_GROUPS 65536
#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

// Any N-API failure becomes a JS exception naming the call.
#define NAPI(call)                                                 \
  do {                                                             \
    if ((call) != napi_ok) {                                       \
      napi_throw_error(env, "ERR_FOYER_NATIVE", "napi: " #call);   \
      return NULL;                                                 \
    }                                                              \
  } while (0)

static napi_value make_int(napi_env env, int64_t v) {
  napi_value r;
  napi_create_int64(env, v, &r);
  return r;
}

static napi_value make_str(napi_env env, const char* s) {
  napi_value r;
  napi_create_string_utf8(env, s ? s : "", NAPI_AUTO_LENGTH, &r);
  return r;
}

static void set_prop(napi_env env, napi_value obj, const char* key, napi_value v) {
  napi_set_named_property(env, obj, key, v);
}

// A JS string, or a Buffer of exact bytes (an argument or environment entry that is not UTF-8,
// which a JS string cannot carry), as a malloc'd C string (NULL on failure, exception pending).
static char* get_str(napi_env env, napi_value v) {
  size_t len = 0;
  bool is_buffer = false;
  if (napi_is_buffer(env, v, &is_buffer) == napi_ok && is_buffer) {
    void* data = NULL;
    if (napi_get_buffer_info(env, v, &data, &len) != napi_ok) return NULL;
    char* b = malloc(len + 1);
    if (!b) return NULL;
    memcpy(b, data, len);
    b[len] = 0;
    return b;
  }
  if (napi_get_value_string_utf8(env, v, NULL, 0, &len) != napi_ok) return NULL;
  char* s = malloc(len + 1);
  if (!s) return NULL;
  napi_get_value_string_utf8(env, v, s, len + 1, &len);
  return s;
}

// A JS string[] as a NULL-terminated, malloc'd char*[] (argv, envp).
static char** get_str_array(napi_env env, napi_value arr) {
  uint32_t n = 0;
  if (napi_get_array_length(env, arr, &n) != napi_ok) return NULL;
  char** out = calloc(n + 1, sizeof(char*));
  if (!out) return NULL;
  for (uint32_t i = 0; i < n; i++) {
    napi_value v;
    napi_get_element(env, arr, i, &v);
    out[i] = get_str(env, v);
    if (!out[i]) return NULL;
  }
  return out;
}

static int64_t get_prop_int(napi_env env, napi_value obj, const char* key, int64_t dflt) {
  napi_value v;
  napi_valuetype t;
  int64_t x = dflt;
  if (napi_get_named_property(env, obj, key, &v) != napi_ok) return dflt;
  if (napi_typeof(env, v, &t) != napi_ok || t != napi_number) return dflt;
  napi_get_value_int64(env, v, &x);
  return x;
}

static napi_value Waitpid(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  int32_t pid = 0, flags = 0;
  NAPI(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  NAPI(napi_get_value_int32(env, argv[0], &pid));
  NAPI(napi_get_value_int32(env, argv[1], &flags));
  if (pid <= 0) {  // waitpid(-1) would steal libuv's statuses: refuse it here, once and for all
    napi_throw_range_error(env, "ERR_FOYER_NATIVE", "waitpid: pid must be > 0");
    return NULL;
  }
  int status = 0;
  pid_t r;
  do r = waitpid(pid, &status, flags); while (r == -1 && errno == EINTR);
  napi_value arr;
  NAPI(napi_create_array_with_length(env, 3, &arr));
  napi_set_element(env, arr, 0, make_int(env, r));
  napi_set_element(env, arr, 1, make_int(env, status));
  napi_set_element(env, arr, 2, make_int(env, r == -1 ? errno : 0));
  return arr;
}

// Node started with --disable-sigusr1 blocks SIGUSR1 in every thread, so a JS listener never runs.
// Unblock the given signals in the calling (main) thread, where libuv's handler then gets them.
static napi_value UnblockSignals(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  uint32_t n = 0;
  NAPI(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  NAPI(napi_get_array_length(env, argv[0], &n));
  sigset_t set;
  sigemptyset(&set);
  for (uint32_t i = 0; i < n; i++) {
    napi_value v;
    int32_t sig = 0;
    napi_get_element(env, argv[0], i, &v);
    napi_get_value_int32(env, v, &sig);
    if (sig > 0 && sig < NSIG) sigaddset(&set, sig);
  }
  return make_int(env, pthread_sigmask(SIG_UNBLOCK, &set, NULL));
}

// SIG_IGN for the given signals (SIGTTOU/SIGTTIN: foyer in a background group must not be stopped
// for writing a log line to the terminal it handed to its main program). Children reset to SIG_DFL.
static napi_value IgnoreSignals(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  uint32_t n = 0;
  NAPI(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  NAPI(napi_get_array_length(env, argv[0], &n));
  struct sigaction ign = {.sa_handler = SIG_IGN};
  for (uint32_t i = 0; i < n; i++) {
    napi_value v;
    int32_t sig = 0;
    napi_get_element(env, argv[0], i, &v);
    napi_get_value_int32(env, v, &sig);
    if (sig > 0 && sig < NSIG && sigaction(sig, &ign, NULL) == -1) return make_int(env, errno);
  }
  return make_int(env, 0);
}

static napi_value SetSubreaper(napi_env env, napi_callback_info info) {
  (void)info;
  return make_int(env, prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == -1 ? errno : 0);
}

// Not dumpable: /proc/<foyer>/environ (its secrets), mem and ptrace are then root's alone, also
// for programs running as foyer's own uid. Children are dumpable again after their execve.
static napi_value SetNotDumpable(napi_env env, napi_callback_info info) {
  (void)info;
  return make_int(env, prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == -1 ? errno : 0);
}

// The reentrant NSS lookups with a growing buffer; *found is 0 when the entry does not exist.
static napi_value passwd_to_js(napi_env env, const struct passwd* pw) {
  napi_value o;
  NAPI(napi_create_object(env, &o));
  set_prop(env, o, "name", make_str(env, pw->pw_name));
  set_prop(env, o, "uid", make_int(env, pw->pw_uid));
  set_prop(env, o, "gid", make_int(env, pw->pw_gid));
  set_prop(env, o, "home", make_str(env, pw->pw_dir));
  set_prop(env, o, "shell", make_str(env, pw->pw_shell));
  return o;
}

static napi_value lookup_passwd(napi_env env, const char* name, uid_t uid) {
  struct passwd pw, *res = NULL;
  size_t size = 4096;
  for (;;) {
    char* buf = malloc(size);
    if (!buf) break;
    int e = name ? getpwnam_r(name, &pw, buf, size, &res) : getpwuid_r(uid, &pw, buf, size, &res);
    if (e == ERANGE && size < (1 << 20)) { free(buf); size *= 4; continue; }
    napi_value out = NULL;
    if (res) out = passwd_to_js(env, res);
    else if (e != 0 && e != ENOENT && e != ESRCH && e != EBADF && e != EPERM) {
      napi_throw_error(env, "ERR_FOYER_NSS", strerror(e));
    } else napi_get_null(env, &out);
    free(buf);
    return out;
  }
  napi_throw_error(env, "ERR_FOYER_NSS", "out of memory");
  return NULL;
}

static napi_value lookup_group(napi_env env, const char* name, gid_t gid) {
  struct group gr, *res = NULL;
  size_t size = 16384;
  for (;;) {
    char* buf = malloc(size);
    if (!buf) break;
    int e = name ? getgrnam_r(name, &gr, buf, size, &res) : getgrgid_r(gid, &gr, buf, size, &res);
    if (e == ERANGE && size < (1 << 24)) { free(buf); size *= 4; continue; }
    napi_value out = NULL;
    if (res) {
      napi_create_object(env, &out);
      set_prop(env, out, "name", make_str(env, res->gr_name));
      set_prop(env, out, "gid", make_int(env, res->gr_gid));
    } else if (e != 0 && e != ENOENT && e != ESRCH && e != EBADF && e != EPERM) {
      napi_throw_error(env, "ERR_FOYER_NSS", strerror(e));
    } else napi_get_null(env, &out);
    free(buf);
    return out;
  }
  napi_throw_error(env, "ERR_FOYER_NSS", "out of memory");
  return NULL;
}

static napi_value by_name_or_id(napi_env env, napi_callback_info info, int is_group) {
  size_t argc = 1;
  napi_value argv[1];
  napi_valuetype t;
  NAPI(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  NAPI(napi_typeof(env, argv[0], &t));
  if (t == napi_number) {
    uint32_t id = 0;
    NAPI(napi_get_value_uint32(env, argv[0], &id));
    return is_group ? lookup_group(env, NULL, id) : lookup_passwd(env, NULL, id);
  }
  char* name = get_str(env, argv[0]);
  if (!name) return NULL;
  napi_value r = is_group ? lookup_group(env, name, 0) : lookup_passwd(env, name, 0);
  free(name);
  return r;
}

static napi_value Getpw(napi_env env, napi_callback_info info) { return by_name_or_id(env, info, 0); }
static napi_value Getgr(napi_env env, napi_callback_info info) { return by_name_or_id(env, info, 1); }

static napi_value Getgrouplist(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  uint32_t gid = 0;
  NAPI(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  NAPI(napi_get_value_uint32(env, argv[1], &gid));
  char* user = get_str(env, argv[0]);
  if (!user) return NULL;
  int n = 64;
  gid_t* groups = NULL;
  for (;;) {
    gid_t* grown = realloc(groups, sizeof(gid_t) * n);
    if (!grown) break;
    groups = grown;
    int want = n;
    if (getgrouplist(user, gid, groups, &want) != -1) { n = want; break; }
    if (want <= n || want > MAX_GROUPS) { n = -1; break; }
    n = want;
  }
  free(user);
  if (n < 0 || !groups) {
    free(groups);
    napi_throw_error(env, "ERR_FOYER_NSS", "getgrouplist failed");
    return NULL;
  }
  napi_value arr;
  napi_create_array_with_length(env, n, &arr);
  for (int i = 0; i < n; i++) napi_set_element(env, arr, i, make_int(env, groups[i]));
  free(groups);
  return arr;
}

static napi_value LockWrite(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  int32_t fd = -1;
  NAPI(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  NAPI(napi_get_value_int32(env, argv[0], &fd));
  struct flock fl;
  memset(&fl, 0, sizeof fl);
  fl.l_type = F_WRLCK;
  fl.l_whence = SEEK_SET; // l_start = l_len = 0: the whole file, as lckpwdf does
  int rc = fcntl(fd, F_SETLK, &fl);
  return make_int(env, rc == 0 ? 0 : errno);
}

// ---- execAs ---------------------------------------------------------------------------------------

typedef struct {
  char* file;
  char** argv;
  char** envp;
  char* cwd;       // NULL: keep
  int switch_user; // 0: keep foyer's own uid/gid/groups
  uid_t uid;
  gid_t gid;
  gid_t* groups;
  size_t ngroups;
  int umask;       // -1: keep
  int session;     // 0 none, 1 setsid, 2 setpgid + tcsetpgrp when stdin is a tty
  int report_fd;   // -1: none; else made close-on-exec so success closes it
} exec_request;

typedef struct {
  const char* stage;
  int err;
} exec_failure;

static int fail(exec_failure* f, const char* stage, int err) {
  f->stage = stage;
  f->err = err;
  return -1;
}

// New session, or a new foreground process group on the terminal (tini's behaviour).
static int enter_session(const exec_request* r, exec_failure* f) {
  if (r->session == 1 && setsid() == -1 && getsid(0) != getpid()) return fail(f, "setsid", errno);
  if (r->session != 2) return 0;
  if (setpgid(0, 0) == -1) return fail(f, "setpgid", errno);
  if (!isatty(STDIN_FILENO)) return 0;
  // A background group calling tcsetpgrp gets SIGTTOU: ignore it for this one call.
  struct sigaction ign = {.sa_handler = SIG_IGN}, old;
  sigaction(SIGTTOU, &ign, &old);
  int rc = tcsetpgrp(STDIN_FILENO, getpid());
  int e = errno;
  sigaction(SIGTTOU, &old, NULL);
  if (rc == -1 && e != ENOTTY && e != ENXIO) return fail(f, "tcsetpgrp", e);
  return 0;
}

// True when no capability is left in the effective or permitted set.
static int has_no_capabilities(void) {
  struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
  struct __user_cap_data_struct data[2];
  memset(data, 0, sizeof data);
  if (syscall(SYS_capget, &hdr, data) == -1) return 0;
  return (data[0].effective | data[1].effective | data[0].permitted | data[1].permitted) == 0;
}

// setgroups, setgid, setuid; then prove the switch cannot be undone.
static int drop_privileges(const exec_request* r, exec_failure* f) {
  if (!r->switch_user) return 0;
  if (setgroups(r->ngroups, r->groups) == -1) return fail(f, "setgroups", errno);
  if (setgid(r->gid) == -1) return fail(f, "setgid", errno);
  if (setuid(r->uid) == -1) return fail(f, "setuid", errno);
  if (getuid() != r->uid || geteuid() != r->uid || getgid() != r->gid || getegid() != r->gid)
    return fail(f, "verify ids", EPERM);
  if (r->uid == 0) return 0;
  if (setuid(0) != -1) return fail(f, "verify uid 0 cannot be regained", EPERM);
  if (!has_no_capabilities()) return fail(f, "verify no capabilities left", EPERM);
  return 0;
}

// The child starts with default signal dispositions, an empty mask and inheritable stdio.
static void reset_process_state(void) {
  struct sigaction dfl = {.sa_handler = SIG_DFL};
  for (int s = 1; s < NSIG; s++) sigaction(s, &dfl, NULL);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  for (int fd = 0; fd <= 2; fd++) {
    int fl = fcntl(fd, F_GETFD);
    if (fl != -1 && (fl & FD_CLOEXEC)) fcntl(fd, F_SETFD, fl & ~FD_CLOEXEC);
  }
}

// execve, or /bin/sh for a script without #! (what execvp and shells do).
static void exec_one(const char* path, char** argv, char** envp) {
  execve(path, argv, envp);
  if (errno != ENOEXEC) return;
  size_t n = 0;
  while (argv[n]) n++;
  char** sh = calloc(n + 2, sizeof(char*));
  if (!sh) return;
  sh[0] = "/bin/sh";
  sh[1] = (char*)path;
  for (size_t i = 1; i < n; i++) sh[i + 1] = argv[i];
  execve("/bin/sh", sh, envp);
  errno = ENOEXEC;
  free(sh);
}

static const char* env_path(char** envp) {
  for (char** e = envp; *e; e++)
    if (strncmp(*e, "PATH=", 5) == 0) return *e + 5;
  return DEFAULT_PATH;
}

// PATH search in the child's own environment; EACCES wins over ENOENT like in a shell.
static int exec_file(const exec_request* r, exec_failure* f) {
  if (strchr(r->file, '/')) {
    exec_one(r->file, r->argv, r->envp);
    return fail(f, "exec", errno);
  }
  const char* p = env_path(r->envp);
  size_t flen = strlen(r->file);
  int seen_eacces = 0, last = ENOENT;
  while (1) {
    const char* end = strchrnul(p, ':');
    size_t dlen = end - p;
    char* full = malloc(dlen + flen + 2);
    if (!full) return fail(f, "exec", ENOMEM);
    if (dlen == 0) strcpy(full, r->file);
    else { memcpy(full, p, dlen); full[dlen] = '/'; strcpy(full + dlen + 1, r->file); }
    exec_one(full, r->argv, r->envp);
    int e = errno;
    // EACCES counts only for a file that exists (not for an unreadable PATH directory), like a shell.
    if (e == EACCES && access(full, F_OK) == 0) seen_eacces = 1;
    free(full);
    if (e != EACCES && e != ENOENT && e != ENOTDIR && e != ENAMETOOLONG && e != ELOOP) {
      last = e;  // a real failure of an existing program (ENOEXEC without /bin/sh, E2BIG, ...)
      break;
    }
    if (*end == '\0') break;
    p = end + 1;
  }
  return fail(f, "exec", seen_eacces ? EACCES : last);
}

static int run_exec(const exec_request* r, exec_failure* f) {
  if (enter_session(r, f) || drop_privileges(r, f)) return -1;
  if (r->cwd && chdir(r->cwd) == -1) return fail(f, "chdir", errno);
  if (r->umask >= 0) umask((mode_t)r->umask);
  if (r->report_fd > 2 && fcntl(r->report_fd, F_SETFD, FD_CLOEXEC) == -1) return fail(f, "report fd", errno);
  reset_process_state();
  return exec_file(r, f);
}

static int read_request(napi_env env, napi_value o, exec_request* r) {
  napi_value v;
  napi_valuetype t;
  memset(r, 0, sizeof *r);
  if (napi_get_named_property(env, o, "file", &v) != napi_ok || !(r->file = get_str(env, v))) return -1;
  if (napi_get_named_property(env, o, "argv", &v) != napi_ok || !(r->argv = get_str_array(env, v))) return -1;
  if (napi_get_named_property(env, o, "envp", &v) != napi_ok || !(r->envp = get_str_array(env, v))) return -1;
  if (napi_get_named_property(env, o, "cwd", &v) == napi_ok && napi_typeof(env, v, &t) == napi_ok && t == napi_string)
    r->cwd = get_str(env, v);
  r->umask = (int)get_prop_int(env, o, "umask", -1);
  r->session = (int)get_prop_int(env, o, "session", 0);
  r->report_fd = (int)get_prop_int(env, o, "reportFd", -1);
  r->switch_user = get_prop_int(env, o, "uid", -1) >= 0;
  if (!r->switch_user) return 0;
  r->uid = (uid_t)get_prop_int(env, o, "uid", 0);
  r->gid = (gid_t)get_prop_int(env, o, "gid", 0);
  uint32_t n = 0;
  if (napi_get_named_property(env, o, "groups", &v) != napi_ok || napi_get_array_length(env, v, &n) != napi_ok) return -1;
  r->groups = calloc(n ? n : 1, sizeof(gid_t));
  r->ngroups = n;
  for (uint32_t i = 0; i < n; i++) {
    napi_value g;
    uint32_t x = 0;
    napi_get_element(env, v, i, &g);
    napi_get_value_uint32(env, g, &x);
    r->groups[i] = x;
  }
  return 0;
}

// execAs({file, argv, envp, uid?, gid?, groups?, cwd?, umask?, session, reportFd?}) -> {stage, errno, message}
static napi_value ExecAs(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  NAPI(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  exec_request r;
  if (read_request(env, argv[0], &r) != 0) {
    napi_throw_type_error(env, "ERR_FOYER_NATIVE", "execAs: malformed request");
    return NULL;
  }
  exec_failure f = {"exec", 0};
  run_exec(&r, &f);  // returns only on failure; the request leaks, the process is about to exit
  napi_value o;
  NAPI(napi_create_object(env, &o));
  set_prop(env, o, "stage", make_str(env, f.stage));
  set_prop(env, o, "errno", make_int(env, f.err));
  set_prop(env, o, "message", make_str(env, strerror(f.err)));
  return o;
}

static napi_value Init(napi_env env, napi_value exports) {
  napi_property_descriptor d[] = {
      {"waitpid", 0, Waitpid, 0, 0, 0, napi_default, 0},
      {"setSubreaper", 0, SetSubreaper, 0, 0, 0, napi_default, 0},
      {"setNotDumpable", 0, SetNotDumpable, 0, 0, 0, napi_default, 0},
      {"unblockSignals", 0, UnblockSignals, 0, 0, 0, napi_default, 0},
      {"ignoreSignals", 0, IgnoreSignals, 0, 0, 0, napi_default, 0},
      {"getpw", 0, Getpw, 0, 0, 0, napi_default, 0},
      {"getgr", 0, Getgr, 0, 0, 0, napi_default, 0},
      {"getgrouplist", 0, Getgrouplist, 0, 0, 0, napi_default, 0},
      {"execAs", 0, ExecAs, 0, 0, 0, napi_default, 0},
      {"lockWrite", 0, LockWrite, 0, 0, 0, napi_default, 0},
  };
  NAPI(napi_define_properties(env, exports, sizeof d / sizeof d[0], d));
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
