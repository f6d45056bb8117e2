/*
 * durlog.c -- the durable operation log of a run with --crash-every: every committed write and
 * logical schema operation (lr_oplog_add) and every checkpoint publication the application saw
 * (its timestamp: the log is trimmed logically there, as an application trims its own) is
 * appended and synced before the operation is acknowledged, so a kill loses no acknowledged
 * operation. A life after a kill reads it back (crash.c). Fixed-size records with a checksum: a
 * record torn by the kill ends the log. LAYERACE_DURLOG_NOSYNC=1 appends without the sync, to
 * measure what it costs (a run so made does not survive a power cut, only a kill). Each recovery
 * compacts it (lr_durlog_rewrite, crash.c), so its size follows the oracle's, not the run's length.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "stress/engine_int.h"

#define LR_DURLOG_MAGIC 0x4c52444cu /* "LDRL" */

typedef struct {
    uint32_t magic;
    uint16_t kind; /* lr_log_kind, or LR_DURLOG_CKPT */
    uint16_t table;
    uint64_t ts;
    char key[8];
    char value[48];
    uint64_t sum; /* of the bytes before it: no padding anywhere */
} lr_durrec_disk;

static uint64_t
__sum(const lr_durrec_disk *d)
{
    const unsigned char *p = (const unsigned char *)d;
    uint32_t h = 2166136261u;
    size_t i;

    for (i = 0; i < offsetof(lr_durrec_disk, sum); i++)
        h = (h ^ p[i]) * 16777619u;
    return (h);
}

int
lr_durlog_open(lr_run *run)
{
    const char *e = getenv("LAYERACE_DURLOG_NOSYNC");

    run->durfd = -1;
    if (run->cfg.durlog == NULL)
        return (0);
    run->durlog_nosync = e != NULL && strcmp(e, "1") == 0;
    if ((run->durfd = open(run->cfg.durlog, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644)) < 0)
        return (errno);
    return (0);
}

void
lr_durlog_close(lr_run *run)
{
    if (run->durfd >= 0)
        (void)close(run->durfd);
    run->durfd = -1;
}

/* A record as it is stored, with its checksum. */
static void
__fill(lr_durrec_disk *d, unsigned kind, int t, uint64_t ts, const char *key, const char *value)
{
    memset(d, 0, sizeof(*d));
    d->magic = LR_DURLOG_MAGIC;
    d->kind = (uint16_t)kind;
    d->table = (uint16_t)t;
    d->ts = ts;
    if (key != NULL)
        (void)strncpy(d->key, key, sizeof(d->key) - 1);
    if (value != NULL)
        (void)strncpy(d->value, value, sizeof(d->value) - 1);
    d->sum = __sum(d);
}

void
lr_durlog_append(lr_run *run, int kind, int t, uint64_t ts, const char *key, const char *value)
{
    lr_durrec_disk d;
    ssize_t n;

    if (run->durfd < 0 || run->durlog_loading)
        return;
    __fill(&d, (unsigned)kind, t, ts, key, value);
    /* One write with O_APPEND: records of concurrent appenders never interleave. */
    n = write(run->durfd, &d, sizeof(d));
    if (n != (ssize_t)sizeof(d) || (!run->durlog_nosync && fdatasync(run->durfd) != 0))
        lr_online_violation(run, "harness", -1, t >= 0 ? run->names[t] : NULL,
          "durable operation log %s: %s", run->cfg.durlog,
          n != (ssize_t)sizeof(d) ? "short write" : strerror(errno));
}

int
lr_durlog_put(FILE *fp, unsigned kind, int t, uint64_t ts, const char *key, const char *value)
{
    lr_durrec_disk d;

    __fill(&d, kind, t, ts, key, value);
    return (fwrite(&d, sizeof(d), 1, fp) == 1 ? 0 : (errno != 0 ? errno : EIO));
}

int
lr_durlog_rewrite(lr_run *run, int (*fill)(void *arg, FILE *fp), void *arg)
{
    char tmp[4096], dir[4096];
    FILE *fp;
    int rc, dfd;

    if ((size_t)snprintf(tmp, sizeof(tmp), "%s.new", run->cfg.durlog) >= sizeof(tmp))
        return (ENAMETOOLONG);
    (void)snprintf(dir, sizeof(dir), "%s", run->cfg.durlog);
    if ((fp = fopen(tmp, "wb")) == NULL)
        return (errno);
    errno = 0;
    if ((rc = fill(arg, fp)) == 0 && (fflush(fp) != 0 || fdatasync(fileno(fp)) != 0))
        rc = errno != 0 ? errno : EIO;
    if (fclose(fp) != 0 && rc == 0)
        rc = errno;
    /* A kill before the rename leaves the old log; after it, the new one, already durable. */
    if (rc == 0 && rename(tmp, run->cfg.durlog) != 0)
        rc = errno;
    if (rc != 0) {
        (void)unlink(tmp);
        return (rc);
    }
    if ((dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
        if (fsync(dfd) != 0)
            rc = errno;
        (void)close(dfd);
    }
    return (rc);
}

int
lr_durlog_scan(const char *path, int (*fn)(void *arg, const lr_durrec *r), void *arg)
{
    lr_durrec_disk d;
    lr_durrec r;
    FILE *fp;
    int rc = 0;

    if ((fp = fopen(path, "rb")) == NULL)
        return (errno == ENOENT ? 0 : errno);
    while (rc == 0 && fread(&d, sizeof(d), 1, fp) == 1 && d.magic == LR_DURLOG_MAGIC &&
      d.sum == __sum(&d)) {
        memset(&r, 0, sizeof(r));
        r.logged = (d.kind & LR_DURLOG_LOGGED) != 0;
        r.kind = (int)(d.kind & ~LR_DURLOG_LOGGED);
        r.table = d.table;
        r.rec.ts = d.ts;
        r.rec.kind = (lr_log_kind)r.kind;
        memcpy(r.rec.key, d.key, sizeof(d.key));
        memcpy(r.rec.value, d.value, sizeof(d.value));
        r.rec.key[sizeof(r.rec.key) - 1] = r.rec.value[sizeof(r.rec.value) - 1] = '\0';
        rc = fn(arg, &r);
    }
    if (rc == 0 && ferror(fp))
        rc = EIO;
    (void)fclose(fp);
    return (rc);
}
