/*
 * undrained_closed_table -- race class 4 (docs/CONTRACT.md#class-4). Invariant I1.
 *
 * The step-up drain moves every table's ingest into stable, whether or not anything has the
 * table open. Upstream's drain walks the open table handles: a table whose last handle closed
 * (an idle sweep, a cursor closed) before the walk is skipped, its ingest rows never reach
 * stable, and the new leader, which reads stable only, loses them. Put back by the test-only
 * fault LT_FAULT_DRAIN_OPEN_ONLY: the drain skips catalogue entries with no open cursor.
 *
 * Forced interleaving: follower node 1 wrote rows i0.. into the ingest of t and of u and has a
 * cursor open on each; node 1 steps up on a second thread, held at "stepup.after_flip" (the
 * role flipped, the catalogue not yet walked); the script closes its cursor on t there (u's
 * stays open), then releases the step-up.
 *   must-pass (no fault): both tables are drained; the new leader reads every row of both.
 *   must-detect (LT_FAULT_DRAIN_OPEN_ONLY): t is not drained; its rows are lost (I1).
 */
#include <errno.h>
#include <stdint.h>

#include "race.h"

/* srows set-up rows and rows ingest rows of table on s, or an I1 violation: the first missing. */
static void
__check_rows(lr_sc *sc, lt_session *s, const char *table, int srows, int rows, const char *how)
{
    char key[16];
    int rc;

    if ((rc = rr_missing(s, table, 's', srows, key, sizeof(key))) == 0)
        rc = rr_missing(s, table, 'i', rows, key, sizeof(key));
    if (rc != 0)
        lr_sc_violation(sc, "I1",
          "row %s of %s, committed on node 1 before its step-up, is not on the new leader (%s): "
          "%s",
          key, table, how, rr_rc(rc));
    else
        lr_sc_log(sc, "the new leader reads every row of %s", table);
}

int
lr_race_undrained_closed_table(lr_sc *sc)
{
    lt_cluster *cl = lr_sc_cluster(sc);
    lt_session *s0 = NULL, *s1 = NULL;
    lt_cursor *ct = NULL, *cu = NULL;
    lr_sc_thread *up = NULL;
    rr_script x;
    int rows = rr_rows(sc);

    rr_begin(&x, sc);
    RR(&x, lt_session_open(cl, 0, &s0));
    RR(&x, lt_create(s0, "u")); /* in the set-up's checkpoint, empty */
    RR(&x, rr_setup(sc, "t", rows));
    RR(&x, lt_session_open(cl, 1, &s1));
    RR(&x, rr_ingest(sc, s1, "t", 30, rows));
    RR(&x, rr_ingest(sc, s1, "u", 30, rows));
    RR(&x, lt_cursor_open(s1, "t", NULL, &ct));
    RR(&x, lt_cursor_open(s1, "u", NULL, &cu));
    RR(&x, lt_cursor_next(ct));
    RR(&x, lt_cursor_next(cu));
    RR(&x, lt_step_down(cl, 0));
    if (x.rc != 0)
        goto done;
    lr_sc_log(sc, "node 1 has a cursor open on t and on u; node 0 stepped down");

    lr_sc_hold(sc, "stepup.after_flip", 1);
    up = lr_sc_spawn(sc, rr_step_up_fn, (void *)(intptr_t)1);
    if (RR_TRUE(&x, lr_sc_wait_held(sc, "stepup.after_flip", 5000),
          "no step-up reached stepup.after_flip"))
        goto done;
    RR(&x, lt_cursor_close(ct));
    ct = NULL;
    lr_sc_log(sc, "node 1 flipped to leader; its last cursor on t closed before the drain");
    lr_sc_release(sc, "stepup.after_flip");
    if (RR(&x, lr_sc_join(up, 5000)) != 0)
        goto done;
    up = NULL;

    __check_rows(sc, s1, "t", rows, rows, "no cursor had it open at the drain");
    __check_rows(sc, s1, "u", 0, rows, "a cursor had it open at the drain");
    lr_sc_check_events(sc);

done:
    lr_sc_release(sc, "stepup.after_flip");
    if (up != NULL)
        (void)lr_sc_join(up, 8000);
    (void)lt_cursor_close(ct);
    (void)lt_cursor_close(cu);
    (void)lt_session_close(s0);
    (void)lt_session_close(s1);
    return (rr_end(&x));
}
