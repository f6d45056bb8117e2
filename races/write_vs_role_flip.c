/*
 * write_vs_role_flip -- race class 3 (docs/CONTRACT.md#class-3). Invariant I4.
 *
 * A layered write checks the node's role and routes by it: a leader writes stable, a follower its
 * ingest. The library does both inside one read-side section, so a role flip (which waits a grace
 * period) cannot land between them. Upstream's defect, put back by the test-only fault
 * LT_FAULT_WRITE_ROLE_REREAD: the write leaves the section after its check and re-reads the role
 * to route, so the flip lands in between and the write goes where its transaction never could.
 *
 * Forced interleaving: a follower transaction on node 1 (second thread) writes key w and is held
 * at "write.after_role_check". Node 1 then steps up (third thread), held at "stepup.end". The
 * write is released, then the step-up.
 *   must-pass (no fault): the held write is inside its read-side section, so the step-up cannot
 *     flip (it waits a grace period for it); the write lands in node 1's ingest as a follower
 *     write; the step-up then flips and the transaction's commit fails with WT_ROLLBACK.
 *   must-detect (LT_FAULT_WRITE_ROLE_REREAD): the step-up flips while the write is held; the
 *     write re-reads the role (leader) and is routed to stable through the follower's read-only
 *     checkpoint view: a follower transaction's write sent to stable (I4), which fails.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>

#include "race.h"

typedef struct {
    lt_session *s;
    int write_rc;
    char err[256];
} writer;

/* The follower transaction: begin at ts 40, write w (held after the role check). */
static int
__write_w(lr_sc *sc, void *arg)
{
    lt_txn_config tc = {LT_ISO_SNAPSHOT, 0, 40};
    writer *w = arg;
    int rc;

    if ((rc = lt_txn_begin(w->s, &tc)) != 0)
        return (rc);
    lr_sc_log(sc, "follower transaction on node 1 writes w=1");
    w->write_rc = rr_write_in(w->s, "t", "w=1");
    (void)snprintf(w->err, sizeof(w->err), "%s", rr_said(w->write_rc));
    lr_sc_log(sc, "the write returned %s", w->err);
    return (0);
}

int
lr_race_write_vs_role_flip(lr_sc *sc)
{
    lt_cluster *cl = lr_sc_cluster(sc);
    lt_session *s1 = NULL, *s1r = NULL;
    lr_sc_thread *wt = NULL, *up = NULL;
    writer w = {0};
    rr_script x;
    char val[16];
    int commit_rc, get_rc;

    rr_begin(&x, sc);
    RR(&x, rr_setup(sc, "t", rr_rows(sc)));
    RR(&x, lt_session_open(cl, 1, &s1));
    RR(&x, lt_session_open(cl, 1, &s1r));
    RR(&x, rr_ingest(sc, s1r, "t", 30, rr_rows(sc)));
    RR(&x, lt_step_down(cl, 0));
    if (x.rc != 0)
        goto done;

    lr_sc_hold(sc, "write.after_role_check", 1);
    w.s = s1;
    wt = lr_sc_spawn(sc, __write_w, &w);
    if (RR_TRUE(&x, lr_sc_wait_held(sc, "write.after_role_check", 5000),
          "the write never reached write.after_role_check"))
        goto done;
    lr_sc_log(sc, "the write checked the role (follower) and is held; node 1 steps up");

    lr_sc_hold(sc, "stepup.end", 1);
    up = lr_sc_spawn(sc, rr_step_up_fn, (void *)(intptr_t)1);
    if (lr_sc_wait_held(sc, "stepup.end", 5000))
        lr_sc_log(sc, "the step-up flipped node 1 to leader while the write was held");
    else
        lr_sc_log(sc, "the step-up cannot flip while the write is in flight");
    lr_sc_release(sc, "write.after_role_check");
    RR(&x, lr_sc_join(wt, 5000));
    lr_sc_release(sc, "stepup.end");
    if (RR(&x, lr_sc_join(up, 5000)) != 0)
        goto done;

    /* The transaction began as a follower's: after the step-up it can only roll back. */
    commit_rc = lt_txn_commit(s1, 0);
    lr_sc_log(sc, "its commit after the step-up returned %s", rr_said(commit_rc));
    if (lt_txn_active(s1))
        (void)lt_txn_rollback(s1);
    get_rc = rr_get(s1r, "t", "w", val, sizeof(val));

    if (w.write_rc != 0 && w.write_rc != WT_ROLLBACK)
        lr_sc_violation(sc, "I4",
          "a write of a follower transaction on node 1 checked the role "
          "(follower), node 1 stepped up, and the write was routed by the new role to stable: "
          "%s",
          w.err);
    if (commit_rc == 0)
        lr_sc_violation(sc, "I4",
          "a transaction that began as a follower's on node 1 committed "
          "after node 1 stepped up");
    if (commit_rc != 0 && get_rc == 0)
        lr_sc_violation(sc, "I1", "the rolled-back write w is readable on the new leader");
    else if (get_rc != 0 && get_rc != WT_NOTFOUND)
        RR(&x, get_rc);
    lr_sc_check_events(sc);

done:
    lr_sc_release(sc, "write.after_role_check");
    lr_sc_release(sc, "stepup.end");
    (void)lr_sc_join(wt, 8000);
    (void)lr_sc_join(up, 8000);
    (void)lt_session_close(s1);
    (void)lt_session_close(s1r);
    return (rr_end(&x));
}
