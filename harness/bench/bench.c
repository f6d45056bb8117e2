/*
 * bench.c -- `layerace bench`: liblayered against raw WiredTiger 3.2.1, same process, same
 * connection, same work. This file holds the command line and the set-up; the workloads are in
 * bench_work.c and bench_stress.c, the operations they time in bench_ops.c, each workload's
 * cluster in bench_cluster.c, the statistics and the report (table and JSON) in bench_report.c.
 *
 * Method: every metric runs its baseline (plain WiredTiger) and its layered side alternately for
 * several rounds, swapping which goes first each round, so slow drift of the machine hits both
 * sides alike. The table shows the median of each side and the median of the per-round ratios
 * (each round's layered figure over the same round's baseline figure), with the 25th-75th
 * percentile spread of those ratios in the details.
 */
#include "bench/bench.h"
#include "bench/bench_int.h"
#include "common/clock.h"
#include "common/exit.h"
#include "common/fs.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/vfs.h>

/* ---------------------------------------------------------------------------------------------
 * Command line and set-up.
 */
static void
__bench_usage(FILE *fp)
{
    fprintf(fp,
      "usage: layerace bench [--quick] [--dir DIR] [--json FILE] [--rounds N] [--keep]\n"
      "                      [--only LIST] [--wt-config STR]\n"
      "  Measures liblayered against raw WiredTiger in the same process and connection, and\n"
      "  prints layered/baseline ratios with their goals. Exits 0 even when a goal is missed.\n"
      "  --quick      small sizes, a smoke run of a few seconds\n"
      "  --dir DIR    where to create the databases (a fresh subdirectory; default $TMPDIR or "
      "/tmp)\n"
      "  --json FILE  also write the figures as JSON\n"
      "  --rounds N   interleaved rounds per metric (default 7, quick 3; 1..%d)\n"
      "  --keep       keep the databases afterwards\n"
      "  --only LIST  run only these workloads (comma-separated: create-drop, insert-search,\n"
      "               scan, step-up, admission, schema-threads, detect, explore,\n"
      "               order), e.g. to\n"
      "               profile one of them\n"
      "  --wt-config STR  extra wiredtiger_open configuration for every cluster (both sides\n"
      "               share the connection), e.g. \"eviction_dirty_target=60\"\n",
      BENCH_MAX_ROUNDS);
}

static const struct {
    const char *name; /* for --only */
    const char *what; /* for the progress lines */
    int (*fn)(bench_ctx *);
} steps[] = {{"create-drop", "create+drop", lr_bench_create_drop},
  {"insert-search", "leader insert and search", lr_bench_insert_search},
  {"scan", "follower merged scan", lr_bench_scan}, {"step-up", "step-up drain", lr_bench_stepup},
  {"admission", "hook admission", lr_bench_admission},
  {"schema-threads", "schema ops at 1..16 threads", lr_bench_schema_threads},
  {"detect", "time to detect drop_during_drain", lr_bench_detect},
  {"explore", "controlled vs free, explore runs/s", lr_bench_explore},
  {"order", "stress with the order recorded vs not", lr_bench_order}};
#define BENCH_NSTEPS ((int)(sizeof(steps) / sizeof(steps[0])))

/* Whether --only selects workload name (every one without --only). */
static int
__bench_selected(const bench_ctx *ctx, const char *name)
{
    const char *p, *end;
    size_t len;

    if (ctx->only == NULL)
        return (1);
    len = strlen(name);
    for (p = ctx->only; *p != '\0'; p = *end == ',' ? end + 1 : end) {
        if ((end = strchr(p, ',')) == NULL)
            end = p + strlen(p);
        if ((size_t)(end - p) == len && strncmp(p, name, len) == 0)
            return (1);
    }
    return (0);
}

/* Check --only: every name must be known. */
static int
__bench_only_valid(const bench_ctx *ctx)
{
    const char *p, *end;
    int i, ok;

    if (ctx->only == NULL)
        return (1);
    for (p = ctx->only; *p != '\0'; p = *end == ',' ? end + 1 : end) {
        if ((end = strchr(p, ',')) == NULL)
            end = p + strlen(p);
        for (ok = 0, i = 0; i < BENCH_NSTEPS; i++)
            if (strlen(steps[i].name) == (size_t)(end - p) &&
              strncmp(p, steps[i].name, (size_t)(end - p)) == 0)
                ok = 1;
        if (!ok) {
            fprintf(stderr, "layerace bench: --only: unknown workload \"%.*s\"\n", (int)(end - p),
              p);
            return (0);
        }
    }
    return (1);
}

static const char *
__bench_fs_name(const char *path)
{
    struct statfs sf;

    if (statfs(path, &sf) != 0)
        return ("?");
    switch ((unsigned long)sf.f_type) {
    case 0x01021994UL:
        return ("tmpfs");
    case 0xEF53UL:
        return ("ext2/3/4");
    case 0x58465342UL:
        return ("xfs");
    case 0x9123683EUL:
        return ("btrfs");
    case 0x794c7630UL:
        return ("overlayfs");
    default:
        return ("other");
    }
}

static void
__bench_metrics_init(bench_ctx *ctx)
{
    bench_metric *m;

    m = &ctx->m[BM_CREATE_DROP];
    (void)snprintf(m->name, sizeof(m->name), "create+drop pairs/s");
    m->key = "create_drop";
    m->unit = "/s";
    m->kind = BENCH_RATE_GE;
    m->goal = 0.45;

    m = &ctx->m[BM_INSERT];
    (void)snprintf(m->name, sizeof(m->name), "leader insert ops/s");
    m->key = "leader_insert";
    m->unit = "/s";
    m->kind = BENCH_RATE_GE;
    m->goal = 0.7;

    m = &ctx->m[BM_SEARCH];
    (void)snprintf(m->name, sizeof(m->name), "leader search ops/s");
    m->key = "leader_search";
    m->unit = "/s";
    m->kind = BENCH_RATE_GE;
    m->goal = 0.7;

    m = &ctx->m[BM_SCAN];
    (void)snprintf(m->name, sizeof(m->name), "follower merged scan rows/s");
    m->key = "follower_scan";
    m->unit = "/s";
    m->kind = BENCH_RATE_GE;
    m->goal = 0.5;

    m = &ctx->m[BM_STEPUP];
    (void)snprintf(m->name, sizeof(m->name), "step-up drain %dk rows (time)",
      ctx->drain_rows / 1000);
    m->key = "stepup_drain";
    m->unit = "s";
    m->kind = BENCH_TIME_LE;
    m->goal = 2.0;

    m = &ctx->m[BM_ADMISSION];
    (void)snprintf(m->name, sizeof(m->name), "hook admission (ns/op)");
    m->key = "hook_admission";
    m->unit = "ns";
    m->kind = BENCH_DIFF_LE;
    m->goal = 50.0;

    {
        static const char *const keys[] = {"schema_1t", "schema_2t", "schema_4t", "schema_8t",
          "schema_16t"};
        static const int threads[] = {1, 2, 4, 8, 16};
        int i;

        for (i = 0; i < 5; i++) {
            m = &ctx->m[BM_SCHEMA1 + i];
            (void)snprintf(m->name, sizeof(m->name), "schema ops/s, %d thread%s, on/off",
              threads[i], threads[i] == 1 ? "" : "s");
            m->key = keys[i];
            m->unit = "/s";
            m->kind = BENCH_RATE_GE;
            m->goal = 0.0; /* reported, no goal set */
        }
    }

    m = &ctx->m[BM_DETECT];
    (void)snprintf(m->name, sizeof(m->name), "detect drop in drain, median");
    m->key = "detect_drop_during_drain";
    m->unit = "ms";
    m->kind = BENCH_DIFF_LE;
    m->goal = 60000.0; /* the stress run's default duration */

    m = &ctx->m[BM_CONTROLLED];
    (void)snprintf(m->name, sizeof(m->name), "explore schema mix, controlled/free");
    m->key = "controlled_vs_free";
    m->unit = "/s";
    m->kind = BENCH_RATE_GE;
    m->goal = 0.3;

    m = &ctx->m[BM_EXPLORE_RATE];
    (void)snprintf(m->name, sizeof(m->name), "explore runs/s");
    m->key = "explore_runs_per_sec";
    m->unit = "/s";
    m->kind = BENCH_RATE_GE;
    m->goal = 20.0;

    m = &ctx->m[BM_ORDER];
    (void)snprintf(m->name, sizeof(m->name), "stress ops/s, order recorded/not");
    m->key = "order_recorded_vs_not";
    m->unit = "/s";
    m->kind = BENCH_RATE_GE;
    m->goal = 0.9;
}

static void
__bench_keys_init(bench_ctx *ctx)
{
    uint64_t x;
    uint32_t i, j, t;

    for (i = 0; i < (uint32_t)ctx->nkeys; i++)
        (void)snprintf(ctx->keys[i], sizeof(ctx->keys[i]), "k%09" PRIu32, i % 1000000000u);
    for (i = 0; i < (uint32_t)ctx->ins_rows; i++)
        ctx->perm[i] = i;
    /* Fisher-Yates with a fixed xorshift seed: the same search order on both sides, every run. */
    x = 0x9E3779B97F4A7C15ull;
    for (i = (uint32_t)ctx->ins_rows; i > 1; i--) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        j = (uint32_t)(x % i);
        t = ctx->perm[i - 1];
        ctx->perm[i - 1] = ctx->perm[j];
        ctx->perm[j] = t;
    }
    for (i = 0; i < BENCH_VALUE_LEN; i++)
        ctx->value[i] = (unsigned char)('a' + i % 26);
}

int
lr_bench_main(int argc, char **argv)
{
    static const struct option longopts[] = {{"quick", no_argument, NULL, 'q'},
      {"dir", required_argument, NULL, 'd'}, {"json", required_argument, NULL, 'j'},
      {"rounds", required_argument, NULL, 'r'}, {"keep", no_argument, NULL, 'k'},
      {"only", required_argument, NULL, 'o'}, {"wt-config", required_argument, NULL, 'w'},
      {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    bench_ctx *ctx;
    char wtver[64];
    char *end;
    long v;
    int c, i, rc, ret, rounds;

    ctx = calloc(1, sizeof(*ctx));
    if (ctx == NULL) {
        fprintf(stderr, "layerace bench: out of memory\n");
        return (LR_EXIT_ENV);
    }
    ret = 0;
    rounds = 0;
    optind = 0; /* argv[0] is "bench"; 0 makes glibc getopt start afresh */
    opterr = 0;
    while ((c = getopt_long(argc, argv, "qd:j:r:ko:w:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'q':
            ctx->quick = 1;
            break;
        case 'd':
            ctx->parent = optarg;
            break;
        case 'j':
            ctx->json = optarg;
            break;
        case 'r':
            errno = 0;
            v = strtol(optarg, &end, 10);
            if (errno != 0 || *end != '\0' || v < 1 || v > BENCH_MAX_ROUNDS) {
                fprintf(stderr, "layerace bench: --rounds wants 1..%d, not \"%s\"\n",
                  BENCH_MAX_ROUNDS, optarg);
                ret = LR_EXIT_ENV;
                goto done;
            }
            rounds = (int)v;
            break;
        case 'k':
            ctx->keep = 1;
            break;
        case 'o':
            ctx->only = optarg;
            break;
        case 'w':
            ctx->wt_config = optarg;
            break;
        case 'h':
            __bench_usage(stdout);
            goto done;
        default:
            fprintf(stderr, "layerace bench: unknown or incomplete option \"%s\"\n",
              argv[optind - 1]);
            __bench_usage(stderr);
            ret = LR_EXIT_ENV;
            goto done;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "layerace bench: unexpected argument \"%s\"\n", argv[optind]);
        __bench_usage(stderr);
        ret = LR_EXIT_ENV;
        goto done;
    }

    if (!__bench_only_valid(ctx)) {
        __bench_usage(stderr);
        ret = LR_EXIT_ENV;
        goto done;
    }
    if (ctx->quick) {
        ctx->rounds = 3;
        ctx->cd_pairs = 10;
        ctx->ins_rows = 5000;
        ctx->ins_reps = 1;
        ctx->scan_rows = 20000;
        ctx->scan_repeat = 1;
        ctx->drain_rows = 5000;
        ctx->adm_iters = 10000;
        ctx->schema_ms = 300;
        ctx->detect_seeds = 3;
        ctx->detect_max_ms = 20000;
        ctx->explore_ops = 300;
        ctx->explore_runs = 10;
        ctx->adm_rounds = 5;
    } else {
        ctx->rounds = 7;
        ctx->cd_pairs = 100;
        ctx->ins_rows = 50000;
        ctx->ins_reps = 4;
        ctx->scan_rows = 250000;
        ctx->scan_repeat = 4;
        ctx->drain_rows = 100000;
        ctx->adm_iters = 100000;
        ctx->schema_ms = 1000;
        ctx->detect_seeds = 10;
        ctx->detect_max_ms = 60000;
        ctx->explore_ops = 1000;
        ctx->explore_runs = 30;
        ctx->adm_rounds = 21;
    }
    if (rounds != 0) {
        ctx->rounds = rounds;
        if (ctx->adm_rounds < rounds)
            ctx->adm_rounds = rounds;
    }
    if (ctx->adm_rounds > BENCH_MAX_ROUNDS)
        ctx->adm_rounds = BENCH_MAX_ROUNDS;

    /* The working directory. */
    if ((rc = lr_temp_dir(ctx->parent, "layerace-bench", ctx->workdir, sizeof(ctx->workdir))) !=
      0) {
        fprintf(stderr, "layerace bench: cannot create a directory in %s: %s\n",
          ctx->parent != NULL ? ctx->parent : lr_tmp_root(), strerror(rc));
        ret = LR_EXIT_ENV;
        goto done;
    }
    if (ctx->parent == NULL)
        ctx->parent = lr_tmp_root();

    /* Keys for the largest workload. */
    ctx->nkeys = ctx->ins_rows;
    if (ctx->scan_rows > ctx->nkeys)
        ctx->nkeys = ctx->scan_rows;
    if (ctx->drain_rows > ctx->nkeys)
        ctx->nkeys = ctx->drain_rows;
    ctx->keys = calloc((size_t)ctx->nkeys, sizeof(*ctx->keys));
    ctx->perm = calloc((size_t)ctx->ins_rows, sizeof(*ctx->perm));
    if (ctx->keys == NULL || ctx->perm == NULL) {
        fprintf(stderr, "layerace bench: out of memory\n");
        ret = LR_EXIT_ENV;
        goto done;
    }
    __bench_keys_init(ctx);
    __bench_metrics_init(ctx);
    ctx->ts = 10;

    {
        int maj, min, pat;
        (void)wiredtiger_version(&maj, &min, &pat);
        (void)snprintf(wtver, sizeof(wtver), "WiredTiger %d.%d.%d", maj, min, pat);
    }
    printf("layerace bench: liblayered %s vs %s\n", LT_VERSION_STRING, wtver);
    printf("  databases in %s (%s), %d rounds%s, %d-row transactions with commit timestamps, "
           "%d-byte keys, %d-byte values%s%s\n",
      ctx->workdir, __bench_fs_name(ctx->workdir), ctx->rounds, ctx->quick ? ", quick" : "",
      BENCH_BATCH, BENCH_KEY_LEN, BENCH_VALUE_LEN, ctx->wt_config != NULL ? ", wt_config " : "",
      ctx->wt_config != NULL ? ctx->wt_config : "");
    fflush(stdout);

    {
        for (i = 0; i < BENCH_NSTEPS; i++) {
            uint64_t t0 = lr_now_ns();
            if (!__bench_selected(ctx, steps[i].name))
                continue;
            printf("  running %s ...", steps[i].what);
            fflush(stdout);
            if ((ret = steps[i].fn(ctx)) != 0) {
                printf(" failed\n");
                break;
            }
            printf(" %.1f s\n", (double)(lr_now_ns() - t0) / 1e9);
            fflush(stdout);
        }
    }
    for (i = 0; i < BM_COUNT; i++)
        lr_bench_metric_finish(&ctx->m[i]);
    lr_bench_print(ctx);
    if (ctx->json != NULL) {
        int jret = lr_bench_json(ctx, wtver);
        if (ret == 0)
            ret = jret;
    }
    if (ctx->keep)
        printf("\ndatabases kept in %s\n", ctx->workdir);
    else if ((rc = lr_rm_rf(ctx->workdir)) != 0)
        fprintf(stderr, "layerace bench: cannot remove %s: %s\n", ctx->workdir, strerror(rc));

done:
    free(ctx->keys);
    free(ctx->perm);
    free(ctx);
    return (ret);
}
