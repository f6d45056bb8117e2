/*
 * fz.h -- what the fuzz targets share: a scratch directory on a tmpfs, the input as a file, the
 * target's messages captured to check them, a shell-quoted command line split back into words,
 * and a finding (a broken property: printed, then abort() so that libFuzzer keeps the input).
 *
 * Each target defines LLVMFuzzerTestOneInput, and LLVMFuzzerInitialize if it needs set-up; under
 * LR_FUZZ libFuzzer calls them, otherwise fz_main.c does, over corpus files.
 */
#ifndef LR_FZ_H
#define LR_FZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* The process's scratch directory: $LR_FUZZ_TMPDIR, else /dev/shm, else /tmp; removed at exit. */
const char *fz_dir(void);
/* buf = fz_dir()/name. */
void fz_path(char *buf, size_t len, const char *name);
/* Write size bytes to path (a failure is an environment error: exit 2). */
void fz_write(const char *path, const void *data, size_t size);

/* Capture what the code under test prints on stdout and stderr, until fz_capture_end. */
void fz_capture_begin(void);
/* Stop capturing; buf gets the captured text (NUL-terminated, cut at len - 1). */
void fz_capture_end(char *buf, size_t len);

/* Split a command line printed by lr_append_quoted (words, '...' and '\'' quoting) into at most
 * max words, in place. Returns the number of words, or -1 if it is not such a line. */
int fz_split_words(char *line, char **words, int max);

/* A finding: print FMT and abort. */
void fz_fail(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
#define FZ_CHECK(cond, ...)       \
    do {                          \
        if (!(cond))              \
            fz_fail(__VA_ARGS__); \
    } while (0)

#endif /* LR_FZ_H */
