// Test support: an LD_PRELOAD shim that holds foyer inside its start-up, deterministically. When
// foyer dlopen()s its native addon (after its signal handlers should exist, before any program
// starts), the shim opens $GATE_FIFO and blocks until the test has sent its signal and closed the
// FIFO's write end. No change to foyer itself; no sleeps.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void *dlopen(const char *file, int flags) {
  static void *(*real)(const char *, int);
  if (!real) real = (void *(*)(const char *, int))dlsym(RTLD_NEXT, "dlopen");
  const char *gate = getenv("GATE_FIFO");
  if (file && gate && strstr(file, "foyer_native")) {
    int fd = open(gate, O_RDONLY);
    char c;
    if (fd >= 0) {
      while (read(fd, &c, 1) > 0) {
      }
      close(fd);
    }
  }
  return real(file, flags);
}
