/*
 * txn_round_trip -- race class 19 (docs/CONTRACT.md#class-19). Invariant I4.
 *
 * A leader transaction reads and writes; its node steps down and steps up again; the
 * transaction goes on. Every layered operation and the commit check the transaction's role
 * generation, which each flip bumps: after the round trip the role is the same, the generation
 * is not, and the transaction fails with WT_ROLLBACK. Upstream's defect (WT-18316), put back by
 * the test-only fault LT_FAULT_TXN_ROLE_ONLY: the check compares the role only, so the round
 * trip is missed; the transaction reads through a snapshot older than the step-up and commits
 * the stable write it made as the previous leader.
 *
 * Forced interleaving: the transaction reads s0 and writes x on node 0 at ts 30; a second thread
 * steps node 0 down and up again, held at "stepup.end" (node 0 leads again, the step-up not yet
 * ended); the script reads x there, releases the step-up, commits, and reads x afresh.
 *   must-pass (no fault): the read and the commit fail with WT_ROLLBACK; x is nowhere.
 *   must-detect (LT_FAULT_TXN_ROLE_ONLY): both succeed: I4 from the script and from the checker
 *     (a stable write committed at an older role generation than its node's).
 */
#include <errno.h>
#include <stdint.h>

#include "race.h"

/* Node arg steps down, then up again. */
static int
__round_trip_fn(lr_sc *sc, void *arg)
{
    int node = (int)(intptr_t)arg, rc;

    if ((rc = rr_step_down_fn(sc, arg)) != 0)
        return (rc);
    lr_sc_log(sc, "node %d stepped down; it steps up again", node);
    return (rr_step_up_fn(sc, arg));
}

int
lr_race_txn_round_trip(lr_sc *sc)
{
    lt_txn_config tc = {LT_ISO_SNAPSHOT, 0, 30};
    lt_cluster *cl = lr_sc_cluster(sc);
    lt_session *s0 = NULL, *s0r = NULL;
    lr_sc_thread *trip = NULL;
    rr_script x;
    char val[16];
    int read_rc, commit_rc, get_rc;

    rr_begin(&x, sc);
    RR(&x, rr_setup(sc, "t", rr_rows(sc)));
    RR(&x, lt_session_open(cl, 0, &s0));
    RR(&x, lt_session_open(cl, 0, &s0r));
    RR(&x, lt_txn_begin(s0, &tc));
    RR(&x, rr_get(s0, "t", "s0", val, sizeof(val)));
    RR(&x, rr_write_in(s0, "t", "x=1"));
    if (x.rc != 0)
        goto done;
    lr_sc_log(sc, "a leader transaction on node 0 read s0 and wrote x at ts 30; it stays open");

    lr_sc_hold(sc, "stepup.end", 0);
    trip = lr_sc_spawn(sc, __round_trip_fn, (void *)(intptr_t)0);
    if (RR_TRUE(&x, lr_sc_wait_held(sc, "stepup.end", 5000), "no step-up reached stepup.end"))
        goto done;
    read_rc = rr_get(s0, "t", "x", val, sizeof(val));
    lr_sc_log(sc, "node 0 stepped down and up again; the transaction's read of x: %s",
      rr_said(read_rc));
    lr_sc_release(sc, "stepup.end");
    if (RR(&x, lr_sc_join(trip, 5000)) != 0)
        goto done;
    commit_rc = rr_commit(sc, s0);
    get_rc = rr_get(s0r, "t", "x", val, sizeof(val));
    lr_sc_log(sc, "a new reader on node 0 reads x: %s", rr_rc(get_rc));

    if (commit_rc == 0)
        lr_sc_violation(sc, "I4",
          "a transaction that wrote stable as node 0's leader transaction committed after node 0 "
          "stepped down and up again%s",
          read_rc == 0 ? " (and its read after the round trip was served)" : "");
    else if (read_rc == 0)
        lr_sc_violation(sc, "I1",
          "a transaction's read after node 0's step-down and step-up was served from a snapshot "
          "older than the step-up");
    else
        rr_unserved(&x, commit_rc, get_rc);
    lr_sc_check_events(sc);

done:
    lr_sc_release(sc, "stepup.end");
    (void)lr_sc_join(trip, 8000);
    (void)lt_session_close(s0);
    (void)lt_session_close(s0r);
    return (rr_end(&x));
}
