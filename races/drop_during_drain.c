/*
 * drop_during_drain -- race class 1 (docs/CONTRACT.md#class-1). Invariants I5 and memory safety.
 *
 * The step-up drain walks a snapshot of the node's catalogue entry pointers without references
 * (layered/transition.c, as upstream walks its table handles without the schema lock). A drop
 * that runs after the snapshot and before that entry's drain frees the entry under the drain.
 *
 * Forced interleaving: node 1 (a follower with rows in its ingest) steps up on a second thread,
 * which is held at "drain.entry": the snapshot is taken, table t is next. The script drops t on
 * node 1, then releases the drain.
 *   must-pass (policy reject): the drop is rejected with EBUSY; the step-up drains t; the new
 *     leader serves every row of t.
 *   must-detect (policy off): the drop runs and frees the entry; the drain reads freed memory:
 *     under ASan the process dies with a heap-use-after-free report; otherwise the drain reads
 *     the scribbled entry, the step-up fails (a failed transition), or the process crashes.
 */
#include <errno.h>
#include <stdint.h>

#include "race.h"

int
lr_race_drop_during_drain(lr_sc *sc)
{
    lt_cluster *cl = lr_sc_cluster(sc);
    lt_session *s1 = NULL;
    lr_sc_thread *up = NULL;
    rr_script x;
    char key[16];
    int rows = rr_rows(sc), drop_rc, up_rc, rc;

    rr_begin(&x, sc);
    RR(&x, rr_setup(sc, "t", rows));
    RR(&x, lt_session_open(cl, 1, &s1));
    RR(&x, rr_ingest(sc, s1, "t", 30, rows));
    RR(&x, lt_step_down(cl, 0));
    if (x.rc != 0)
        goto done;

    lr_sc_log(sc, "hold node 1's step-up at drain.entry: its snapshot holds t's entry");
    lr_sc_hold(sc, "drain.entry", 1);
    up = lr_sc_spawn(sc, rr_step_up_fn, (void *)(intptr_t)1);
    if (RR_TRUE(&x, lr_sc_wait_held(sc, "drain.entry", 5000), "no drain reached drain.entry"))
        goto done;

    drop_rc = lt_drop(s1, "t");
    lr_sc_log(sc, "drop of t on node 1 during the step-up returned %s", rr_said(drop_rc));
    lr_sc_release(sc, "drain.entry");
    up_rc = lr_sc_join(up, 8000);

    if (drop_rc == 0 && up_rc != 0)
        lr_sc_violation(sc, "I5",
          "a drop of t freed its catalogue entry while node 1's step-up "
          "was draining it; the step-up then failed with %s",
          rr_rc(up_rc));
    else if (drop_rc == 0)
        lr_sc_violation(sc, "I5",
          "a drop of t ran inside node 1's step-up, after the drain's "
          "snapshot and before its drain");
    else if (drop_rc != EBUSY)
        RR(&x, drop_rc);
    else if (RR(&x, up_rc) == 0) {
        /* Rejected: the table is intact on the new leader, its ingest rows drained. */
        if ((rc = rr_missing(s1, "t", 's', rows, key, sizeof(key))) == 0)
            rc = rr_missing(s1, "t", 'i', rows, key, sizeof(key));
        if (rc != 0)
            lr_sc_violation(sc, "I1",
              "after the rejected drop and the step-up, the leader "
              "cannot read row %s of t: %s",
              key, rr_rc(rc));
    }
    lr_sc_check_events(sc);

done:
    lr_sc_release(sc, "drain.entry");
    (void)lr_sc_join(up, 8000);
    (void)lt_session_close(s1);
    return (rr_end(&x));
}
