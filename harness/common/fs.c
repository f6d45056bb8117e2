/*
 * fs.c -- see fs.h.
 */
#define _GNU_SOURCE /* nftw, mkdtemp */
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>
#include <linux/magic.h>

#include "common/fs.h"

/* nftw passes its callback no argument: the first error of the calling thread's walk. */
static _Thread_local int lr_rm_err;

static int
__rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    if (remove(path) != 0 && errno != ENOENT && lr_rm_err == 0)
        lr_rm_err = errno;
    return (0); /* go on: remove all that can be removed */
}

int
lr_rm_rf(const char *path)
{
    struct stat sb;

    if (lstat(path, &sb) != 0)
        return (errno == ENOENT ? 0 : errno);
    lr_rm_err = 0;
    if (nftw(path, __rm_entry, 16, FTW_DEPTH | FTW_PHYS) != 0 && lr_rm_err == 0)
        lr_rm_err = errno != 0 ? errno : EIO;
    return (lr_rm_err);
}

int
lr_mkdir_p(const char *dir)
{
    char buf[4096], *p;
    struct stat sb;

    if (dir[0] == '\0')
        return (ENOENT);
    if ((size_t)snprintf(buf, sizeof(buf), "%s", dir) >= sizeof(buf))
        return (ENAMETOOLONG);
    for (p = buf + 1; *p != '\0'; p++) {
        if (*p != '/' || p[-1] == '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0755) != 0 && errno != EEXIST)
            return (errno);
        *p = '/';
    }
    if (mkdir(buf, 0755) != 0 && errno != EEXIST)
        return (errno);
    if (stat(dir, &sb) != 0)
        return (errno);
    return (S_ISDIR(sb.st_mode) ? 0 : ENOTDIR);
}

int
lr_fresh_dir(const char *dir)
{
    int rc;

    if ((rc = lr_rm_rf(dir)) != 0)
        return (rc);
    return (lr_mkdir_p(dir));
}

const char *
lr_tmp_root(void)
{
    const char *tmp = getenv("TMPDIR");

    return (tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp");
}

int
lr_temp_dir(const char *parent, const char *prefix, char *buf, size_t len)
{
    int rc;

    if (parent == NULL || parent[0] == '\0')
        parent = lr_tmp_root();
    if ((rc = lr_mkdir_p(parent)) != 0)
        return (rc);
    if ((size_t)snprintf(buf, len, "%s/%s.XXXXXX", parent, prefix) >= len)
        return (ENAMETOOLONG);
    return (mkdtemp(buf) == NULL ? errno : 0);
}

#define TMPFS_ROOT "/dev/shm"

int
lr_tmpfs_dir(const char *prefix, unsigned long long min_free, char *buf, size_t len)
{
    struct statfs sf;

    if (statfs(TMPFS_ROOT, &sf) != 0 || (unsigned long)sf.f_type != TMPFS_MAGIC ||
      (unsigned long long)sf.f_bavail * (unsigned long long)sf.f_bsize < min_free ||
      access(TMPFS_ROOT, W_OK) != 0)
        return (ENOENT);
    return (lr_temp_dir(TMPFS_ROOT, prefix, buf, len));
}
