/*
 * create_vs_stepdown -- upstream WT-17880 and WT-17091 (docs/CONTRACT.md#boundary): a create
 * racing a step-down. Invariant: the boundary verdict (every schema operation lands wholly on
 * one side of a step-down's boundary; nothing of the leader's era is published past it).
 *
 * The run uses policy boundary (upstream when that is the run's policy: both take the schema
 * lock). A leader's create queues its table's metadata entry for lt_publish; the step-down sets
 * its boundary under the schema lock and empties the queue.
 *
 * Forced interleaving: a create of n on node 0 (the leader) is held at "create.after_role_read";
 * node 0's step-down starts.
 *   must-pass: the create holds the schema lock since its admission, so the step-down waits for
 *     it: the create lands before the boundary, and the boundary empties the queue.
 *   must-detect (LT_FAULT_STEPDOWN_LEAK, upstream's defect: the create takes the schema lock
 *     after reading the role): the step-down sets its boundary and empties the queue; the create
 *     then queues a leader-era entry, which leaks into the follower's state.
 */
#include <stdint.h>

#include "race.h"

int
lr_race_create_vs_stepdown(lr_sc *sc)
{
    lt_cluster *cl = lr_sc_cluster(sc);
    lt_session *s0 = NULL;
    lr_sc_thread *dn = NULL, *cr = NULL;
    rr_schema_op op = {0};
    lt_node_info info;
    rr_script x;

    rr_begin(&x, sc);
    RR(&x, rr_setup(sc, "t", rr_rows(sc)));
    if (lr_sc_policy(sc) != LT_POLICY_UPSTREAM)
        RR(&x, lt_set_policy(cl, -1, LT_POLICY_BOUNDARY));
    RR(&x, lt_session_open(cl, 0, &s0));
    if (x.rc != 0)
        goto done;

    lr_sc_log(sc, "create n on node 0 (the leader), held after it reads the role");
    lr_sc_hold(sc, "create.after_role_read", 0);
    op.s = s0;
    op.table = "n";
    cr = lr_sc_spawn(sc, rr_schema_fn, &op);
    if (RR_TRUE(&x, lr_sc_wait_held(sc, "create.after_role_read", 5000),
          "the create never read the role"))
        goto done;

    lr_sc_log(sc, "step node 0 down; hold it after its boundary, if it gets there");
    lr_sc_hold(sc, "stepdown.after_boundary", 0);
    dn = lr_sc_spawn(sc, rr_step_down_fn, (void *)(intptr_t)0);
    if (lr_sc_wait_held(sc, "stepdown.after_boundary", 1000))
        lr_sc_log(sc, "the step-down set its boundary while the create was held");
    else
        lr_sc_log(sc, "the step-down waits for the create");
    lr_sc_release(sc, "create.after_role_read");
    RR(&x, lr_sc_join(cr, 5000));
    lr_sc_release(sc, "stepdown.after_boundary");
    RR(&x, lr_sc_join(dn, 5000));
    RR(&x, lt_node_get_info(cl, 0, &info));
    if (x.rc != 0)
        goto done;
    lr_sc_log(sc, "node 0 is a follower with %d metadata entries queued (schema epoch %d)",
      info.queued, (int)info.schema_epoch);
    if (info.queued != 0)
        lr_sc_violation(sc, "boundary",
          "a leader-era metadata entry of n leaked into node 0's state as follower (%d queued)",
          info.queued);
    lr_sc_check_events(sc);

done:
    lr_sc_release(sc, "create.after_role_read");
    lr_sc_release(sc, "stepdown.after_boundary");
    (void)lr_sc_join(cr, 8000);
    (void)lr_sc_join(dn, 8000);
    (void)lt_session_close(s0);
    return (rr_end(&x));
}
