/*
 * write_across_async_stepdown -- race class 20 (docs/CONTRACT.md#class-20). Verdict boundary.
 *
 * Under policy boundary a step-down is asynchronous: it sets its boundary (a new schema epoch
 * and the step-down timestamp) and only later flips the role. A leader's write transaction open
 * across the step-down must land wholly on one side of the boundary: the library's commit
 * refuses a transaction that wrote stable while its node is stepping down (WT_ROLLBACK).
 * Upstream's defect (WT-18477), put back by the test-only fault LT_FAULT_COMMIT_PAST_BOUNDARY:
 * the commit checks the generation only, which the flip has not bumped yet, and commits past the
 * boundary.
 *
 * Forced interleaving: the run's policy is boundary (upstream when that is the run's policy); a
 * leader transaction writes x on node 0 at ts 30; node 0 steps down on a second thread, held at
 * "stepdown.after_boundary"; the script commits there, releases, and node 1 steps up and reads x.
 *   must-pass (no fault): the commit fails with WT_ROLLBACK; node 1 does not see x.
 *   must-detect (LT_FAULT_COMMIT_PAST_BOUNDARY): the commit succeeds past the boundary: boundary,
 *     from the script and from the checker's verdict (a stable write past the boundary).
 */
#include "race.h"

int
lr_race_write_across_async_stepdown(lr_sc *sc)
{
    rr_script x;
    int commit_rc = 0, get_rc = 0;

    rr_begin(&x, sc);
    if (lr_sc_policy(sc) != LT_POLICY_UPSTREAM)
        RR(&x, lt_set_policy(lr_sc_cluster(sc), -1, LT_POLICY_BOUNDARY));
    if (x.rc != 0 ||
      rr_commit_across_stepdown(sc, &x, "stepdown.after_boundary", &commit_rc, &get_rc) != 0)
        return (rr_end(&x));
    if (commit_rc == 0)
        lr_sc_violation(sc, "boundary",
          "a write transaction open across node 0's asynchronous step-down committed past its "
          "boundary%s",
          get_rc == 0 ? "; the new leader serves its write" : "");
    else
        rr_unserved(&x, commit_rc, get_rc);
    lr_sc_check_events(sc);
    return (rr_end(&x));
}
