/*
 * options_read.c -- the knobs from the command line (getopt_long, options generated from the
 * table) and from a repro file (name=value lines), then the checks across knobs and the
 * artefact paths.
 *
 * Layers: defaults, then a repro file (replay), then the command line; each overrides the one
 * before, and within one layer the last occurrence of an option wins.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "options/options_int.h"

/*
 * __layer_done --
 *     After one layer (a repro file, the command line): --ops without --duration in the same
 *     layer means no time limit.
 */
static void
__layer_done(lr_options *o, const bool *layer)
{
    if (layer[LR_KNOB_ops] && !layer[LR_KNOB_duration])
        o->cfg.duration_ms = 0;
}

/* __flag_with_value -- "--quiet=1": the index of the FLAG knob named, or -1. */
static int
__flag_with_value(const char *arg)
{
    const char *eq;
    int i;

    if (strncmp(arg, "--", 2) != 0 || (eq = strchr(arg, '=')) == NULL)
        return (-1);
    for (i = 0; i < LR_KNOB_COUNT; i++)
        if (lr_knobs[i].kind == K_FLAG && strlen(lr_knobs[i].name) == (size_t)(eq - arg - 2) &&
          strncmp(lr_knobs[i].name, arg + 2, (size_t)(eq - arg - 2)) == 0)
            return (i);
    return (-1);
}

int
lr_options_parse(lr_options *o, int argc, char **argv, bool want_file, const char **filep)
{
    struct option longopts[LR_KNOB_COUNT + 2];
    bool layer[LR_KNOB_COUNT];
    char err[512];
    const char *cmd;
    int ch, i, n;

    cmd = argv[0];
    memset(layer, 0, sizeof(layer));
    for (i = 0, n = 0; i < LR_KNOB_COUNT; i++, n++) {
        longopts[n].name = lr_knobs[i].name;
        longopts[n].has_arg = lr_knobs[i].kind == K_FLAG ? no_argument : required_argument;
        longopts[n].flag = NULL;
        longopts[n].val = 256 + i;
    }
    longopts[n++] = (struct option){"help", no_argument, NULL, 'h'};
    longopts[n] = (struct option){NULL, 0, NULL, 0};

    optind = 0;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        if (ch == 'h') {
            want_file ? lr_options_replay_usage(stdout) : lr_options_usage(stdout);
            return (-1);
        }
        if (ch == ':') {
            fprintf(stderr, "%s %s: option '%s' needs a value\n", LR_PROG, cmd, argv[optind - 1]);
            goto usage;
        }
        if (ch < 256 || ch >= 256 + LR_KNOB_COUNT) {
            if ((i = __flag_with_value(argv[optind - 1])) >= 0)
                fprintf(stderr, "%s %s: option '--%s' takes no value\n", LR_PROG, cmd,
                  lr_knobs[i].name);
            else if (optopt != 0 && optopt < 256)
                fprintf(stderr, "%s %s: unknown option '-%c'\n", LR_PROG, cmd, optopt);
            else
                fprintf(stderr, "%s %s: unknown option '%s'\n", LR_PROG, cmd, argv[optind - 1]);
            goto usage;
        }
        i = ch - 256;
        if (lr_knobs[i].kind == K_FLAG && optarg != NULL) {
            fprintf(stderr, "%s %s: option '--%s' takes no value\n", LR_PROG, cmd, lr_knobs[i].name);
            goto usage;
        }
        if (lr_knob_set(o, &lr_knobs[i], optarg, err, sizeof(err)) != 0) {
            fprintf(stderr, "%s %s: --%s %s\n", LR_PROG, cmd, lr_knobs[i].name, err);
            goto usage;
        }
        o->given[i] = layer[i] = true;
    }
    __layer_done(o, layer);

    if (want_file) {
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
    want_file ? lr_options_replay_usage(stderr) : lr_options_usage(stderr);
    return (LR_EXIT_USAGE);
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

int
lr_options_load(lr_options *o, const char *path)
{
    FILE *fp;
    bool layer[LR_KNOB_COUNT];
    char *line, *key, *val, *eq, err[512];
    size_t cap;
    int i, lineno, ret;

    if ((fp = fopen(path, "r")) == NULL) {
        fprintf(stderr, "%s replay: cannot open repro file %s: %s\n", LR_PROG, path,
          strerror(errno));
        return (LR_EXIT_USAGE);
    }
    memset(layer, 0, sizeof(layer));
    line = NULL;
    cap = 0;
    ret = 0;
    for (lineno = 1; getline(&line, &cap, fp) != -1; lineno++) {
        key = __trim(line);
        if (*key == '\0' || *key == '#')
            continue;
        if ((eq = strchr(key, '=')) == NULL) {
            fprintf(stderr, "%s replay: %s:%d: expected knob=value, not '%s'\n", LR_PROG, path,
              lineno, key);
            ret = LR_EXIT_USAGE;
            break;
        }
        *eq = '\0';
        key = __trim(key);
        val = __trim(eq + 1);
        for (i = 0; i < LR_KNOB_COUNT; i++)
            if (strcmp(lr_knobs[i].name, key) == 0)
                break;
        if (i == LR_KNOB_COUNT || lr_knobs[i].cls == C_CLI) {
            fprintf(stderr, "%s replay: %s:%d: unknown knob '%s'\n", LR_PROG, path, lineno, key);
            ret = LR_EXIT_USAGE;
            break;
        }
        if (lr_knob_set(o, &lr_knobs[i], val, err, sizeof(err)) != 0) {
            fprintf(stderr, "%s replay: %s:%d: %s %s\n", LR_PROG, path, lineno, key, err);
            ret = LR_EXIT_USAGE;
            break;
        }
        o->given[i] = layer[i] = true;
    }
    if (ret == 0 && ferror(fp)) {
        fprintf(stderr, "%s replay: cannot read %s: %s\n", LR_PROG, path, strerror(errno));
        ret = LR_EXIT_USAGE;
    }
    free(line);
    fclose(fp);
    if (ret == 0)
        __layer_done(o, layer);
    return (ret);
}

static int
__random_seed(uint64_t *seedp)
{
    ssize_t n;
    int fd;

    if ((fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)) < 0) {
        fprintf(stderr, "%s stress: cannot open /dev/urandom for a seed (%s): give --seed S\n",
          LR_PROG, strerror(errno));
        return (LR_EXIT_USAGE);
    }
    n = read(fd, seedp, sizeof(*seedp));
    close(fd);
    if (n != (ssize_t)sizeof(*seedp)) {
        fprintf(stderr, "%s stress: cannot read a seed from /dev/urandom: give --seed S\n",
          LR_PROG);
        return (LR_EXIT_USAGE);
    }
    return (0);
}

/* __join_path -- buf = DIR/NAME-SEED followed by ext ("" or ".txt"). */
static int
__join_path(char *buf, const char *dir, const char *name, uint64_t seed, const char *ext)
{
    int n;

    n = snprintf(buf, LR_PATH_MAX, "%s/%s-%" PRIu64 "%s", dir, name, seed, ext);
    if (n < 0 || n >= LR_PATH_MAX) {
        fprintf(stderr, "%s stress: --out %s: the path is too long\n", LR_PROG, dir);
        return (LR_EXIT_USAGE);
    }
    return (0);
}

int
lr_options_finish(lr_options *o)
{
    size_t n;
    int ret;

    /* A drawn seed keeps 53 bits: exact in JSON readers that hold numbers as doubles. */
    if (!o->given[LR_KNOB_seed]) {
        if ((ret = __random_seed(&o->cfg.seed)) != 0)
            return (ret);
        o->cfg.seed &= (1ULL << 53) - 1;
    }
    o->given[LR_KNOB_seed] = true;
    if (o->cfg.duration_ms == 0 && o->cfg.ops == 0) {
        fprintf(stderr, "%s stress: nothing ends the run: give --duration SEC > 0 or --ops N > 0\n",
          LR_PROG);
        lr_options_usage(stderr);
        return (LR_EXIT_USAGE);
    }
    /* "dir/" and "dir" name the same directory; keep printed paths tidy. */
    for (n = strlen(o->out); n > 1 && o->out[n - 1] == '/'; n--)
        o->out[n - 1] = '\0';
    if (o->out[0] == '\0') {
        fprintf(stderr, "%s stress: --out needs a directory\n", LR_PROG);
        lr_options_usage(stderr);
        return (LR_EXIT_USAGE);
    }
    if ((ret = __join_path(o->dbdir, o->out, "db", o->cfg.seed, "")) != 0 ||
      (ret = __join_path(o->repro, o->out, "repro", o->cfg.seed, ".conf")) != 0 ||
      (ret = __join_path(o->crash, o->out, "crash", o->cfg.seed, ".txt")) != 0)
        return (ret);
    o->cfg.dir = o->dbdir;
    return (0);
}
