/*
 * drop_recreate_stale_read -- race class 11 (docs/CONTRACT.md#class-11). Invariant I7.
 *
 * After a drop and a re-create of the same name, no node serves a row of the dropped
 * incarnation, whatever checkpoint it still reads. A follower binds a checkpoint's table only to
 * an incarnation born after its own last drop of the name. Upstream's pickup, put back by the
 * test-only fault LT_FAULT_PICKUP_STALE_BIND, binds by name: the re-created table reads the
 * dropped one's stable constituent.
 *
 * Forced interleaving: node 1's pickup of checkpoint 2 (which names the old t) is held at
 * "pickup.begin", the checkpoint pinned; meanwhile t is dropped and re-created on the leader and
 * on node 1, and the leader writes n0 to the new t. Then the pickup goes on.
 *   must-pass (no fault): node 1's new t serves none of the old rows; after the next checkpoint's
 *     pickup it serves n0 and still none of the old rows.
 *   must-detect (LT_FAULT_PICKUP_STALE_BIND): the pickup binds node 1's new t to the dropped
 *     incarnation's stable: node 1 serves the old rows (I7).
 */
#include <errno.h>
#include <stdint.h>

#include "race.h"

/* Node 1 serves no row "s0".."sN" of the dropped incarnation: else I7, said once. */
static void
__no_old_rows(lr_sc *sc, rr_script *x, lt_session *s1, int rows, const char *when)
{
    char key[16], val[16];
    int i, rc;

    for (i = 0; i < rows && x->rc == 0; i++) {
        (void)snprintf(key, sizeof(key), "s%d", i);
        if ((rc = rr_get(s1, "t", key, val, sizeof(val))) == 0) {
            lr_sc_violation(sc, "I7",
              "%s, node 1 serves row %s=%s of the dropped incarnation of t (the table was "
              "dropped and re-created while node 1's pickup held a checkpoint naming the old one)",
              when, key, val);
            return;
        }
        if (rc != WT_NOTFOUND)
            (void)RR(x, rc);
    }
}

int
lr_race_drop_recreate_stale_read(lr_sc *sc)
{
    lt_cluster *cl = lr_sc_cluster(sc);
    lt_session *s0 = NULL, *s1 = NULL;
    lr_sc_thread *pk = NULL;
    rr_script x;
    char val[16];
    uint64_t id = 0;
    int rows = rr_rows(sc), rc;

    rr_begin(&x, sc);
    RR(&x, rr_setup(sc, "t", rows));
    RR(&x, lt_session_open(cl, 0, &s0));
    RR(&x, lt_session_open(cl, 1, &s1));
    RR(&x, lt_checkpoint(cl, 0, 25, &id)); /* checkpoint 2: still the old t */
    if (x.rc != 0)
        goto done;

    lr_sc_hold(sc, "pickup.begin", 1);
    pk = lr_sc_spawn(sc, rr_pickup_fn, (void *)(intptr_t)1);
    if (RR_TRUE(&x, lr_sc_wait_held(sc, "pickup.begin", 5000), "no pickup reached pickup.begin"))
        goto done;
    lr_sc_log(sc, "node 1's pickup pinned checkpoint %d (old t); t is dropped and re-created",
      (int)id);
    RR(&x, lt_drop(s0, "t"));
    RR(&x, lt_drop(s1, "t"));
    RR(&x, lt_create(s0, "t"));
    RR(&x, rr_write(s0, "t", 30, "n0=N"));
    RR(&x, lt_create(s1, "t"));
    lr_sc_release(sc, "pickup.begin");
    if (RR(&x, lr_sc_join(pk, 5000)) != 0)
        goto done;
    pk = NULL;
    __no_old_rows(sc, &x, s1, rows, "after the pickup of the old checkpoint");

    /* The next checkpoint names the new incarnation: node 1 follows it, old rows stay gone. */
    RR(&x, lt_checkpoint(cl, 0, 40, &id));
    RR(&x, lt_pickup(cl, 1, id));
    if (x.rc == 0 && lr_sc_violations(sc) == 0) {
        __no_old_rows(sc, &x, s1, rows, "after the pickup of the new checkpoint");
        if ((rc = rr_get(s1, "t", "n0", val, sizeof(val))) != 0)
            lr_sc_violation(sc, "I1",
              "node 1 cannot read n0 of the re-created t after picking up checkpoint %d: %s",
              (int)id, rr_rc(rc));
    }
    lr_sc_check_events(sc);

done:
    lr_sc_release(sc, "pickup.begin");
    if (pk != NULL)
        (void)lr_sc_join(pk, 8000);
    (void)lt_session_close(s0);
    (void)lt_session_close(s1);
    return (rr_end(&x));
}
