/*
 * txn_across_stepup -- race class 5 (docs/CONTRACT.md#class-5). Invariant I1 (and I4's data gate).
 *
 * A follower transaction that wrote to its ingest and is still open when its node steps up must
 * fail with WT_ROLLBACK at its next operation and at commit: the drain has already moved the
 * ingest to stable, and the new leader reads stable only. Upstream's defect, put back by the
 * test-only fault LT_FAULT_TXN_STRAND: the commit does not re-check the role generation, so the
 * row is committed into the leader's ingest after the drain, where no read finds it.
 *
 * Forced interleaving: the transaction writes key x on follower node 1; node 1 steps up on a
 * second thread, held at "stepup.end" (flipped, drained, not yet ended); the script commits the
 * transaction there, then releases the step-up.
 *   must-pass (no fault): the commit fails with WT_ROLLBACK and x is nowhere.
 *   must-detect (LT_FAULT_TXN_STRAND): the commit succeeds, but the new leader cannot read x:
 *     a committed row stranded in ingest (I1).
 */
#include <errno.h>
#include <stdint.h>

#include "race.h"

int
lr_race_txn_across_stepup(lr_sc *sc)
{
    lt_session *s1 = NULL, *s1r = NULL;
    lr_sc_thread *up = NULL;
    rr_script x;
    char val[16], key[16];
    int rows = rr_rows(sc), commit_rc, get_rc, rc;

    rr_begin(&x, sc);
    if (rr_follower_txn(sc, &x, rows, 40, "x=1", &s1, &s1r) != 0)
        goto done;

    lr_sc_hold(sc, "stepup.end", 1);
    up = lr_sc_spawn(sc, rr_step_up_fn, (void *)(intptr_t)1);
    if (RR_TRUE(&x, lr_sc_wait_held(sc, "stepup.end", 5000), "no step-up reached stepup.end"))
        goto done;
    lr_sc_log(sc, "node 1 flipped to leader and drained its ingest; the transaction commits");
    commit_rc = rr_commit(sc, s1);
    lr_sc_release(sc, "stepup.end");
    if (RR(&x, lr_sc_join(up, 5000)) != 0)
        goto done;

    get_rc = rr_get(s1r, "t", "x", val, sizeof(val));
    lr_sc_log(sc, "the leader's read of x returned %s", rr_rc(get_rc));
    if (commit_rc == 0 && get_rc == WT_NOTFOUND)
        lr_sc_violation(sc, "I1",
          "a follower transaction open across node 1's step-up "
          "committed x at ts 40 (commit returned 0), and the new leader cannot read it: the "
          "row is stranded in ingest");
    else if (commit_rc == 0)
        lr_sc_violation(sc, "I4",
          "a follower transaction open across node 1's step-up "
          "committed after the flip");
    else if (get_rc == 0)
        lr_sc_violation(sc, "I1", "x is readable after its transaction failed to commit (%s)",
          rr_rc(commit_rc));
    else if (get_rc != WT_NOTFOUND)
        RR(&x, get_rc);
    /* The rows committed before the step-up are all there. */
    if (x.rc == 0 && (rc = rr_missing(s1r, "t", 'i', rows, key, sizeof(key))) != 0)
        lr_sc_violation(sc, "I1",
          "row %s, committed on node 1 before its step-up, is not on "
          "the new leader: %s",
          key, rr_rc(rc));
    lr_sc_check_events(sc);

done:
    lr_sc_release(sc, "stepup.end");
    (void)lr_sc_join(up, 8000);
    (void)lt_session_close(s1);
    (void)lt_session_close(s1r);
    return (rr_end(&x));
}
