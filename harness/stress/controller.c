/*
 * controller.c -- the controller thread (role changes: step-up when no node leads, step-down of
 * the leader after a seeded hold) and the stress scheduler's perturbation of the library's yield
 * points. Checkpoints, pickups and GC run beside it, one thread per node (maintain.c).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "stress/engine_int.h"
#include "trace/trace.h"

/*
 * lr_perturb --
 *     The yield function of a stress run: at each named site, with the configured chance, a
 *     seeded short delay from the calling thread's stream, so that the windows between a check
 *     and its use open wider.
 */
void
lr_perturb(void *arg, const char *site, int node)
{
    lr_run *run = arg;

    /* Controlled: a scheduling point instead of a delay; free: noted if the order is recorded. */
    lr_sched_point(site, node);
    if (lr_sched_self != NULL)
        return;
    lr_trace_point("at", site, node); /* the thread's last point, for the watchdog */
    if (lr_rng_delay(lr_rng_mine(run->cfg.seed), run->cfg.perturb_pct, 300))
        LR_ORDER_LEAVE();
}

/* A transition, as an application's election would make it: data operations run on. */
int
lr_transition(lr_run *run, bool up, int node)
{
    bool app = up && lr_node_policy(&run->cfg, node) == LT_POLICY_UPSTREAM;
    int rc;

    lr_trace_transition(true, up, node, 0);
    if (app)
        lr_sched_wrlock(&run->stepup_app, "stepup_app");
    rc = up ? lt_step_up(run->cl, node) : lt_step_down(run->cl, node);
    if (app)
        lr_sched_rwunlock(&run->stepup_app);
    lr_trace_transition(false, up, node, rc);
    if (rc == 0)
        atomic_fetch_add(up ? &run->step_ups : &run->step_downs, 1);
    return (rc);
}

void *
lr_controller(void *arg)
{
    lr_run *run = arg;
    lr_rng rng;
    uint64_t restarts;
    int leader, node;
    uint32_t rounds = 0;
    uint64_t before;

    lr_history_thread(0);
    lr_order_attach(run->order, 0);
    lr_rng_thread(run->cfg.seed, 0);
    lr_rng_init(&rng, run->cfg.seed, 0);
    while (!lr_should_stop(run) && lr_thread_round(run, 0, &rounds)) {
        lr_quiesce_point(run);
        lr_sched_point("op.controller", -1);
        restarts = atomic_load(&run->restarts); /* before the leader is read */
        leader = lt_cluster_leader(run->cl);
        lr_sched_mark("controller.after_leader", leader);
        before = lt_wtfault_thread_count();
        if (leader < 0) {
            node = (int)lr_below(&rng, (uint64_t)run->cfg.nodes);
            /* A node replaying its log after a restart is not elected (replay.c). */
            lr_replay_guard(run, true);
            lr_lag_elect(run, true); /* nor a node whose log lags (lag.c) */
            if (atomic_load(&run->replaying[node]) || lr_lag_behind(run, node) ||
              lr_transition(run, true, node) == 0)
                ;
            else if (!lr_injected(run, before))
                lr_online_violation(run, "transition", node, NULL, "step-up of node %d: %s", node,
                  lt_last_error());
            else if (lt_cluster_leader(run->cl) == node)
                lr_online_violation(run, "wtfault", node, NULL,
                  "step-up of node %d failed with an injected error, yet the node leads", node);
            lr_lag_elect(run, false);
            lr_replay_guard(run, false);
        } else {
            lr_sched_sleep_us(lr_below(&rng, 5000), "controller.hold");
            /* EINVAL from a leader restarted meanwhile (a follower now) is expected: its restart
             * counts once lt_node_restart returned, and it is replaying from before the call. */
            if (lr_transition(run, false, leader) != 0 && !lr_injected(run, before) &&
              !atomic_load(&run->replaying[leader]) && restarts == atomic_load(&run->restarts))
                lr_online_violation(run, "transition", leader, NULL, "step-down of node %d: %s",
                  leader, lt_last_error());
        }
        lr_sched_sleep_us(lr_below(&rng, 3000), "controller.pause");
    }
    lr_quiesce_exit(run);
    return (NULL);
}
