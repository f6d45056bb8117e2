/*
 * drop_not_atomic -- race class 14 (docs/CONTRACT.md#class-14). Invariant I7.
 *
 * A drop is atomic: the table leaves the node's catalogue in one step, then its constituents go;
 * it either succeeds or changes nothing. Upstream's defective drop, put back by the test-only
 * fault LT_FAULT_DROP_NOT_ATOMIC, removes the ingest constituent first and then fails on a stable
 * constituent that is still in use (here: referenced by a published checkpoint and by the
 * leader), leaving the table in the catalogue with its ingest rows gone.
 *
 * No second thread: the hazard is a failure path, not an interleaving. The stable constituent is
 * always busy on a follower (the checkpoint the follower picked up references it), so the fault
 * fires on every run.
 *   must-pass (no fault): the drop on follower node 1 succeeds; the table is gone from node 1,
 *     stays gone after the next checkpoint's pickup, and the leader's table is untouched.
 *   must-detect (LT_FAULT_DROP_NOT_ATOMIC): the drop fails with EBUSY half-way: the table is
 *     still on node 1 but the rows node 1 wrote are gone (I7).
 */
#include <errno.h>
#include <stdint.h>

#include "race.h"

int
lr_race_drop_not_atomic(lr_sc *sc)
{
    lt_cluster *cl = lr_sc_cluster(sc);
    lt_session *s0 = NULL, *s1 = NULL;
    lt_cursor *c = NULL;
    rr_script x;
    char key[16];
    uint64_t id = 0;
    int rows = rr_rows(sc), drop_rc, rc, n, exists;

    rr_begin(&x, sc);
    RR(&x, rr_setup(sc, "t", rows));
    RR(&x, lt_session_open(cl, 0, &s0));
    RR(&x, lt_session_open(cl, 1, &s1));
    RR(&x, rr_ingest(sc, s1, "t", 30, rows));
    if (x.rc != 0)
        goto done;

    drop_rc = lt_drop(s1, "t");
    lr_sc_log(sc, "drop of t on node 1 returned %s", rr_said(drop_rc));
    if (drop_rc == 0) {
        /* All of it went: not in the catalogue, not back after the next pickup. */
        rc = lt_cursor_open(s1, "t", NULL, &c);
        (void)lt_cursor_close(c);
        if (lt_table_exists(s1, "t", &exists) != 0 || exists || rc != ENOENT)
            lr_sc_violation(sc, "I7",
              "drop of t on node 1 returned 0, but the table is still "
              "there (exists %d, cursor open %s)",
              exists, rr_rc(rc));
        RR(&x, lt_checkpoint(cl, 0, 40, &id));
        RR(&x, lt_pickup(cl, 1, id));
        if (x.rc == 0 && (lt_table_exists(s1, "t", &exists) != 0 || exists))
            lr_sc_violation(sc, "I7",
              "table t, dropped on node 1, is back after node 1 picked "
              "up checkpoint %d",
              (int)id);
    } else {
        /* Nothing changed: the table and every one of its rows are still on node 1. */
        if ((rc = rr_missing(s1, "t", 's', rows, key, sizeof(key))) == 0)
            rc = rr_missing(s1, "t", 'i', rows, key, sizeof(key));
        if (rc != 0)
            lr_sc_violation(sc, "I7",
              "drop of t on node 1 failed (%s) half-way: the table is "
              "still there, but its row %s is gone (%s)",
              rr_rc(drop_rc), key, rr_rc(rc));
    }
    /* The leader's table is untouched either way. */
    if (x.rc == 0 && rr_count(s0, "t", &n) == 0 && n != rows)
        lr_sc_violation(sc, "I7",
          "node 1's drop changed the leader's table t: %d rows, "
          "expected %d",
          n, rows);
    lr_sc_check_events(sc);

done:
    (void)lt_session_close(s0);
    (void)lt_session_close(s1);
    return (rr_end(&x));
}
