/*
 * bench_cluster.c -- what every workload of the benchmark uses: a fresh 2-node cluster in its
 * own home under the working directory, and the report of a failed operation (BENCH_LT,
 * BENCH_WT). Calls no other file of the benchmark.
 */
#include <stdio.h>
#include <string.h>

#include "bench/bench_int.h"
#include "common/fs.h"

/* Remove a cluster's home; a failure is reported and the benchmark goes on. */
static void
__bench_rm(const char *path)
{
    int rc;

    if ((rc = lr_rm_rf(path)) != 0)
        fprintf(stderr, "layerace bench: cannot remove %s: %s\n", path, strerror(rc));
}

void
lr_bench_fail(int rc, int lib, const char *what, const char *file, int line)
{
    fprintf(stderr, "layerace bench: %s:%d: %s failed: %s (%d)%s%s\n", file, line, what,
      lib ? lt_strerror(rc) : wiredtiger_strerror(rc), rc, lib ? ": " : "",
      lib ? lt_last_error() : "");
}

int
lr_bench_cluster_open(bench_ctx *ctx, lt_observer_fn obs, void *obs_arg, lt_cluster **clp,
  int *leaderp, int *followerp)
{
    lt_cluster_config cfg;
    lt_cluster *cl;
    char *home;
    int leader, ret;

    *clp = NULL;
    cl = NULL;
    home = ctx->home;
    (void)snprintf(home, sizeof(ctx->home), "%s/c%d", ctx->workdir, ctx->nclusters++);
    lt_cluster_config_init(&cfg);
    cfg.home = home;
    cfg.nodes = 2;
    cfg.policy = LT_POLICY_REJECT;
    cfg.observer = obs;
    cfg.observer_arg = obs_arg;
    cfg.wt_config = ctx->wt_config;
    BENCH_LT(lt_cluster_open(&cfg, &cl));
    leader = lt_cluster_leader(cl);
    if (leader < 0) {
        BENCH_LT(lt_step_up(cl, 0));
        leader = 0;
    }
    *leaderp = leader;
    *followerp = leader == 0 ? 1 : 0;
    *clp = cl;
    return (0);

err:
    (void)lt_cluster_close(cl);
    if (!ctx->keep)
        __bench_rm(home);
    return (ret);
}

int
lr_bench_cluster_close(bench_ctx *ctx, lt_cluster *cl)
{
    int ret;

    ret = 0;
    if (cl != NULL)
        BENCH_LT(lt_cluster_close(cl));
err:
    if (!ctx->keep)
        __bench_rm(ctx->home);
    return (ret);
}
