/*
 * envfail.c -- a run that met a failure of its environment (a full disk, no file descriptors or
 * memory, a failing device) ends with exit 2 and one line saying what ran out and where: what
 * follows such a failure (failed creates, lost tables, a node that cannot step up) is not a
 * finding about the system under test.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/statvfs.h>

#include "stress/engine_int.h"

/* __what -- what ran out, and what to do about it. */
static const char *
__what(int rc, const char **todo)
{
    switch (rc) {
    case ENOSPC:
    case EDQUOT:
        *todo = "free space there or give --out a directory on a larger filesystem";
        return ("out of disk space");
    case EMFILE:
    case ENFILE:
        *todo = "raise the open-file limit (ulimit -n) or run fewer threads or tables";
        return ("out of file descriptors");
    case ENOMEM:
        *todo = "free memory or run fewer threads, tables or rows";
        return ("out of memory");
    case EROFS:
        *todo = "give --out a writable directory";
        return ("the filesystem is read-only");
    default:
        *todo = "check the device (dmesg) and give --out a directory on another one";
        return ("the storage failed (I/O error)");
    }
}

bool
lr_env_verdict(const char *dir, lr_result *res)
{
    struct statvfs sv;
    char msg[512], space[64];
    const char *what, *todo;
    int rc;

    if ((rc = lt_env_failure(msg, sizeof(msg))) == 0)
        return (false);
    what = __what(rc, &todo);
    space[0] = '\0';
    if ((rc == ENOSPC || rc == EDQUOT) && statvfs(dir, &sv) == 0)
        (void)snprintf(space, sizeof(space), ", %llu KiB free",
          (unsigned long long)sv.f_bavail * (unsigned long long)sv.f_frsize / 1024);
    (void)snprintf(res->error, sizeof(res->error),
      "environment: %s (%s) under %s%s: %s; first seen: %.200s%s", what, lt_strerror(rc), dir,
      space, todo, msg,
      res->nviolations != 0 ? "; the violations that followed are not findings" : "");
    res->nviolations = 0;
    memset(res->tally, 0, sizeof(res->tally));
    return (true);
}
