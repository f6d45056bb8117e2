/*
 * checkpoint_vs_role_flip -- race class 7 (docs/CONTRACT.md#class-7). Invariant I4.
 *
 * A checkpoint publishes the leader's stable tables for the followers: a stable write. The
 * library's checkpoint holds node.transition_lock from its role check to its publication, so a
 * step-down waits for it, and a checkpoint that comes second is refused. Upstream's defect, put
 * back by the test-only fault LT_FAULT_CKPT_UNLOCKED: the checkpoint checks the role and lets the
 * lock go; the node steps down while the checkpoint runs, and a follower publishes it.
 *
 * Forced interleaving: leader node 0 wrote c at 30; its checkpoint (thread 1) is held at
 * "checkpoint.before_publish" (the WiredTiger checkpoint taken, the record not yet listed); node
 * 0 steps down (thread 2), held at "stepdown.after_flip" if it gets there; the script releases
 * the checkpoint, then the step-down; node 1 steps up and checkpoints.
 *   must-pass (no fault): the step-down waits for the checkpoint (the wait for its flip gives up
 *     once it is blocked on the lock); the record is published by the leader.
 *   must-detect (LT_FAULT_CKPT_UNLOCKED): the step-down flips while the checkpoint is held; the
 *     record is published by a follower: I4 from the event checker.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>

#include "race.h"

int
lr_race_checkpoint_vs_role_flip(lr_sc *sc)
{
    lt_cluster *cl = lr_sc_cluster(sc);
    lt_session *s0 = NULL, *s1 = NULL;
    lr_sc_thread *ck = NULL, *down = NULL;
    rr_script x;
    char key[16], val[16];
    int rows = rr_rows(sc), rc;
    uint64_t id = 0;
    bool flipped;

    rr_begin(&x, sc);
    RR(&x, rr_setup(sc, "t", rows));
    RR(&x, lt_session_open(cl, 0, &s0));
    RR(&x, lt_session_open(cl, 1, &s1));
    RR(&x, rr_write(s0, "t", 30, "c=1"));
    if (x.rc != 0)
        goto done;

    lr_sc_hold(sc, "checkpoint.before_publish", 0);
    ck = lr_sc_spawn(sc, rr_checkpoint_fn, (void *)(intptr_t)0);
    if (RR_TRUE(&x, lr_sc_wait_held(sc, "checkpoint.before_publish", 5000),
          "no checkpoint reached checkpoint.before_publish"))
        goto done;
    lr_sc_log(sc, "node 0's checkpoint is taken, not yet published; node 0 steps down");
    lr_sc_hold(sc, "stepdown.after_flip", 0);
    down = lr_sc_spawn(sc, rr_step_down_fn, (void *)(intptr_t)0);
    flipped = lr_sc_wait_held(sc, "stepdown.after_flip", 5000);
    lr_sc_log(sc, "%s",
      flipped ? "node 0 flipped to follower while its checkpoint is held" :
                "the step-down cannot flip while the checkpoint runs");
    lr_sc_release(sc, "checkpoint.before_publish");
    lr_sc_release(sc, "stepdown.after_flip");
    if ((rc = lr_sc_join(ck, 5000)) != 0)
        lr_sc_log(sc, "the checkpoint returned %s", rr_rc(rc)); /* a refusal is no violation */
    if (RR(&x, lr_sc_join(down, 5000)) != 0)
        goto done;

    /* The cluster goes on: node 1 leads, publishes, and serves every row. */
    RR(&x, lt_step_up(cl, 1));
    RR(&x, lt_checkpoint(cl, 1, 0, &id));
    if (x.rc != 0)
        goto done;
    (void)snprintf(key, sizeof(key), "c");
    if ((rc = rr_get(s1, "t", "c", val, sizeof(val))) == 0)
        rc = rr_missing(s1, "t", 's', rows, key, sizeof(key));
    if (rc != 0)
        lr_sc_violation(sc, "I1",
          "row %s of t, committed by the leader, is not on node 1 after it stepped up: %s", key,
          rr_rc(rc));
    lr_sc_check_events(sc);

done:
    lr_sc_release(sc, "checkpoint.before_publish");
    lr_sc_release(sc, "stepdown.after_flip");
    (void)lr_sc_join(ck, 8000);
    (void)lr_sc_join(down, 8000);
    (void)lt_session_close(s0);
    (void)lt_session_close(s1);
    return (rr_end(&x));
}
