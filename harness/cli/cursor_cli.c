/*
 * cursor_cli.c -- `layerace cursor` and `layerace replay FILE` (cursor repro files).
 *
 * Exit status: 0 clean, 1 divergence found, 2 usage or environment error.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cursor_cli.h"
#include "cursor/cursor_int.h"

#define LR_CUR_EXIT_CLEAN 0
#define LR_CUR_EXIT_DIVERGED 1
#define LR_CUR_EXIT_USAGE 2

static void
__usage(FILE *fp)
{
    fprintf(fp,
      "usage: layerace cursor [OPTIONS]\n"
      "       layerace replay FILE [--no-shrink] [--shrink] [--out DIR] [--trace FILE]\n"
      "\n"
      "Seeded operation chains on long-lived layered cursors (leader and follower node),\n"
      "each operation compared at once with a plain WiredTiger table (the oracle).\n"
      "\n"
      "  --seed S           seed [random, printed]\n"
      "  --ops N            operations [100000]\n"
      "  --duration SEC     stop after SEC seconds (with --ops: whichever comes first)\n"
      "  --tables N         layered tables [1] (only 1 is supported)\n"
      "  --keys K           key-space size [24]: small, so that operations collide\n"
      "  --node leader|follower|both   which layered node is compared [both]\n"
      "  --inject LIST|all|none        gc,tombstones,truncate,bulk,checkpoint,swap,prepare [all]\n"
      "  --shrink           shrink even when... (default on a divergence)\n"
      "  --no-shrink        do not shrink a divergence\n"
      "  --out DIR          database and repro files [./layerace-cursor]\n"
      "  --json FILE        write a summary\n"
      "  --trace FILE       write the operation/result trace ('-': stdout)\n"
      "  --quiet            only the summary and divergences\n"
#ifdef LT_FAULTS
      "  --faults LIST      test-only: prev_order,search_next,remove_other,modify_stable,\n"
      "                     point_no_ingest,ckpt_notfound (or a number)\n"
#endif
      "\n"
      "Exit status: 0 clean, 1 divergence, 2 usage error.\n");
}

static const struct {
    const char *name;
    unsigned bit;
} lr_cur_faults[] = {{"prev_order", LT_FAULT_PREV_ORDER},
  {"search_next", LT_FAULT_SEARCH_NEXT_RESTART}, {"remove_other", LT_FAULT_REMOVE_OTHER_KEY},
  {"modify_stable", LT_FAULT_MODIFY_STABLE}, {"point_no_ingest", LT_FAULT_POINT_NO_INGEST},
  {"ckpt_notfound", LT_FAULT_CKPT_NOTFOUND}};

static int
__faults_parse(const char *s, unsigned *maskp)
{
    char copy[256], *tok, *save, *end;
    size_t i;

    *maskp = 0;
    if (strlen(s) >= sizeof(copy))
        return (EINVAL);
    strcpy(copy, s);
    for (tok = strtok_r(copy, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
        for (i = 0; i < sizeof(lr_cur_faults) / sizeof(lr_cur_faults[0]); i++)
            if (strcmp(tok, lr_cur_faults[i].name) == 0)
                break;
        if (i < sizeof(lr_cur_faults) / sizeof(lr_cur_faults[0]))
            *maskp |= lr_cur_faults[i].bit;
        else {
            unsigned long v = strtoul(tok, &end, 0);

            if (*end != '\0' || end == tok)
                return (EINVAL);
            *maskp |= (unsigned)v;
        }
    }
    return (0);
}

static void
__print_seq(FILE *fp, const lr_cur_seq *seq)
{
    char line[256];
    size_t i;

    for (i = 0; i < seq->n; i++) {
        lr_cur_op_format(&seq->ops[i], line, sizeof(line));
        fprintf(fp, "  %3zu  %s\n", i, line);
    }
}

static void
__json(const lr_cur_config *cfg, const lr_cur_result *res, size_t shrunk, double shrink_s)
{
    FILE *fp;

    if (cfg->json == NULL || (fp = fopen(cfg->json, "w")) == NULL)
        return;
    fprintf(fp,
      "{\"seed\": %" PRIu64 ", \"keys\": %" PRIu32 ", \"operations\": %" PRIu64
      ", \"compared\": %" PRIu64 ", \"seconds\": %.3f, \"oracle_seconds\": %.3f, "
      "\"leader_seconds\": %.3f, \"follower_seconds\": %.3f, "
      "\"diverged\": %s, \"fail_index\": %zu, \"shrunk_ops\": %zu, \"shrink_seconds\": %.3f}\n",
      cfg->seed, cfg->keys, res->executed, res->compared, res->seconds, res->oracle_seconds,
      res->role_seconds[0], res->role_seconds[1],
      res->diverged ? "true" : "false", res->diverged ? res->fail_index : 0, shrunk, shrink_s);
    fclose(fp);
}

/* Run (generate or replay), report, write repros, shrink. Returns the exit code. */
static int
__drive(lr_cur_config *cfg, lr_cur_seq *seq, bool generate)
{
    lr_cur_result res;
    lr_cur_seq min;
    char path[4096];
    double secs = 0, rate, orate;
    size_t before, shrunk = 0;
    int rc, src;

    memset(&min, 0, sizeof(min));
    if ((rc = lr_cur_run(cfg, seq, generate, &res)) != 0 || res.setup_error) {
        fprintf(stderr, "layerace cursor: the run failed: %s\n", lt_strerror(rc));
        return (LR_CUR_EXIT_USAGE);
    }
    rate = res.seconds > 0 ? (double)res.compared / res.seconds : 0;
    orate = res.oracle_seconds > 0 ? (double)res.compared / res.oracle_seconds : 0;
    printf("seed %" PRIu64 ": %" PRIu64 " operations (%" PRIu64 " compared) in %.2f s: "
           "%.0f compared ops/s; oracle alone %.0f ops/s; ratio %.2f\n",
      cfg->seed, res.executed, res.compared, res.seconds, rate, orate,
      orate > 0 ? rate / orate : 0);
    if (res.compared > 0 && !cfg->quiet) {
        double n = (double)res.compared, o = res.oracle_seconds / n * 1e6,
               l = res.role_seconds[0] / n * 1e6, f = res.role_seconds[1] / n * 1e6;

        printf("  per compared operation: oracle %.2f us; leader %.2f us (%.2fx the oracle's "
               "rate); follower %.2f us (%.2fx); the rest %.2f us (injections, transactions, "
               "checks, set-up)\n", o, l, l > 0 ? o / l : 0, f, f > 0 ? o / f : 0,
          res.seconds / n * 1e6 - o - l - f);
    }
    if (!res.diverged) {
        __json(cfg, &res, 0, 0);
        return (LR_CUR_EXIT_CLEAN);
    }
    printf("DIVERGENCE at %s\n", res.what);
    seq->n = res.fail_index + 1;
    (void)snprintf(path, sizeof(path), "%s/cursor-repro-%" PRIu64 ".txt", cfg->out, cfg->seed);
    if (lr_cur_repro_write(path, cfg, seq, "the sequence up to the divergence") == 0)
        printf("repro: %s (%zu operations; replay with `layerace%s replay %s`)\n", path,
          seq->n, cfg->faults ? "-faults" : "", path);
    if (cfg->shrink) {
        before = seq->n;
        src = lr_cur_shrink(cfg, seq, &min, &secs);
        if (src == 0) {
            shrunk = min.n;
            printf("shrunk: %zu ops -> %zu ops in %.1f s, %u candidate runs (1-minimal):\n",
              before, min.n, secs, lr_cur_shrink_runs);
            __print_seq(stdout, &min);
            (void)snprintf(path, sizeof(path), "%s/cursor-repro-%" PRIu64 "-min.txt", cfg->out,
              cfg->seed);
            if (lr_cur_repro_write(path, cfg, &min, "shrunk, 1-minimal") == 0)
                printf("shrunk repro: %s\n", path);
            {
                lr_cur_result r2;
                lr_cur_config c2 = *cfg;

                c2.trace = NULL;
                if (lr_cur_run(&c2, &min, false, &r2) == 0 && r2.diverged)
                    printf("the shrunk sequence diverges at %s\n", r2.what);
            }
        } else
            printf("shrink: the sequence does not diverge again from a fresh database\n");
        lr_cur_seq_free(&min);
    }
    __json(cfg, &res, shrunk, secs);
    return (LR_CUR_EXIT_DIVERGED);
}

enum { O_SEED = 256, O_OPS, O_DUR, O_TABLES, O_KEYS, O_NODE, O_INJECT, O_SHRINK, O_NOSHRINK,
    O_OUT, O_JSON, O_TRACE, O_QUIET, O_FAULTS, O_HELP };

static const struct option lr_cur_long[] = {{"seed", 1, NULL, O_SEED}, {"ops", 1, NULL, O_OPS},
  {"duration", 1, NULL, O_DUR}, {"tables", 1, NULL, O_TABLES}, {"keys", 1, NULL, O_KEYS},
  {"node", 1, NULL, O_NODE}, {"inject", 1, NULL, O_INJECT}, {"shrink", 0, NULL, O_SHRINK},
  {"no-shrink", 0, NULL, O_NOSHRINK}, {"out", 1, NULL, O_OUT}, {"json", 1, NULL, O_JSON},
  {"trace", 1, NULL, O_TRACE}, {"quiet", 0, NULL, O_QUIET}, {"faults", 1, NULL, O_FAULTS},
  {"help", 0, NULL, O_HELP}, {NULL, 0, NULL, 0}};

static int
__bad(const char *what, const char *arg)
{
    fprintf(stderr, "layerace cursor: %s '%s'\n", what, arg);
    __usage(stderr);
    return (LR_CUR_EXIT_USAGE);
}

static bool
__num(const char *s, uint64_t *vp)
{
    char *end;

    errno = 0;
    *vp = strtoull(s, &end, 0);
    return (errno == 0 && end != s && *end == '\0' && s[0] != '-');
}

/* Parse options into cfg (defaults already set). Returns -1 to go on, else an exit code. */
static int
__parse(int argc, char **argv, lr_cur_config *cfg, bool *seed_set, const char **tracep)
{
    uint64_t v;
    int ch;

    optind = 1;
    while ((ch = getopt_long(argc, argv, "h", lr_cur_long, NULL)) != -1) {
        switch (ch) {
        case O_SEED:
            if (!__num(optarg, &cfg->seed))
                return (__bad("bad --seed", optarg));
            *seed_set = true;
            break;
        case O_OPS:
            if (!__num(optarg, &cfg->ops))
                return (__bad("bad --ops", optarg));
            break;
        case O_DUR:
            if ((cfg->duration = strtod(optarg, NULL)) <= 0)
                return (__bad("bad --duration", optarg));
            if (cfg->ops == 100000)
                cfg->ops = UINT64_MAX;
            break;
        case O_TABLES:
            if (!__num(optarg, &v) || v != 1)
                return (__bad("--tables: only 1 table is supported, not", optarg));
            break;
        case O_KEYS:
            if (!__num(optarg, &v) || v == 0 || v > 9999)
                return (__bad("bad --keys (1..9999)", optarg));
            cfg->keys = (uint32_t)v;
            break;
        case O_NODE:
            if (strcmp(optarg, "leader") == 0)
                cfg->node = LR_CUR_NODE_LEADER;
            else if (strcmp(optarg, "follower") == 0)
                cfg->node = LR_CUR_NODE_FOLLOWER;
            else if (strcmp(optarg, "both") == 0)
                cfg->node = LR_CUR_NODE_LEADER | LR_CUR_NODE_FOLLOWER;
            else
                return (__bad("bad --node", optarg));
            break;
        case O_INJECT:
            if (lr_cur_inject_parse(optarg, &cfg->inject) != 0)
                return (__bad("bad --inject", optarg));
            break;
        case O_SHRINK:
            cfg->shrink = true;
            break;
        case O_NOSHRINK:
            cfg->shrink = false;
            break;
        case O_OUT:
            cfg->out = optarg;
            break;
        case O_JSON:
            cfg->json = optarg;
            break;
        case O_TRACE:
            *tracep = optarg;
            break;
        case O_QUIET:
            cfg->quiet = true;
            break;
        case O_FAULTS:
#ifdef LT_FAULTS
            if (__faults_parse(optarg, &cfg->faults) != 0)
                return (__bad("bad --faults", optarg));
            break;
#else
            (void)__faults_parse;
            return (__bad("--faults needs the test-only binary layerace-faults:", optarg));
#endif
        case O_HELP:
        case 'h':
            __usage(stdout);
            return (LR_CUR_EXIT_CLEAN);
        default:
            __usage(stderr);
            return (LR_CUR_EXIT_USAGE);
        }
    }
    return (-1);
}

static void
__defaults(lr_cur_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->ops = 100000;
    cfg->keys = 24;
    cfg->node = LR_CUR_NODE_LEADER | LR_CUR_NODE_FOLLOWER;
    cfg->inject = LR_CUR_INJ_ALL | LR_CUR_INJ_PREPARE;
    cfg->shrink = true;
    cfg->out = "layerace-cursor";
}

static int
__open_trace(lr_cur_config *cfg, const char *trace)
{
    if (trace == NULL)
        return (0);
    if (strcmp(trace, "-") == 0)
        cfg->trace = stdout;
    else if ((cfg->trace = fopen(trace, "w")) == NULL) {
        fprintf(stderr, "layerace cursor: cannot write %s: %s\n", trace, strerror(errno));
        return (LR_CUR_EXIT_USAGE);
    }
    return (0);
}

static void
__close_trace(lr_cur_config *cfg)
{
    if (cfg->trace != NULL && cfg->trace != stdout)
        fclose(cfg->trace);
    cfg->trace = NULL;
}

int
lr_cursor_main(int argc, char **argv)
{
    lr_cur_config cfg;
    lr_cur_seq seq;
    const char *trace = NULL;
    bool seed_set = false;
    int rc;

    __defaults(&cfg);
    if ((rc = __parse(argc, argv, &cfg, &seed_set, &trace)) >= 0)
        return (rc);
    if (optind != argc)
        return (__bad("unexpected argument", argv[optind]));
    if (!seed_set) {
        struct timespec ts;

        (void)clock_gettime(CLOCK_REALTIME, &ts);
        cfg.seed = ((uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 20) ^ (uint64_t)getpid()) %
          UINT64_C(1000000000);
    }
    if (!cfg.quiet)
        printf("layerace cursor: seed %" PRIu64 ", keys %" PRIu32 ", %s\n", cfg.seed, cfg.keys,
          cfg.faults ? "faults on" : "product library");
    if ((rc = __open_trace(&cfg, trace)) != 0)
        return (rc);
    memset(&seq, 0, sizeof(seq));
    rc = __drive(&cfg, &seq, true);
    __close_trace(&cfg);
    lr_cur_seq_free(&seq);
    return (rc);
}

int
lr_replay_main(int argc, char **argv)
{
    lr_cur_config cfg, file;
    lr_cur_seq seq;
    const char *trace = NULL, *path;
    bool seed_set = false;
    int rc;

    if (argc < 2 || argv[1][0] == '-') {
        if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
            __usage(stdout);
            return (LR_CUR_EXIT_CLEAN);
        }
        fprintf(stderr, "layerace replay: a repro FILE is needed\n");
        return (LR_CUR_EXIT_USAGE);
    }
    path = argv[1];
    __defaults(&cfg);
    cfg.shrink = false;
    memset(&seq, 0, sizeof(seq));
    if (lr_cur_repro_read(path, &cfg, &seq) != 0) {
        lr_cur_seq_free(&seq);
        return (LR_CUR_EXIT_USAGE);
    }
    file = cfg;
    if ((rc = __parse(argc - 1, argv + 1, &cfg, &seed_set, &trace)) >= 0) {
        lr_cur_seq_free(&seq);
        return (rc);
    }
    cfg.faults = file.faults;
#ifndef LT_FAULTS
    if (cfg.faults != 0) {
        fprintf(stderr, "layerace replay: %s needs faults 0x%x: run it with layerace-faults\n",
          path, cfg.faults);
        lr_cur_seq_free(&seq);
        return (LR_CUR_EXIT_USAGE);
    }
#endif
    printf("layerace replay: %s: %zu operations, seed %" PRIu64 "\n", path, seq.n, cfg.seed);
    if ((rc = __open_trace(&cfg, trace)) != 0) {
        lr_cur_seq_free(&seq);
        return (rc);
    }
    rc = __drive(&cfg, &seq, false);
    __close_trace(&cfg);
    lr_cur_seq_free(&seq);
    return (rc);
}
