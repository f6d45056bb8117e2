/*
 * pickup_under_positioned_cursor -- race class 8 (docs/CONTRACT.md#class-8). Invariants I1, I2.
 *
 * A follower cursor stands on a key the next checkpoint removes; the node picks that checkpoint
 * up; the cursor moves on. A positioned cursor keeps its view (its checkpoint, pinned) until it
 * is reset, so it continues after its key in order, and a new scan reads the new checkpoint.
 * Upstream's defect, put back by the test-only fault LT_FAULT_PICKUP_RESEARCH: the cursor
 * follows the pickup and finds its position again by an exact search of its key, which the new
 * checkpoint no longer holds: a spurious WT_NOTFOUND ends the scan early.
 *
 * Forced interleaving: a cursor on follower node 1 is positioned on s1 by a search; the leader
 * removes s1 at 30 and publishes checkpoint 2 at 40; node 1's pickup (a second thread) is held
 * at "pickup.after_bind" (tables bound, the view not yet moved), then released; the cursor moves.
 *   must-pass (no fault): next serves s2 .. in order, then WT_NOTFOUND; a new scan has no s1.
 *   must-detect (LT_FAULT_PICKUP_RESEARCH): next returns WT_NOTFOUND at once: rows s2 .. are
 *     committed and in the view, yet not served (I1).
 */
#include <errno.h>
#include <stdint.h>

#include "race.h"

int
lr_race_pickup_under_positioned_cursor(lr_sc *sc)
{
    lt_cluster *cl = lr_sc_cluster(sc);
    lt_session *s0 = NULL, *s1 = NULL;
    lt_cursor *c = NULL;
    lr_sc_thread *pk = NULL;
    rr_script x;
    const char *key = NULL;
    char rest[512], all[512];
    int rows = rr_rows(sc) + 1; /* s0, s1 and at least one row after s1 */
    uint64_t id = 0;

    rr_begin(&x, sc);
    RR(&x, rr_setup(sc, "t", rows));
    RR(&x, lt_session_open(cl, 0, &s0));
    RR(&x, lt_session_open(cl, 1, &s1));
    RR(&x, lt_cursor_open(s1, "t", NULL, &c));
    lt_cursor_set_key(c, "s1");
    RR(&x, lt_cursor_search(c));
    RR(&x, rr_write(s0, "t", 30, "-s1"));
    RR(&x, lt_checkpoint(cl, 0, 40, &id));
    if (x.rc != 0)
        goto done;
    lr_sc_log(sc,
      "a cursor on node 1 stands on s1; the leader removed s1 and published checkpoint "
      "%d",
      (int)id);

    lr_sc_hold(sc, "pickup.after_bind", 1);
    pk = lr_sc_spawn(sc, rr_pickup_fn, (void *)(intptr_t)1);
    if (RR_TRUE(&x, lr_sc_wait_held(sc, "pickup.after_bind", 5000),
          "no pickup reached pickup.after_bind"))
        goto done;
    RR(&x, lt_cursor_get_key(c, &key));
    lr_sc_log(sc, "node 1's pickup bound the checkpoint's tables; the cursor still stands on %s",
      key != NULL ? key : "?");
    lr_sc_release(sc, "pickup.after_bind");
    if (RR(&x, lr_sc_join(pk, 5000)) != 0)
        goto done;

    rr_keys(rest, sizeof(rest), 's', 2, rows, -1);
    RR(&x, rr_walk(sc, c, 1, "s1", rest, true, "the cursor positioned on s1 across the pickup"));
    RR(&x, lt_cursor_reset(c));
    rr_keys(all, sizeof(all), 's', 0, rows, 1);
    RR(&x, rr_walk(sc, c, 1, NULL, all, true, "a new scan after the pickup"));
    lr_sc_check_events(sc);

done:
    lr_sc_release(sc, "pickup.after_bind");
    (void)lr_sc_join(pk, 8000);
    (void)lt_cursor_close(c);
    (void)lt_session_close(s0);
    (void)lt_session_close(s1);
    return (rr_end(&x));
}
