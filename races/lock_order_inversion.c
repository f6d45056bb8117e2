/*
 * lock_order_inversion -- race class 12 (docs/CONTRACT.md#class-12). Invariant I8.
 *
 * Locks are taken in one order (I8): a pickup or GC holds node.transition_lock (rank 10) and
 * then takes node.catalog_lock (rank 30) to bind or walk the catalogue; a drop takes only
 * catalog_lock. Upstream's drop, put back by the test-only fault LT_FAULT_DROP_LOCK_INVERT,
 * waits out a running pickup or GC under the handle list lock: it takes transition_lock while
 * holding catalog_lock, the opposite order. Against a pickup that holds transition_lock and needs
 * catalog_lock next, that is a deadlock; the library's rank check (layered/sync.c) aborts at the
 * inversion instead, naming both locks.
 *
 * Forced interleaving: node 1's pickup of checkpoint 2 is held at "pickup.begin" (it holds
 * transition_lock and will take catalog_lock to bind); the script drops t on node 1.
 *   must-pass (no fault): the drop takes catalog_lock only and succeeds; the pickup then binds
 *     checkpoint 2 without bringing the dropped t back (I7).
 *   must-detect (LT_FAULT_DROP_LOCK_INVERT): the drop takes transition_lock under catalog_lock:
 *     the rank check aborts the process ("lock order violation (I8)"): the run is crashed.
 */
#include <errno.h>
#include <stdint.h>

#include "race.h"

int
lr_race_lock_order_inversion(lr_sc *sc)
{
    lt_cluster *cl = lr_sc_cluster(sc);
    lt_session *s1 = NULL;
    lr_sc_thread *pk = NULL;
    rr_script x;
    uint64_t id = 0;
    int rows = rr_rows(sc), drop_rc, exists = 0;

    rr_begin(&x, sc);
    RR(&x, rr_setup(sc, "t", rows));
    RR(&x, lt_session_open(cl, 1, &s1));
    RR(&x, lt_checkpoint(cl, 0, 25, &id));
    if (x.rc != 0)
        goto done;

    lr_sc_hold(sc, "pickup.begin", 1);
    pk = lr_sc_spawn(sc, rr_pickup_fn, (void *)(intptr_t)1);
    if (RR_TRUE(&x, lr_sc_wait_held(sc, "pickup.begin", 5000), "no pickup reached pickup.begin"))
        goto done;
    lr_sc_log(sc, "node 1's pickup holds its transition lock at pickup.begin; t is dropped there");
    drop_rc = lt_drop(s1, "t");
    lr_sc_log(sc, "the drop of t on node 1 returned %s", rr_said(drop_rc));
    lr_sc_release(sc, "pickup.begin");
    if (RR(&x, lr_sc_join(pk, 5000)) != 0)
        goto done;
    pk = NULL;
    RR(&x, drop_rc);
    RR(&x, lt_table_exists(s1, "t", &exists));
    if (x.rc == 0 && exists)
        lr_sc_violation(sc, "I7",
          "t, dropped on node 1 while its pickup of checkpoint %d was held, is back after the "
          "pickup",
          (int)id);
    lr_sc_check_events(sc);

done:
    lr_sc_release(sc, "pickup.begin");
    if (pk != NULL)
        (void)lr_sc_join(pk, 8000);
    (void)lt_session_close(s1);
    return (rr_end(&x));
}
