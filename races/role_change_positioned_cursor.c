/*
 * role_change_positioned_cursor -- race class 10 (docs/CONTRACT.md#class-10). Invariants I2, I1.
 *
 * A cursor positioned on an ingest row while its node steps up: its view changes under it (the
 * leader's view during the step-up, stable plus the ingest not yet drained; then stable alone),
 * and each move re-seeks from the cursor's key in the current view, so the scan goes on in order
 * with every row, wherever the drain moved it. Upstream's defect, put back by the test-only
 * fault LT_FAULT_ROLE_KEEP_VIEW: a positioned cursor keeps its follower constituents across the
 * role change and steps them after the drain emptied the ingest: the rows moved to stable are
 * skipped.
 *
 * Forced interleaving: follower node 1 wrote i0 .. at 30; a cursor on node 1 stands on i0; node 0
 * steps down; node 1's step-up (a second thread) is held at "drain.entry" (flipped, nothing
 * drained: the cursor moves to i1), then at "stepup.end" (drained, the transition still open:
 * it moves to i2), then ends; the cursor walks to the end.
 *   must-pass (no fault): i1, i2, then i3 .. and s0 .., in order, then WT_NOTFOUND.
 *   must-detect (LT_FAULT_ROLE_KEEP_VIEW): after the drain the cursor's old view serves s0 next:
 *     the drained rows are lost to it (I1).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>

#include "race.h"

int
lr_race_role_change_positioned_cursor(lr_sc *sc)
{
    lt_cluster *cl = lr_sc_cluster(sc);
    lt_session *s1 = NULL, *s1w = NULL;
    lt_cursor *c = NULL;
    lr_sc_thread *up = NULL;
    rr_script x;
    char is[512], ss[512], rest[1100];
    int rows = rr_rows(sc) + 1; /* i0, i1, i2 and more */

    rr_begin(&x, sc);
    RR(&x, rr_setup(sc, "t", rows));
    RR(&x, lt_session_open(cl, 1, &s1));
    RR(&x, lt_session_open(cl, 1, &s1w));
    RR(&x, rr_ingest(sc, s1w, "t", 30, rows));
    RR(&x, lt_cursor_open(s1, "t", NULL, &c));
    RR(&x, rr_walk(sc, c, 1, NULL, "i0", false, "a follower cursor on node 1"));
    RR(&x, lt_step_down(cl, 0));
    if (x.rc != 0 || lr_sc_violations(sc) != 0)
        goto done;

    lr_sc_hold(sc, "drain.entry", 1);
    lr_sc_hold(sc, "stepup.end", 1);
    up = lr_sc_spawn(sc, rr_step_up_fn, (void *)(intptr_t)1);
    if (RR_TRUE(&x, lr_sc_wait_held(sc, "drain.entry", 5000), "no step-up reached drain.entry"))
        goto done;
    RR(&x, rr_walk(sc, c, 1, "i0", "i1", false, "node 1 flipped to leader, nothing drained yet"));
    lr_sc_release(sc, "drain.entry");
    if (RR_TRUE(&x, lr_sc_wait_held(sc, "stepup.end", 5000), "no step-up reached stepup.end"))
        goto done;
    RR(&x, rr_walk(sc, c, 1, "i1", "i2", false, "node 1 drained, its step-up not ended"));
    lr_sc_release(sc, "stepup.end");
    if (RR(&x, lr_sc_join(up, 5000)) != 0)
        goto done;

    rr_keys(is, sizeof(is), 'i', 3, rows, -1);
    rr_keys(ss, sizeof(ss), 's', 0, rows, -1);
    (void)snprintf(rest, sizeof(rest), "%s%s%s", is, is[0] != '\0' ? " " : "", ss);
    RR(&x, rr_walk(sc, c, 1, "i2", rest, true, "node 1 the leader after its step-up"));
    lr_sc_check_events(sc);

done:
    lr_sc_release(sc, "drain.entry");
    lr_sc_release(sc, "stepup.end");
    (void)lr_sc_join(up, 8000);
    (void)lt_cursor_close(c);
    (void)lt_session_close(s1);
    (void)lt_session_close(s1w);
    return (rr_end(&x));
}
