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
__small(lr_config *cfg, int kind, uint64_t ops, uint64_t seed, const char *dir)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->threads = 2;
    cfg->data_threads = 1;
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

/* __run -- one run start to end; its database removed. Returns 0 or 1 after a message. */
static int
__run(bench_ctx *ctx, int kind, uint64_t ops, uint64_t seed, lr_result *res)
{
    char dir[BENCH_PATH_MAX + 64];
    lr_config cfg;
    lr_run *run;
    int rc;

    (void)snprintf(dir, sizeof(dir), "%s/explore-%" PRIu64, ctx->workdir, seed);
    __small(&cfg, kind, ops, seed, dir);
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

int
lr_bench_explore(bench_ctx *ctx)
{
    bench_metric *mc = &ctx->m[BM_CONTROLLED], *mr = &ctx->m[BM_EXPLORE_RATE];
    lr_result *res;
    double free_rate, ctl_rate;
    uint64_t start;
    int r, i, ret;

    if ((res = malloc(sizeof(*res))) == NULL)
        return (LR_EXIT_ENV);
    ret = 0;
    for (r = 0; r < ctx->rounds && ret == 0; r++) {
        if ((ret = __run(ctx, LR_SCHED_FREE, (uint64_t)ctx->explore_ops, (uint64_t)r + 1, res)) !=
          0)
            break;
        free_rate = res->ops_per_sec;
        if ((ret = __run(ctx, LR_SCHED_RANDOM, (uint64_t)ctx->explore_ops, (uint64_t)r + 1, res)) !=
          0)
            break;
        ctl_rate = res->ops_per_sec;
        lr_bench_record(mc, r, free_rate, ctl_rate);

        start = lr_now_ns();
        for (i = 0; i < ctx->explore_runs && ret == 0; i++)
            ret = __run(ctx, LR_SCHED_RANDOM, EXPLORE_RUN_OPS,
              1000u * ((uint64_t)r + 1) + (uint64_t)i, res);
        if (ret == 0)
            lr_bench_record(mr, r, 1.0, (double)ctx->explore_runs / lr_seconds_since(start));
    }
    free(res);
    (void)snprintf(mc->note, sizeof(mc->note),
      "%d worker operations of explore's workload (2 schema workers, 1 data worker, 2 nodes, 2 "
      "tables, policy wait), seed = round; baseline free, layered controlled (random): one thread "
      "at a time, a hand-off between OS threads at each scheduling point. The mix differs: a free "
      "data worker runs many cheap reads while the schema workers wait on WiredTiger",
      ctx->explore_ops);
    (void)snprintf(mr->note, sizeof(mr->note),
      "runs per second of %d controlled (random) runs of %d operations each, every run on a "
      "fresh cluster (open, run, settle, check, close, remove); the ratio column is the rate "
      "itself (baseline 1)",
      ctx->explore_runs, EXPLORE_RUN_OPS);
    return (ret == 0 ? 0 : 1);
}
