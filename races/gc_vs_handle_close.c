/*
 * gc_vs_handle_close -- race class 13 (docs/CONTRACT.md#class-13). Memory safety, I6.
 *
 * Ingest GC holds a reference on every catalogue entry it cleans, as an open cursor does, so a
 * drop meanwhile fails with EBUSY and the entry outlives GC's walk. Upstream's GC, put back by
 * the test-only fault LT_FAULT_GC_NO_REF, walks the table handles without holding them: the
 * drop's release of the last reference (the handle's close) frees the entry GC reads next.
 *
 * Forced interleaving: node 1's GC is held at "gc.entry" (its walk has t next); the script drops
 * t on node 1, then releases GC.
 *   must-pass (no fault): the drop fails with EBUSY; GC completes; node 1 still serves every row
 *     of t.
 *   must-detect (LT_FAULT_GC_NO_REF): the drop returns 0 and frees the entry (scribbled first);
 *     the script reports it (a drop freed the entry GC was cleaning), and GC then reads the freed
 *     entry: under ASan a heap-use-after-free (the run is crashed).
 */
#include <errno.h>
#include <stdint.h>

#include "race.h"

int
lr_race_gc_vs_handle_close(lr_sc *sc)
{
    lt_cluster *cl = lr_sc_cluster(sc);
    lt_session *s1 = NULL;
    lr_sc_thread *gc = NULL;
    rr_script x;
    char key[16];
    int rows = rr_rows(sc), drop_rc, rc;

    rr_begin(&x, sc);
    RR(&x, rr_setup(sc, "t", rows));
    RR(&x, lt_session_open(cl, 1, &s1));
    if (x.rc != 0)
        goto done;

    lr_sc_hold(sc, "gc.entry", 1);
    gc = lr_sc_spawn(sc, rr_gc_fn, (void *)(intptr_t)1);
    if (RR_TRUE(&x, lr_sc_wait_held(sc, "gc.entry", 5000), "no GC reached gc.entry"))
        goto done;
    lr_sc_log(sc, "node 1's GC is about to clean t; t is dropped on node 1");
    drop_rc = lt_drop(s1, "t");
    lr_sc_log(sc, "the drop of t on node 1 returned %s", rr_said(drop_rc));
    if (drop_rc == 0)
        lr_sc_violation(sc, "I6",
          "a drop of t on node 1 freed its catalogue entry while node 1's GC was cleaning it "
          "(GC holds no reference: it reads freed memory next)");
    else if (drop_rc != EBUSY)
        RR(&x, drop_rc);
    lr_sc_release(sc, "gc.entry");
    if (RR(&x, lr_sc_join(gc, 5000)) != 0)
        goto done;
    gc = NULL;
    /* The drop changed nothing: every row of t is still served on node 1. */
    if (drop_rc != 0 && (rc = rr_missing(s1, "t", 's', rows, key, sizeof(key))) != 0)
        lr_sc_violation(sc, "I6", "row %s of t is gone from node 1 after its GC: %s", key,
          rr_rc(rc));
    lr_sc_check_events(sc);

done:
    lr_sc_release(sc, "gc.entry");
    if (gc != NULL)
        (void)lr_sc_join(gc, 8000);
    (void)lt_session_close(s1);
    return (rr_end(&x));
}
