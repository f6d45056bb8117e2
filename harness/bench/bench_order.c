/*
 * bench_order.c -- what recording the order costs a free stress run (--record-order, which lets
 * a failing run be followed to a controlled repro): worker operations per second of the same
 * clean stress run (every default but its operation count: policy rotate, 2 x cores schema
 * workers, 2 data workers, 3 nodes) with the recorder on against off, in this process, the
 * two sides alternating from round to round.
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

/* __run -- one clean free run of ops operations; *ratep its operations per second, *itemsp the
 * points it recorded. Returns 0 or 1 after a message. */
static int
__run(bench_ctx *ctx, bool record, uint64_t ops, uint64_t seed, double *ratep, uint64_t *itemsp)
{
    char dir[BENCH_PATH_MAX + 64], order[BENCH_PATH_MAX + 64];
    lr_result *res;
    lr_config cfg;
    lr_run *run;
    int rc;

    (void)snprintf(dir, sizeof(dir), "%s/order-%" PRIu64, ctx->workdir, seed);
    (void)snprintf(order, sizeof(order), "%s/order-%" PRIu64 ".txt", ctx->workdir, seed);
    lr_bench_stress_defaults(&cfg, seed, LR_POLICY_ROTATE, dir);
    cfg.ops = ops;
    cfg.order_out = record ? order : NULL;
    if ((res = calloc(1, sizeof(*res))) == NULL)
        return (1);
    if (lr_stress_start(&cfg, &run) != 0) {
        fprintf(stderr, "layerace bench: a run did not start: %s\n", lr_stress_error());
        free(res);
        return (1);
    }
    while (!lr_stress_done(run))
        lr_sleep_ms(1);
    rc = lr_stress_finish(run, res);
    *ratep = res->ops_per_sec;
    *itemsp = res->order_items;
    if (rc != 0)
        fprintf(stderr, "layerace bench: run with seed %" PRIu64 " did not end clean (%d): %s\n",
          seed, rc, res->nviolations > 0 ? res->v[0].what : res->error);
    free(res);
    (void)lr_rm_rf(dir);
    (void)remove(order);
    return (rc != 0);
}

int
lr_bench_order(bench_ctx *ctx)
{
    bench_metric *m = &ctx->m[BM_ORDER];
    double rate[2];
    uint64_t items, sum_items = 0, ops = (uint64_t)ctx->explore_ops * 4;
    int r, side, on;

    for (r = 0; r < ctx->rounds; r++) {
        for (side = 0; side < 2; side++) {
            on = side ^ (r & 1);
            if (__run(ctx, on != 0, ops, (uint64_t)r + 1, &rate[on], &items) != 0)
                return (1);
            if (on)
                sum_items += items;
        }
        lr_bench_record(m, r, rate[0], rate[1]);
    }
    (void)snprintf(m->note, sizeof(m->note),
      "%" PRIu64 " operations of a clean free stress run (policy rotate, %d schema workers, 2 data "
      "workers, 3 nodes), seed = round; baseline --record-order off, layered on: every "
      "scheduling point noted with a global number, %.0f points a run on average (%.0f bytes "
      "each, kept in memory, written only when the run fails)",
      ops, 2 * lr_cores(), ctx->rounds > 0 ? (double)sum_items / ctx->rounds : 0.0, 40.0);
    return (0);
}
