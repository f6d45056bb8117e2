/*
 * options_read.c -- knobs read: from the command line (getopt_long, options generated from the
 * command's table) and from a repro file (name=value lines, strictly), and a drawn seed.
 *
 * Layers: defaults, then a repro file (replay), then the command line; each overrides the one
 * before. On the command line the last occurrence of an option wins; a repro file names each
 * knob at most once.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "options/options_int.h"

/* getopt_long values: knob i is LONG_BASE + i, its --no- form NEG_BASE + i. */
#define LONG_BASE 256
#define NEG_BASE (LONG_BASE + LR_KNOBS_MAX)

/* __flag_with_value -- "--quiet=1": the index of the FLAG knob named, or -1. */
static int
__flag_with_value(const lr_knob_table *t, const char *arg)
{
    const char *eq, *name;
    size_t n;
    int i;

    if (strncmp(arg, "--", 2) != 0 || (eq = strchr(arg, '=')) == NULL)
        return (-1);
    name = arg + 2;
    if (strncmp(name, "no-", 3) == 0)
        name += 3;
    n = (size_t)(eq - name);
    for (i = 0; i < t->n; i++)
        if (t->knobs[i].kind == LR_K_FLAG && strlen(t->knobs[i].name) == n &&
          strncmp(t->knobs[i].name, name, n) == 0)
            return (i);
    return (-1);
}

int
lr_knobs_parse(const lr_knob_table *t, void *o, int argc, char **argv, const char **filep,
  void (*usage)(FILE *))
{
    struct option longopts[2 * LR_KNOBS_MAX + 2];
    char negnames[LR_KNOBS_MAX][64], err[512];
    bool layer[LR_KNOBS_MAX], *given;
    const lr_knob *k;
    const char *cmd;
    int ch, i, n;

    cmd = argv[0];
    given = LR_GIVEN(t, o);
    memset(layer, 0, sizeof(layer));
    for (i = 0, n = 0; i < t->n; i++) {
        k = &t->knobs[i];
        longopts[n++] = (struct option){k->name,
          k->kind == LR_K_FLAG ? no_argument : required_argument, NULL, LONG_BASE + i};
        if (k->kind == LR_K_FLAG) {
            snprintf(negnames[i], sizeof(negnames[i]), "no-%s", k->name);
            longopts[n++] = (struct option){negnames[i], no_argument, NULL, NEG_BASE + i};
        }
    }
    longopts[n++] = (struct option){"help", no_argument, NULL, 'h'};
    longopts[n] = (struct option){NULL, 0, NULL, 0};

    optind = 0;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        if (ch == 'h') {
            usage(stdout);
            return (-1);
        }
        if (ch == ':') {
            fprintf(stderr, "%s %s: option '%s' needs a value\n", LR_PROG, cmd, argv[optind - 1]);
            goto usage;
        }
        if (ch < LONG_BASE || ch >= NEG_BASE + t->n || (ch >= LONG_BASE + t->n && ch < NEG_BASE)) {
            if ((i = __flag_with_value(t, argv[optind - 1])) >= 0)
                fprintf(stderr, "%s %s: option '--%s' takes no value\n", LR_PROG, cmd,
                  t->knobs[i].name);
            else if (optopt != 0 && optopt < LONG_BASE)
                fprintf(stderr, "%s %s: unknown option '-%c'\n", LR_PROG, cmd, optopt);
            else
                fprintf(stderr, "%s %s: unknown option '%s'\n", LR_PROG, cmd, argv[optind - 1]);
            goto usage;
        }
        i = ch >= NEG_BASE ? ch - NEG_BASE : ch - LONG_BASE;
        k = &t->knobs[i];
        if (k->kind == LR_K_FLAG && optarg != NULL) {
            fprintf(stderr, "%s %s: option '--%s' takes no value\n", LR_PROG, cmd, k->name);
            goto usage;
        }
        if (lr_knob_set(o, k, ch >= NEG_BASE ? "0" : optarg, err, sizeof(err)) != 0) {
            fprintf(stderr, "%s %s: --%s %s\n", LR_PROG, cmd, k->name, err);
            goto usage;
        }
        given[i] = layer[i] = true;
    }
    if (t->layer_done != NULL)
        t->layer_done(o, layer);

    if (filep != NULL) {
        if (optind >= argc) {
            fprintf(stderr, "%s %s: no repro file given\n", LR_PROG, cmd);
            goto usage;
        }
        *filep = argv[optind++];
    }
    if (optind < argc) {
        fprintf(stderr, "%s %s: unexpected argument '%s'\n", LR_PROG, cmd, argv[optind]);
        goto usage;
    }
    return (0);

usage:
    usage(stderr);
    return (LR_EXIT_ENV);
}

static char *
__trim(char *s)
{
    char *end;

    while (*s == ' ' || *s == '\t')
        s++;
    end = s + strlen(s);
    while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n' || end[-1] == '\r'))
        *--end = '\0';
    return (s);
}

/* __load_line -- one line that is not blank or a comment. Returns 0, or -1 with err set. */
static int
__load_line(const lr_knob_table *t, void *o, char *line, int lineno, int *first, bool *layer,
  lr_knob_line_fn hook, void *arg, char *err, size_t errlen)
{
    char *key, *val, *eq, why[512];
    int i, ret;

    if (hook != NULL && (ret = hook(arg, line, err, errlen)) != 0)
        return (ret < 0 ? -1 : 0);
    if ((eq = strchr(line, '=')) == NULL) {
        snprintf(err, errlen, "expected knob=value, not '%s'", line);
        return (-1);
    }
    *eq = '\0';
    key = __trim(line);
    val = __trim(eq + 1);
    for (i = 0; i < t->n; i++)
        if (strcmp(t->knobs[i].name, key) == 0)
            break;
    if (i == t->n || t->knobs[i].cls == LR_C_CLI) {
        snprintf(err, errlen, "unknown knob '%s'", key);
        return (-1);
    }
    if (layer[i]) {
        snprintf(err, errlen, "knob '%s' given twice (first on line %d)", key, first[i]);
        return (-1);
    }
    if (lr_knob_set(o, &t->knobs[i], val, why, sizeof(why)) != 0) {
        snprintf(err, errlen, "%s %s", key, why);
        return (-1);
    }
    first[i] = lineno;
    LR_GIVEN(t, o)[i] = layer[i] = true;
    return (0);
}

int
lr_knobs_load(const lr_knob_table *t, void *o, const char *path, lr_knob_line_fn hook, void *arg)
{
    FILE *fp;
    bool layer[LR_KNOBS_MAX];
    char *line, *s, err[1024];
    size_t cap;
    ssize_t len;
    int first[LR_KNOBS_MAX], lineno, ret;

    if ((fp = fopen(path, "r")) == NULL) {
        fprintf(stderr, "%s replay: cannot open repro file %s: %s\n", LR_PROG, path,
          strerror(errno));
        return (LR_EXIT_ENV);
    }
    memset(layer, 0, sizeof(layer));
    memset(first, 0, sizeof(first));
    line = NULL;
    cap = 0;
    ret = 0;
    for (lineno = 1; (len = getline(&line, &cap, fp)) != -1; lineno++) {
        if (strlen(line) != (size_t)len) {
            snprintf(err, sizeof(err), "a NUL byte: not a text file");
            ret = LR_EXIT_ENV;
        } else {
            s = __trim(line);
            if (*s == '\0' || *s == '#')
                continue;
            if (__load_line(t, o, s, lineno, first, layer, hook, arg, err, sizeof(err)) != 0)
                ret = LR_EXIT_ENV;
        }
        if (ret != 0) {
            fprintf(stderr, "%s replay: %s:%d: %s\n", LR_PROG, path, lineno, err);
            break;
        }
    }
    if (ret == 0 && ferror(fp)) {
        fprintf(stderr, "%s replay: cannot read %s: %s\n", LR_PROG, path, strerror(errno));
        ret = LR_EXIT_ENV;
    }
    free(line);
    fclose(fp);
    if (ret == 0 && t->layer_done != NULL)
        t->layer_done(o, layer);
    return (ret);
}

int
lr_knobs_draw_seed(const char *cmd, uint64_t *seedp)
{
    ssize_t n;
    int fd;

    if ((fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)) < 0) {
        fprintf(stderr, "%s %s: cannot open /dev/urandom for a seed (%s): give --seed S\n", LR_PROG,
          cmd, strerror(errno));
        return (LR_EXIT_ENV);
    }
    n = read(fd, seedp, sizeof(*seedp));
    close(fd);
    if (n != (ssize_t)sizeof(*seedp)) {
        fprintf(stderr, "%s %s: cannot read a seed from /dev/urandom: give --seed S\n", LR_PROG,
          cmd);
        return (LR_EXIT_ENV);
    }
    *seedp &= (1ULL << 53) - 1;
    return (0);
}
