/*
 * cursor_before_stable_exists -- race class 9 (docs/CONTRACT.md#class-9). Invariants I6, I1.
 *
 * A follower cursor opens on a table its node's checkpoint does not hold yet (the follower made
 * the table itself: ingest only), then the node picks up a checkpoint that holds it, and ingest
 * GC runs. The cursor's view pins its checkpoint like any other: while it is positioned, GC keeps
 * every ingest version its view reads. Upstream's defect, put back by the test-only fault
 * LT_FAULT_UNBOUND_NO_PIN: a view without a stable constituent pins no checkpoint and stays
 * ingest-only while positioned; GC, seeing nothing hold the old checkpoint, collects the ingest
 * rows the cursor has not returned yet.
 *
 * Forced interleaving: follower node 1 creates n and writes i0.. at 30; a cursor on node 1 opens
 * on n and stands on i0. The leader creates n, writes the same rows at 30 and h0, k0 at 35, and
 * publishes checkpoint 2 at 40 (node 2 picks it up). Node 1's pickup (a second thread) is held
 * at "pickup.after_bind", then released; node 1's GC (a third) is held at "gc.entry", then
 * released; the cursor moves on.
 *   must-pass (no fault): next serves i1 .. from the cursor's view; a new scan reads checkpoint
 *     2: h0, i0 .., k0.
 *   must-detect (LT_FAULT_UNBOUND_NO_PIN): GC removed the ingest rows; next ends at once: rows
 *     the view holds are lost (I1, through I6).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>

#include "race.h"

/* Start a maintenance call on node 1 held at site, and let it finish. */
static int
__held_call(lr_sc *sc, int (*fn)(lr_sc *, void *), const char *site, const char *what)
{
    lr_sc_thread *t;
    int rc;

    lr_sc_hold(sc, site, 1);
    t = lr_sc_spawn(sc, fn, (void *)(intptr_t)1);
    if (lr_sc_wait_held(sc, site, 5000))
        lr_sc_log(sc, "node 1's %s is held at %s while the cursor stands on its row", what, site);
    else
        lr_sc_log(sc, "node 1's %s did not stop at %s", what, site); /* e.g. nothing to collect */
    lr_sc_release(sc, site);
    rc = lr_sc_join(t, 5000);
    (void)lr_sc_join(t, 8000); /* after a timeout too: the thread uses the cluster */
    return (rc);
}

/* "k=I" for each key of keys (space-separated). */
static const char *
__ops(char *buf, size_t len, const char *keys)
{
    size_t used = 0, i;

    for (i = 0; keys[i] != '\0' && used + 3 < len; i++) {
        if (keys[i] == ' ')
            buf[used++] = '=', buf[used++] = 'I';
        buf[used++] = keys[i];
    }
    if (used != 0 && used + 3 < len)
        buf[used++] = '=', buf[used++] = 'I';
    buf[used] = '\0';
    return (buf);
}

int
lr_race_cursor_before_stable_exists(lr_sc *sc)
{
    lt_cluster *cl = lr_sc_cluster(sc);
    lt_session *s0 = NULL, *s1 = NULL;
    lt_cursor *c = NULL;
    rr_script x;
    char rest[512], all[600], ops[1024];
    int rows = rr_rows(sc);

    rr_begin(&x, sc);
    RR(&x, rr_setup(sc, "t", rows));
    RR(&x, lt_session_open(cl, 0, &s0));
    RR(&x, lt_session_open(cl, 1, &s1));
    RR(&x, lt_create(s1, "n")); /* a follower's create: no stable constituent */
    RR(&x, rr_ingest(sc, s1, "n", 30, rows));
    RR(&x, lt_cursor_open(s1, "n", NULL, &c));
    RR(&x, lt_cursor_next(c));
    RR(&x, lt_create(s0, "n"));
    rr_keys(rest, sizeof(rest), 'i', 0, rows, -1);
    RR(&x, rr_write(s0, "n", 30, __ops(ops, sizeof(ops), rest)));
    RR(&x, rr_write(s0, "n", 35, "h0=H k0=K"));
    RR(&x, lt_checkpoint(cl, 0, 40, NULL));
    RR(&x, lt_pickup(cl, 2, 0));
    if (x.rc != 0)
        goto done;
    lr_sc_log(sc,
      "a cursor on node 1 stands on i0 of n, which has no stable constituent there; "
      "checkpoint 2 holds n");

    RR(&x, __held_call(sc, rr_pickup_fn, "pickup.after_bind", "pickup"));
    RR(&x, __held_call(sc, rr_gc_fn, "gc.entry", "GC"));
    rr_keys(rest, sizeof(rest), 'i', 1, rows, -1);
    RR(&x,
      rr_walk(sc, c, 1, "i0", rest, true,
        "the cursor opened before n had a stable constituent, after pickup and GC"));
    RR(&x, lt_cursor_reset(c));
    rr_keys(rest, sizeof(rest), 'i', 0, rows, -1);
    (void)snprintf(all, sizeof(all), "h0 %s k0", rest);
    RR(&x, rr_walk(sc, c, 1, NULL, all, true, "a new scan of n on node 1"));
    lr_sc_check_events(sc);

done:
    (void)lt_cursor_close(c);
    (void)lt_session_close(s0);
    (void)lt_session_close(s1);
    return (rr_end(&x));
}
