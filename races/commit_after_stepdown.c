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
#include "race.h"

int
lr_race_commit_after_stepdown(lr_sc *sc)
{
    rr_script x;
    int commit_rc = 0, get_rc = 0;

    rr_begin(&x, sc);
    if (rr_commit_across_stepdown(sc, &x, "stepdown.after_flip", &commit_rc, &get_rc) != 0)
        return (rr_end(&x));
    if (commit_rc == 0)
        lr_sc_violation(sc, "I4",
          "a transaction that wrote stable as node 0's leader "
          "transaction committed after node 0 stepped down%s",
          get_rc == 0 ? "; the new leader serves its write" : "");
    else
        rr_unserved(&x, commit_rc, get_rc);
    lr_sc_check_events(sc);
    return (rr_end(&x));
}
