/*
 * maintain.c -- one maintenance thread per node, beside the controller's role changes: while its
 * node leads it publishes checkpoints, while it follows it picks up the newest one (now and then
 * it lags a cycle), and on any node it runs GC, each after a seeded pause. So a pickup meets a
 * checkpoint half published, GC meets a pickup, a drain or a transition, and the checker judges
 * what they overlapped with. The library refuses what the node's role forbids (EINVAL): that is
 * expected, as the role may change under the call; any other failure is a violation.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "stress/engine_int.h"
#include "trace/trace.h"

/* A checkpoint, or the library's background round (bg): a role-flag read, then a checkpoint. */
static void
__checkpoint(lr_run *run, int node, bool bg)
{
    uint64_t id, before = lt_wtfault_thread_count();
    int rc;

    if ((rc = lr_checkpoint_fenced(run, node, &id, bg)) == 0) {
        atomic_fetch_add(&run->checkpoints, 1);
        if (bg)
            atomic_fetch_add(&run->bg_checkpoints, 1);
    } else if (rc != EINVAL && rc != EAGAIN &&
      !lr_injected(run, before)) /* not the leader now, or nothing new to publish */
        lr_online_violation(run, "contract", node, NULL, "checkpoint on node %d: %s", node,
          lt_last_error());
}

static void
__pickup(lr_run *run, int node)
{
    uint64_t before = lt_wtfault_thread_count();
    int rc;

    if ((rc = lt_pickup(run->cl, node, 0)) == 0)
        atomic_fetch_add(&run->pickups, 1);
    else if (rc != EINVAL && !lr_injected(run, before)) /* not a follower now, or nothing newer */
        lr_online_violation(run, "contract", node, NULL, "pickup on node %d: %s", node,
          lt_last_error());
}

/*
 * With the application's oldest timestamps (lr_app_oldest), move the node's oldest part of the way
 * to its stable timestamp: history between them stays readable, and GC frees what falls below.
 */
static void
__move_oldest(lr_run *run, int node, lr_rng *rng)
{
    uint64_t oldest, stable, to;
    char cfg[64];
    int rc;

    if (lt_node_get_timestamps(run->cl, node, &oldest, &stable) != 0 || stable <= oldest)
        return;
    to = oldest + 1 + lr_below(rng, stable - oldest);
    (void)snprintf(cfg, sizeof(cfg), "oldest_timestamp=%" PRIx64, to);
    /* EINVAL: the stable timestamp went back under it (a restart, a pickup of an older one). */
    if ((rc = lt_node_set_timestamp(run->cl, node, cfg)) != 0 && rc != EINVAL)
        lr_online_violation(run, "contract", node, NULL,
          "oldest timestamp %" PRIu64 " on node %d: %s", to, node, lt_last_error());
}

void *
lr_maintain(void *arg)
{
    lr_maint *m = arg;
    lr_run *run = m->run;
    lt_node_info info;
    lr_rng rng;
    int id = 1 + run->cfg.threads + run->cfg.data_threads + m->node, rc;

    lr_history_thread(id);
    lr_sched_daemon(); /* its rounds are no progress of the run: a stall is a deadlock */
    lr_trace_daemon(); /* nor for the free-mode watchdog */
    lr_order_attach(run->order, id);
    lr_rng_thread(run->cfg.seed, id);
    uint32_t rounds = 0;

    lr_rng_init(&rng, run->cfg.seed, (uint64_t)id);
    while (!lr_should_stop(run) && lr_thread_round(run, id, &rounds)) {
        lr_quiesce_point(run);
        lr_sched_point("op.maintain", m->node);
        rc = lt_node_get_info(run->cl, m->node, &info);
        lr_sched_mark("maintain.after_info", m->node);
        if (rc == 0) {
            /* No draw without --bg: explore's pinned seeds keep their schedules. */
            if (info.role == LT_LEADER && lr_chance(&rng, 70))
                __checkpoint(run, m->node, run->cfg.bg_pct > 0 && lr_chance(&rng, run->cfg.bg_pct));
            else if (info.role == LT_FOLLOWER && lr_chance(&rng, 80)) {
                /* Replay first (replay.c): a pickup would put the node's view above records
                 * still to replay. The lock orders the check with the restarter's flag. */
                lr_replay_guard(run, true);
                if (!atomic_load(&run->replaying[m->node]))
                    __pickup(run, m->node);
                lr_replay_guard(run, false);
            }
        }
        if (lr_app_oldest(&run->cfg) && lr_chance(&rng, 40))
            __move_oldest(run, m->node, &rng);
        if (lr_chance(&rng, 30) && lt_gc(run->cl, m->node, NULL) == 0)
            atomic_fetch_add(&run->gcs, 1);
        lr_sched_sleep_us(lr_below(&rng, 80000), "maintain.pause");
    }
    lr_quiesce_exit(run);
    return (NULL);
}
