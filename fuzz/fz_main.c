/*
 * fz_main.c -- a fuzz target without libFuzzer: runs LLVMFuzzerTestOneInput once over each file
 * named, or over each file of a directory named (in name order), so that the ordinary builds
 * replay the corpus as a test. A broken property aborts (fz_fail); no input at all is exit 2.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fz.h"

/* Targets without set-up do not define it. */
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static int
__run_file(const char *path)
{
    unsigned char *buf;
    size_t n;
    long size;
    FILE *fp;

    if ((fp = fopen(path, "rb")) == NULL || fseek(fp, 0, SEEK_END) != 0 || (size = ftell(fp)) < 0 ||
      fseek(fp, 0, SEEK_SET) != 0) {
        fprintf(stderr, "fuzz: cannot read %s: %s\n", path, strerror(errno));
        if (fp != NULL)
            fclose(fp);
        return (-1);
    }
    if ((buf = malloc((size_t)size + 1)) == NULL ||
      (n = fread(buf, 1, (size_t)size, fp)) != (size_t)size) {
        fprintf(stderr, "fuzz: cannot read %s\n", path);
        free(buf);
        fclose(fp);
        return (-1);
    }
    fclose(fp);
    (void)LLVMFuzzerTestOneInput(buf, n);
    free(buf);
    return (0);
}

static int
__regular(const struct dirent *e)
{
    return (e->d_name[0] != '.');
}

/* __run_dir -- every regular file of dir, in name order. Returns the number run, or -1. */
static int
__run_dir(const char *dir)
{
    char path[4096];
    struct dirent **names;
    struct stat st;
    int i, n, ran = 0;

    if ((n = scandir(dir, &names, __regular, alphasort)) < 0) {
        fprintf(stderr, "fuzz: cannot read %s: %s\n", dir, strerror(errno));
        return (-1);
    }
    for (i = 0; i < n; i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
        if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
            if (__run_file(path) != 0)
                ran = -1;
            else if (ran >= 0)
                ran++;
        }
        free(names[i]);
    }
    free(names);
    return (ran);
}

int
main(int argc, char **argv)
{
    struct stat st;
    int i, n, total = 0;

    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
        return (2);
    }
    if (LLVMFuzzerInitialize != NULL)
        (void)LLVMFuzzerInitialize(&argc, &argv);
    for (i = 1; i < argc; i++) {
        if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
            n = __run_dir(argv[i]);
        else
            n = __run_file(argv[i]) == 0 ? 1 : -1;
        if (n < 0)
            return (2);
        total += n;
    }
    printf("%s: %d inputs, no finding\n", argv[0], total);
    return (total > 0 ? 0 : 2);
}
