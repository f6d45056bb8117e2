/*
 * commit_after_stepdown -- race class 6 (docs/CONTRACT.md#class-6). Invariant I4.
 *
 * A leader transaction writes to stable; its node steps down; the transaction commits. The
 * library's commit re-checks the role generation inside the data gate and fails with
 * WT_ROLLBACK: a follower never commits stable writes. Upstream's defect, put back by the
 * test-only fault LT_FAULT_COMMIT_NO_GATE: the commit skips the check and commits outside the
 * gate, so the demoted node's dirty stable updates become durable.
 *
 * Forced interleaving: the transaction writes key x on leader node 0; node 0 steps down on a
 * second thread, held at "stepdown.after_flip" (node 0 is a follower now, the transition not yet
 * ended); the script commits there, then releases the step-down. Node 1 steps up and reads x.
 *   must-pass (no fault): the commit fails with WT_ROLLBACK; node 1 does not see x.
 *   must-detect (LT_FAULT_COMMIT_NO_GATE): the commit succeeds as a follower's (I4, also in the
 *     events: a stable write by a follower), and the new leader serves x.
 */
#include <errno.h>
#include <stdint.h>

#include "race.h"

int
lr_race_commit_after_stepdown(lr_sc *sc)
{
    lt_txn_config tc = {LT_ISO_SNAPSHOT, 0, 30};
    lt_cluster *cl = lr_sc_cluster(sc);
    lt_session *s0 = NULL, *s1 = NULL;
    lr_sc_thread *down = NULL;
    rr_script x;
    char val[16];
    int commit_rc, get_rc;

    rr_begin(&x, sc);
    RR(&x, rr_setup(sc, "t", rr_rows(sc)));
    RR(&x, lt_session_open(cl, 0, &s0));
    RR(&x, lt_session_open(cl, 1, &s1));
    RR(&x, lt_txn_begin(s0, &tc));
    RR(&x, rr_write_in(s0, "t", "x=1"));
    if (x.rc != 0)
        goto done;
    lr_sc_log(sc, "a leader transaction on node 0 wrote x to stable at ts 30 and stays open");

    lr_sc_hold(sc, "stepdown.after_flip", 0);
    down = lr_sc_spawn(sc, rr_step_down_fn, (void *)(intptr_t)0);
    if (RR_TRUE(&x, lr_sc_wait_held(sc, "stepdown.after_flip", 5000),
          "no step-down reached stepdown.after_flip"))
        goto done;
    lr_sc_log(sc, "node 0 is a follower now; the transaction commits");
    commit_rc = lt_txn_commit(s0, 0);
    lr_sc_log(sc, "the commit returned %s", rr_said(commit_rc));
    if (lt_txn_active(s0))
        (void)lt_txn_rollback(s0);
    lr_sc_release(sc, "stepdown.after_flip");
    RR(&x, lr_sc_join(down, 5000));
    RR(&x, lt_step_up(cl, 1));
    if (x.rc != 0)
        goto done;

    get_rc = rr_get(s1, "t", "x", val, sizeof(val));
    lr_sc_log(sc, "the new leader (node 1) reads x: %s", rr_rc(get_rc));
    if (commit_rc == 0)
        lr_sc_violation(sc, "I4",
          "a transaction that wrote stable as node 0's leader "
          "transaction committed after node 0 stepped down%s",
          get_rc == 0 ? "; the new leader serves its write" : "");
    else if (get_rc == 0)
        lr_sc_violation(sc, "I4",
          "the write of a transaction that failed to commit (%s) "
          "reached stable",
          rr_rc(commit_rc));
    else if (get_rc != WT_NOTFOUND)
        RR(&x, get_rc);
    lr_sc_check_events(sc);

done:
    lr_sc_release(sc, "stepdown.after_flip");
    (void)lr_sc_join(down, 8000);
    (void)lt_session_close(s0);
    (void)lt_session_close(s1);
    return (rr_end(&x));
}
