/*
 * create_during_stepup -- race class 2 (docs/CONTRACT.md#class-2). Invariants I5 (and I1: the
 * table is unusable).
 *
 * A create reads the node's role once: a follower's create makes the ingest constituent only and
 * leaves the stable one to the next step-up's "create missing stable constituents" scan. If the
 * create reads "follower" before the flip and links its table after that scan, the new leader has
 * a table without a stable constituent: every cursor on it fails.
 *
 * Forced interleaving: node 1's step-up (second thread) is held at "stepup.begin" (it published
 * its transition, nothing else yet). A create of table n on node 1 (third thread) is held at
 * "create.after_role_read", if the hook lets it in. The step-up is released and held again at
 * "stepup.end" (flipped, scanned, drained); then the create is released and links n.
 *   must-pass (policy reject): the create meets the transition and fails with EBUSY; after the
 *     step-up a new create of n on the leader works, and so do its writes.
 *   must-detect (policy off): the create reads "follower", links n after the scan; the leader's
 *     cursor on n fails (no stable constituent), and its effect overlaps the step-up (I5).
 */
#include <errno.h>
#include <stdint.h>

#include "race.h"

int
lr_race_create_during_stepup(lr_sc *sc)
{
    lt_cluster *cl = lr_sc_cluster(sc);
    lt_session *s1 = NULL, *s1b = NULL;
    lr_sc_thread *up = NULL, *cr = NULL;
    rr_schema_op op = {0};
    rr_script x;
    char val[16];
    int create_rc, rc;

    rr_begin(&x, sc);
    RR(&x, rr_setup(sc, "t", rr_rows(sc)));
    RR(&x, lt_session_open(cl, 1, &s1));
    RR(&x, lt_session_open(cl, 1, &s1b));
    RR(&x, rr_ingest(sc, s1, "t", 30, rr_rows(sc)));
    RR(&x, lt_step_down(cl, 0));
    if (x.rc != 0)
        goto done;

    lr_sc_log(sc, "hold node 1's step-up at stepup.begin, before its flip");
    lr_sc_hold(sc, "stepup.begin", 1);
    up = lr_sc_spawn(sc, rr_step_up_fn, (void *)(intptr_t)1);
    if (RR_TRUE(&x, lr_sc_wait_held(sc, "stepup.begin", 5000), "no step-up reached stepup.begin"))
        goto done;

    lr_sc_log(sc, "create n on node 1, held after it reads the role");
    lr_sc_hold(sc, "create.after_role_read", 1);
    op.s = s1b;
    op.table = "n";
    cr = lr_sc_spawn(sc, rr_schema_fn, &op);
    if (lr_sc_wait_held(sc, "create.after_role_read", 5000))
        lr_sc_log(sc, "the create read node 1's role (follower) and is held");

    lr_sc_log(sc, "let the step-up flip, create missing stables and drain; hold it at stepup.end");
    lr_sc_hold(sc, "stepup.end", 1);
    lr_sc_release(sc, "stepup.begin");
    if (RR_TRUE(&x, lr_sc_wait_held(sc, "stepup.end", 5000), "no step-up reached stepup.end"))
        goto done;
    lr_sc_release(sc, "create.after_role_read");
    create_rc = lr_sc_join(cr, 5000);
    lr_sc_release(sc, "stepup.end");
    if (RR(&x, lr_sc_join(up, 5000)) != 0)
        goto done;

    if (create_rc == 0) {
        /* The create got in: node 1 leads now; can it use its table? */
        if ((rc = rr_write(s1, "n", 40, "k=v")) == 0)
            rc = rr_get(s1, "n", "k", val, sizeof(val));
        if (rc != 0)
            lr_sc_violation(sc, "I5",
              "create of n on node 1 ran during node 1's step-up and "
              "linked n after its stable scan: the leader cannot use n (%s)",
              rr_said(rc));
        else
            lr_sc_violation(sc, "I5", "create of n on node 1 ran during node 1's step-up");
    } else if (create_rc != EBUSY)
        RR(&x, create_rc);
    else {
        /* Rejected: the leader creates n now and uses it. */
        RR(&x, lt_create(s1, "n"));
        RR(&x, rr_write(s1, "n", 40, "k=v"));
        RR(&x, rr_get(s1, "n", "k", val, sizeof(val)));
    }
    lr_sc_check_events(sc);

done:
    lr_sc_release(sc, "stepup.begin");
    lr_sc_release(sc, "create.after_role_read");
    lr_sc_release(sc, "stepup.end");
    (void)lr_sc_join(cr, 8000);
    (void)lr_sc_join(up, 8000);
    (void)lt_session_close(s1);
    (void)lt_session_close(s1b);
    return (rr_end(&x));
}
