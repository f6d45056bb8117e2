/*
 * bench_stress.c -- the harness's own figures: schema operations per second at 1 to 16 threads
 * with the hook on (policy reject) against off, and how long the stress run takes, with the hook
 * off, to catch race class 1 (a drop taking effect during a step-up's drain;
 * docs/CONTRACT.md#class-1).
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench/bench_int.h"
#include "common/clock.h"
#include "common/exit.h"
#include "stress/engine.h"

typedef struct {
    lt_cluster *cl;
    int leader, id;
    uint64_t deadline, ops;
    int rc;
} schema_arg;

/* Create and drop tables of this thread's own until the deadline. */
static void *
__schema_thread(void *p)
{
    schema_arg *a = p;
    lt_session *s;
    char name[32];
    int i;

    if ((a->rc = lt_session_open(a->cl, a->leader, &s)) != 0)
        return (NULL);
    for (i = 0; lr_now_ns() < a->deadline; i++) {
        (void)snprintf(name, sizeof(name), "s%d_%d", a->id, i % 4);
        if ((a->rc = lt_create(s, name)) != 0 || (a->rc = lt_drop(s, name)) != 0)
            break;
        a->ops += 2;
    }
    (void)lt_session_close(s);
    return (NULL);
}

static int
__schema_run(lt_cluster *cl, int leader, int nthreads, int ms, double *rate)
{
    pthread_t th[16];
    schema_arg a[16];
    uint64_t start, ops;
    int i, rc;

    start = lr_now_ns();
    for (i = 0; i < nthreads; i++) {
        memset(&a[i], 0, sizeof(a[i]));
        a[i].cl = cl;
        a[i].leader = leader;
        a[i].id = i;
        a[i].deadline = start + (uint64_t)ms * 1000000u;
        if (pthread_create(&th[i], NULL, __schema_thread, &a[i]) != 0)
            return (EAGAIN);
    }
    rc = 0;
    for (ops = 0, i = 0; i < nthreads; i++) {
        (void)pthread_join(th[i], NULL);
        ops += a[i].ops;
        if (a[i].rc != 0 && rc == 0)
            rc = a[i].rc;
    }
    *rate = (double)ops / lr_seconds_since(start);
    return (rc);
}

int
lr_bench_schema_threads(bench_ctx *ctx)
{
    static const int threads[] = {1, 2, 4, 8, 16};
    lt_cluster *cl;
    bench_metric *m;
    double rate[2];
    int i, r, side, lay, leader, follower, ret;

    for (i = 0; i < 5; i++) {
        m = &ctx->m[BM_SCHEMA1 + i];
        if ((ret = lr_bench_cluster_open(ctx, NULL, NULL, &cl, &leader, &follower)) != 0)
            return (ret);
        for (r = 0; r < ctx->rounds; r++) {
            for (side = 0; side < 2; side++) {
                lay = side ^ (r & 1);
                BENCH_LT(lt_set_policy(cl, leader, lay ? LT_POLICY_REJECT : LT_POLICY_OFF));
                BENCH_LT(__schema_run(cl, leader, threads[i], ctx->schema_ms, &rate[lay]));
            }
            lr_bench_record(m, r, rate[0], rate[1]);
        }
        (void)snprintf(m->note, sizeof(m->note),
          "%d thread(s) each creating and dropping tables of its own on the leader for %d ms "
          "per side and round, no transitions; layered = policy reject, baseline = policy off; "
          "every schema operation passes the hook (WiredTiger's own schema lock serialises "
          "them, so the rate does not grow with threads)",
          threads[i], ctx->schema_ms);
        if ((ret = lr_bench_cluster_close(ctx, cl)) != 0)
            return (ret);
        continue;
err:
        (void)lr_bench_cluster_close(ctx, cl);
        return (ret);
    }
    return (0);
}

void
lr_bench_stress_defaults(lr_config *cfg, uint64_t seed, lt_policy policy, const char *dir)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->threads = 2 * lr_cores();
    cfg->data_threads = 2;
    cfg->seed = seed;
    cfg->policy = policy;
    cfg->nodes = 3;
    cfg->tables = 4;
    cfg->perturb_pct = 10;
    cfg->quiet = true;
    cfg->dir = dir;
}

/*
 * __detect_child --
 *     In a child process: a stress run with the hook off (every default but the policy), until
 *     a drop takes effect during a step-up; writes the milliseconds it took (0: not within the
 *     budget) to fd. A crash of the system under test kills the child: the parent counts the time
 *     to the crash.
 */
static void
__detect_child(bench_ctx *ctx, uint64_t seed, int fd)
{
    lr_config cfg;
    lr_counters c;
    lr_run *run;
    char dir[BENCH_PATH_MAX + 64];
    uint64_t ms;

    (void)snprintf(dir, sizeof(dir), "%s/detect-%" PRIu64, ctx->workdir, seed);
    lr_bench_stress_defaults(&cfg, seed, LT_POLICY_OFF, dir);
    cfg.duration_ms = (uint64_t)ctx->detect_max_ms;
    cfg.keep_going = true;
    ms = 0;
    if (lr_stress_start(&cfg, &run) == 0) {
        do {
            lr_sleep_ms(2);
            lr_stress_progress(run, &c);
        } while (c.first_drain_drop_ms == 0 && !lr_stress_done(run));
        ms = c.first_drain_drop_ms;
    }
    if (write(fd, &ms, sizeof(ms)) != (ssize_t)sizeof(ms))
        _exit(LR_EXIT_ENV);
    _exit(0); /* the cluster is left as it is: with the hook off it may be corrupt */
}

int
lr_bench_detect(bench_ctx *ctx)
{
    bench_metric *m = &ctx->m[BM_DETECT];
    uint64_t ms, start;
    int fds[2], status, i, missed, crashed;
    ssize_t got;
    pid_t pid;

    missed = crashed = 0;
    for (i = 0; i < ctx->detect_seeds; i++) {
        if (pipe(fds) != 0)
            return (LR_EXIT_ENV);
        start = lr_now_ns();
        if ((pid = fork()) < 0)
            return (LR_EXIT_ENV);
        if (pid == 0) {
            (void)close(fds[0]);
            __detect_child(ctx, (uint64_t)i + 1, fds[1]);
        }
        (void)close(fds[1]);
        ms = 0;
        got = read(fds[0], &ms, sizeof(ms));
        (void)close(fds[0]);
        (void)waitpid(pid, &status, 0);
        if (got != (ssize_t)sizeof(ms)) {
            /* The system under test crashed before the drop was seen: a detection too. */
            ms = (lr_now_ns() - start) / 1000000u;
            crashed++;
        } else if (ms == 0) {
            ms = (uint64_t)ctx->detect_max_ms;
            missed++;
        }
        lr_bench_record(m, i, 0, (double)ms);
    }
    (void)snprintf(m->note, sizeof(m->note),
      "%d seeds (1..%d) of a stress run with every default but --policy off, each in a child "
      "process, until a drop takes effect during a step-up (the library's events say so) or "
      "the system under test crashes (%d seeds), budget %d ms (%d seeds missed it)",
      ctx->detect_seeds, ctx->detect_seeds, crashed, ctx->detect_max_ms, missed);
    return (0);
}
