/*
 * fs.h -- directories: remove a tree, create a path, make a fresh or a temporary directory.
 * Each returns 0 or an errno value and prints nothing: the caller says what failed.
 * Leaf module: calls nothing else in the harness.
 */
#ifndef LR_FS_H
#define LR_FS_H

#include <stddef.h>

/* Remove path and everything below it (rm -rf, links not followed). 0 once it is gone (or if it
 * never was); otherwise the first errno met, after removing all that could be removed. */
int lr_rm_rf(const char *path);

/* Create dir and its missing parents (mkdir -p). ENOTDIR if something else is there. */
int lr_mkdir_p(const char *dir);

/* Make dir empty and new: remove whatever is there, then create it and its missing parents. */
int lr_fresh_dir(const char *dir);

/* Where temporary directories go: $TMPDIR if set and not empty, else /tmp. */
const char *lr_tmp_root(void);

/*
 * lr_temp_dir --
 *     Create a new directory PARENT/PREFIX.XXXXXX (mkdtemp) and put its path in buf. PARENT NULL
 *     or empty means lr_tmp_root(); a missing PARENT is created. ENAMETOOLONG if buf is too small.
 */
int lr_temp_dir(const char *parent, const char *prefix, char *buf, size_t len);

/*
 * lr_tmpfs_dir --
 *     lr_temp_dir under /dev/shm when it is a writable tmpfs with at least min_free bytes free;
 *     ENOENT (nothing created) otherwise. For databases that no run needs after it ends: on a
 *     tmpfs WiredTiger's fsyncs cost nothing.
 */
int lr_tmpfs_dir(const char *prefix, unsigned long long min_free, char *buf, size_t len);
/* The room explore's runs (and the bench that measures them) want on the tmpfs. */
#define LR_TMPFS_MIN_FREE (512ULL << 20)

#endif /* LR_FS_H */
