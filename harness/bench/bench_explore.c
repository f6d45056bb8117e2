/*
 * bench_explore.c -- the controlled scheduler's figures on the small workload of `layerace
 * explore` (2 schema workers, 1 data worker, the controller, 2 nodes, 2 tables, policy wait):
 * worker operations per second controlled (random strategy) against free, and explore's rate of
 * short controlled runs (12 operations each, a fresh cluster each, opened, run, settled, checked,
 * closed and removed).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/bench_int.h"
#include "common/clock.h"
#include "common/exit.h"
#include "common/fs.h"
#include "stress/engine.h"

#define EXPLORE_RUN_OPS 12 /* explore's default --ops */

/* __small -- the workload, controlled by kind (LR_SCHED_FREE: free), ops operations. */
static void
__small(lr_config *cfg, int kind, uint64_t ops, uint64_t seed, const char *dir, int data_threads)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->threads = 2;
    cfg->data_threads = data_threads;
    cfg->ops = ops;
    cfg->seed = seed;
    cfg->policy = LT_POLICY_WAIT;
    cfg->nodes = 2;
    cfg->tables = 2;
    cfg->perturb_pct = 10;
    cfg->quiet = true;
    cfg->dir = dir;
    cfg->sched.kind = kind;
    cfg->sched.depth = 3;
    cfg->sched.k_guess = ops * 10;
}

/* __run -- one run start to end in base; its database removed. Returns 0 or 1 after a message. */
static int
__run(const char *base, int kind, uint64_t ops, uint64_t seed, int data_threads, lr_result *res)
{
    char dir[BENCH_PATH_MAX + 64];
    lr_config cfg;
    lr_run *run;
    int rc;

    (void)snprintf(dir, sizeof(dir), "%s/explore-%" PRIu64, base, seed);
    __small(&cfg, kind, ops, seed, dir, data_threads);
    memset(res, 0, sizeof(*res));
    if (lr_stress_start(&cfg, &run) != 0) {
        fprintf(stderr, "layerace bench: a run did not start: %s\n", lr_stress_error());
        return (1);
    }
    while (!lr_stress_done(run))
        lr_sleep_ms(1);
    rc = lr_stress_finish(run, res);
    if (rc != 0) {
        fprintf(stderr, "layerace bench: run with seed %" PRIu64 " did not end clean (%d): %s\n",
          seed, rc, res->nviolations > 0 ? res->v[0].what : res->error);
        return (1);
    }
    if (lr_rm_rf(dir) != 0) {
        fprintf(stderr, "layerace bench: cannot remove %s\n", dir);
        return (1);
    }
    return (0);
}

/* __ratio -- ops/s free and controlled (random) of one round's run of ops operations. */
static int
__ratio(const char *base, uint64_t ops, int r, int data_threads, lr_result *res, double *freep,
  double *ctlp)
{
    int ret;

    if ((ret = __run(base, LR_SCHED_FREE, ops, (uint64_t)r + 1, data_threads, res)) != 0)
        return (ret);
    *freep = res->ops_per_sec;
    if ((ret = __run(base, LR_SCHED_RANDOM, ops, (uint64_t)r + 1, data_threads, res)) != 0)
        return (ret);
    *ctlp = res->ops_per_sec;
    return (0);
}

/* __rate -- runs per second of explore_runs short controlled runs in base (round r's seeds). */
static int
__rate(bench_ctx *ctx, const char *base, int r, lr_result *res, double *ratep)
{
    uint64_t start;
    int i, ret;

    start = lr_now_ns();
    for (i = 0, ret = 0; i < ctx->explore_runs && ret == 0; i++)
        ret = __run(base, LR_SCHED_RANDOM, EXPLORE_RUN_OPS, 1000u * ((uint64_t)r + 1) + (uint64_t)i,
          1, res);
    *ratep = (double)ctx->explore_runs / lr_seconds_since(start);
    return (ret);
}

int
lr_bench_explore(bench_ctx *ctx)
{
    bench_metric *mc = &ctx->m[BM_CONTROLLED], *mr = &ctx->m[BM_EXPLORE_RATE];
    lr_result *res;
    char shm[BENCH_PATH_MAX];
    const char *base;
    double free_rate, ctl_rate, disk[BENCH_MAX_ROUNDS], disk_med, mixed[BENCH_MAX_ROUNDS],
      mixed_med;
    int r, ret;

    if ((res = malloc(sizeof(*res))) == NULL)
        return (LR_EXIT_ENV);
    /* Where explore puts its databases by default (explore.c __scratch): a tmpfs if any. */
    base =
      lr_tmpfs_dir("layerace-bench", LR_TMPFS_MIN_FREE, shm, sizeof(shm)) == 0 ? shm : ctx->workdir;
    ret = 0;
    for (r = 0; r < ctx->rounds && ret == 0; r++) {
        /* Schema workers and the controller: the same mix of operations in both modes. */
        if ((ret = __ratio(base, (uint64_t)ctx->explore_ops, r, 0, res, &free_rate, &ctl_rate)) !=
          0)
            break;
        lr_bench_record(mc, r, free_rate, ctl_rate);
        /* With the data worker: free, it runs many cheap reads while the others wait on I/O. */
        if ((ret = __ratio(base, (uint64_t)ctx->explore_ops, r, 1, res, &free_rate, &ctl_rate)) !=
          0)
            break;
        mixed[r] = ctl_rate / free_rate;
        if ((ret = __rate(ctx, base, r, res, &ctl_rate)) == 0 &&
          (ret = __rate(ctx, ctx->workdir, r, res, &disk[r])) == 0)
            lr_bench_record(mr, r, 1.0, ctl_rate);
    }
    free(res);
    if (base == shm)
        (void)lr_rm_rf(shm);
    disk_med = r > 0 ? lr_bench_median(disk, r) : 0.0;
    mixed_med = r > 0 ? lr_bench_median(mixed, r) : 0.0;
    (void)snprintf(mc->note, sizeof(mc->note),
      "%d operations of explore's workload without its data worker (2 schema workers and the "
      "controller, 2 nodes, 2 tables, policy wait), seed = round: the same mix in both modes; "
      "baseline free, layered controlled (random): one thread at a time, a hand-off between OS "
      "threads at each scheduling point. With the data worker: %.2fx (median), because the mix "
      "differs: a free data worker runs many cheap reads while the schema workers wait on "
      "WiredTiger, a controlled one takes its turn",
      ctx->explore_ops, mixed_med);
    (void)snprintf(mr->note, sizeof(mr->note),
      "runs per second of %d controlled (random) runs of %d operations each, every run on a "
      "fresh cluster (open, run, settle, check, close, remove) in %.200s, as explore places them; "
      "the "
      "ratio column is the rate itself (baseline 1). In %.200s: %.1f runs/s (median): each run's "
      "WiredTiger files are created and synced there",
      ctx->explore_runs, EXPLORE_RUN_OPS, base == shm ? "a tmpfs (/dev/shm)" : ctx->workdir,
      ctx->workdir, disk_med);
    return (ret == 0 ? 0 : 1);
}
