/*
 * controller.c -- the controller thread (step-down, step-up, checkpoints, pickups, GC, with
 * seeded jitter) and the stress scheduler's perturbation of the library's yield points.
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

    if (lr_sched_self != NULL) { /* controlled: a scheduling point instead of a delay */
        lr_sched_point(site, node);
        return;
    }
    lr_trace_point("at", site, node); /* the thread's last point, for the watchdog */
    (void)lr_rng_delay(lr_rng_mine(run->cfg.seed), run->cfg.perturb_pct, 300);
}

/* A transition with the data workers' gate held exclusively (see engine_int.h). */
int
lr_transition(lr_run *run, bool up, int node)
{
    bool app = up && run->cfg.policy == LT_POLICY_UPSTREAM;
    int rc;

    lr_trace_transition(true, up, node, 0);
    if (app)
        lr_sched_wrlock(&run->stepup_app, "stepup_app");
    lr_sched_wrlock(&run->gate, "gate");
    rc = up ? lt_step_up(run->cl, node) : lt_step_down(run->cl, node);
    lr_sched_rwunlock(&run->gate);
    if (app)
        lr_sched_rwunlock(&run->stepup_app);
    lr_trace_transition(false, up, node, rc);
    if (rc == 0)
        atomic_fetch_add(up ? &run->step_ups : &run->step_downs, 1);
    return (rc);
}

static void
__publish(lr_run *run, lr_rng *rng, int leader)
{
    uint64_t id;
    int node, rc;

    if ((rc = lt_checkpoint(run->cl, leader, 0, &id)) != 0) {
        if (rc != EINVAL) /* nothing new to publish */
            lr_online_violation(run, "contract", leader, NULL, "checkpoint on node %d: %s", leader,
              lt_last_error());
        return;
    }
    atomic_fetch_add(&run->checkpoints, 1);
    for (node = 0; node < run->cfg.nodes; node++) {
        if (node == leader || !lr_chance(rng, 80)) /* some followers lag a cycle */
            continue;
        if ((rc = lt_pickup(run->cl, node, id)) == 0)
            atomic_fetch_add(&run->pickups, 1);
        else if (rc != EINVAL)
            lr_online_violation(run, "contract", node, NULL, "pickup on node %d: %s", node,
              lt_last_error());
    }
}

void *
lr_controller(void *arg)
{
    lr_run *run = arg;
    lr_rng rng;
    int leader, node;
    uint32_t rounds = 0;

    lr_history_thread(0);
    lr_rng_thread(run->cfg.seed, 0);
    lr_rng_init(&rng, run->cfg.seed, 0);
    while (!lr_should_stop(run) && lr_thread_round(run, 0, &rounds)) {
        lr_quiesce_point(run);
        lr_sched_point("op.controller", -1);
        leader = lt_cluster_leader(run->cl);
        if (leader < 0) {
            node = (int)lr_below(&rng, (uint64_t)run->cfg.nodes);
            if (lr_transition(run, true, node) != 0)
                lr_online_violation(run, "transition", node, NULL, "step-up of node %d: %s", node,
                  lt_last_error());
        } else {
            if (lr_chance(&rng, 70))
                __publish(run, &rng, leader);
            if (lr_chance(&rng, 30)) {
                node = (int)lr_below(&rng, (uint64_t)run->cfg.nodes);
                if (lt_gc(run->cl, node, NULL) == 0)
                    atomic_fetch_add(&run->gcs, 1);
            }
            lr_sched_sleep_us(lr_below(&rng, 5000), "controller.hold");
            if (lr_transition(run, false, leader) != 0)
                lr_online_violation(run, "transition", leader, NULL, "step-down of node %d: %s",
                  leader, lt_last_error());
        }
        lr_sched_sleep_us(lr_below(&rng, 3000), "controller.pause");
    }
    lr_quiesce_exit(run);
    return (NULL);
}
