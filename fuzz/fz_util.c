/*
 * fz_util.c -- the fuzz targets' shared helpers (fz.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/fs.h"
#include "fz.h"

/* Sanitizers report on this descriptor (weak: absent without a sanitizer). */
void __sanitizer_set_report_fd(void *fd) __attribute__((weak));

/* One process, one thread calls these: no locking. */
static char __dir[512];
static int __saved_out = -1, __saved_err = -1, __report_fd = -1;
static char __capture[600];

static void
__remove_dir(void)
{
    if (__dir[0] != '\0')
        (void)lr_rm_rf(__dir);
}

static void
__env_fail(const char *what, const char *path)
{
    fprintf(stderr, "fuzz: %s %s: %s\n", what, path, strerror(errno));
    exit(2);
}

const char *
fz_dir(void)
{
    const char *base;
    struct stat st;

    if (__dir[0] != '\0')
        return (__dir);
    if ((base = getenv("LR_FUZZ_TMPDIR")) == NULL || base[0] == '\0')
        base = stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) ? "/dev/shm" : "/tmp";
    snprintf(__dir, sizeof(__dir), "%s/layerace-fuzz-%ld", base, (long)getpid());
    (void)lr_rm_rf(__dir); /* a dead process's, with the same pid */
    if (mkdir(__dir, 0700) != 0)
        __env_fail("cannot create", __dir);
    atexit(__remove_dir);
    /* Reports go to the real stderr even while a call's output is captured. */
    if (__sanitizer_set_report_fd != NULL && (__report_fd = dup(2)) >= 0)
        __sanitizer_set_report_fd((void *)(intptr_t)__report_fd);
    snprintf(__capture, sizeof(__capture), "%s/captured", __dir);
    return (__dir);
}

void
fz_path(char *buf, size_t len, const char *name)
{
    snprintf(buf, len, "%s/%s", fz_dir(), name);
}

void
fz_write(const char *path, const void *data, size_t size)
{
    FILE *fp;

    if ((fp = fopen(path, "w")) == NULL)
        __env_fail("cannot write", path);
    if ((size > 0 && fwrite(data, 1, size, fp) != size) || fclose(fp) != 0)
        __env_fail("cannot write", path);
}

void
fz_capture_begin(void)
{
    int fd;

    (void)fz_dir();
    fflush(stdout);
    fflush(stderr);
    if ((fd = open(__capture, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) < 0)
        __env_fail("cannot write", __capture);
    __saved_out = dup(1);
    __saved_err = dup(2);
    if (__saved_out < 0 || __saved_err < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
        __env_fail("cannot redirect output to", __capture);
    close(fd);
}

/* __restore -- stdout and stderr back where they were. */
static void
__restore(void)
{
    if (__saved_out < 0)
        return;
    fflush(stdout);
    fflush(stderr);
    (void)dup2(__saved_out, 1);
    (void)dup2(__saved_err, 2);
    close(__saved_out);
    close(__saved_err);
    __saved_out = __saved_err = -1;
}

void
fz_capture_end(char *buf, size_t len)
{
    ssize_t n;
    int fd;

    __restore();
    buf[0] = '\0';
    if ((fd = open(__capture, O_RDONLY | O_CLOEXEC)) < 0)
        __env_fail("cannot read", __capture);
    n = read(fd, buf, len - 1);
    close(fd);
    buf[n < 0 ? 0 : n] = '\0';
}

int
fz_split_words(char *line, char **words, int max)
{
    char *in, *out;
    int n;

    for (n = 0, in = out = line; *in != '\0';) {
        while (*in == ' ')
            in++;
        if (*in == '\0')
            break;
        if (n == max)
            return (-1);
        words[n++] = out;
        for (; *in != '\0' && *in != ' '; in++) {
            if (*in == '\\' && in[1] != '\0') { /* \' between quoted parts */
                *out++ = *++in;
                continue;
            }
            if (*in != '\'') {
                *out++ = *in;
                continue;
            }
            for (in++; *in != '\''; in++) {
                if (*in == '\0')
                    return (-1);
                *out++ = *in;
            }
        }
        if (*in == ' ')
            in++;
        *out++ = '\0';
    }
    return (n);
}

void
fz_fail(const char *fmt, ...)
{
    va_list ap;

    __restore();
    fprintf(stderr, "fuzz finding: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n");
    abort();
}
