/*
 * drain_truncate_conflict -- race class 18 (docs/CONTRACT.md#class-18). Invariant I1; the
 * step-up must not stop half-done.
 *
 * Once the drain has moved an entry's ingest rows into stable it empties the ingest. An
 * in-flight follower transaction that updated a committed ingest row (the same key at the same
 * commit timestamp) makes that removal a write conflict (WT_ROLLBACK). The transaction is doomed
 * by the flip and rolls back at its next operation: the library's drain retries (bounded, as
 * upstream's fix does) and the step-up completes. Upstream's defect (WT-18512), put back by the
 * test-only fault LT_FAULT_DRAIN_CONFLICT: the conflict ends the drain, and the step-up fails
 * after its flip (upstream panicked), the node leading with its drain unfinished.
 *
 * Forced interleaving: node 1 commits rows i* at ts 30; a transaction on node 1 rewrites i0 at
 * ts 30 and stays open; node 1 steps up on a second thread, held at "drain.empty_conflict" if
 * its emptying meets the conflict, else at "stepup.end"; the script commits the transaction
 * wherever the step-up is held, then releases it.
 *   must-pass (no fault): the conflict is met, the commit fails with WT_ROLLBACK (which ends the
 *     conflict), the step-up completes, the new leader serves every row with its committed
 *     value.
 *   must-detect (LT_FAULT_DRAIN_CONFLICT): the step-up fails (transition, from the script and
 *     from the checker: a failed drain and a failed step-up).
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "race.h"

int
lr_race_drain_truncate_conflict(lr_sc *sc)
{
    lt_cluster *cl = lr_sc_cluster(sc);
    lt_session *s1 = NULL, *s1r = NULL;
    lr_sc_thread *up = NULL;
    lt_node_info info;
    rr_script x;
    char val[16], key[16];
    int rows = rr_rows(sc), commit_rc, up_rc, rc;
    bool conflict;

    rr_begin(&x, sc);
    if (rr_follower_txn(sc, &x, rows, 30, "i0=Y", &s1, &s1r) != 0)
        goto done;

    lr_sc_hold(sc, "drain.empty_conflict", 1);
    lr_sc_hold(sc, "stepup.end", 1);
    up = lr_sc_spawn(sc, rr_step_up_fn, (void *)(intptr_t)1);
    conflict = lr_sc_wait_held(sc, "drain.empty_conflict", 5000);
    lr_sc_log(sc, "%s; the transaction commits",
      conflict ? "the drain's emptying of node 1's ingest met the transaction's update" :
                 "the step-up went by without a retry");
    commit_rc = rr_commit(sc, s1);
    lr_sc_release(sc, "drain.empty_conflict");
    if (RR_TRUE(&x, lr_sc_wait_held(sc, "stepup.end", 5000), "no step-up reached stepup.end"))
        goto done;
    lr_sc_release(sc, "stepup.end");
    up_rc = lr_sc_join(up, 5000);
    up = NULL;
    if (RR_TRUE(&x, up_rc != ETIMEDOUT, "the step-up did not end") ||
      RR_TRUE(&x, conflict || up_rc != 0, "the drain met no conflict: the race was not forced") ||
      RR(&x, lt_node_get_info(cl, 1, &info)) != 0)
        goto done;

    if (up_rc != 0)
        lr_sc_violation(sc, "transition",
          "node 1's step-up failed (%s) after its flip: its drain stopped at the conflict; node 1 "
          "%s",
          rr_rc(up_rc), info.role == LT_LEADER ? "leads half-drained" : "is a follower again");
    if (commit_rc == 0)
        lr_sc_violation(sc, "I4", "a follower transaction open across node 1's step-up committed");
    if ((rc = rr_missing(s1r, "t", 'i', rows, key, sizeof(key))) != 0 ||
      (rc = rr_missing(s1r, "t", 's', rows, key, sizeof(key))) != 0)
        lr_sc_violation(sc, "I1", "row %s, committed before node 1's step-up, is not served: %s",
          key, rr_rc(rc));
    else if (RR(&x, rr_get(s1r, "t", "i0", val, sizeof(val))) == 0 && strcmp(val, "I") != 0)
        lr_sc_violation(sc, "I1",
          "i0 is served as '%s', the write of a transaction that did not "
          "commit",
          val);
    lr_sc_check_events(sc);

done:
    lr_sc_release(sc, "drain.empty_conflict");
    lr_sc_release(sc, "stepup.end");
    (void)lr_sc_join(up, 8000);
    (void)lt_session_close(s1);
    (void)lt_session_close(s1r);
    return (rr_end(&x));
}
