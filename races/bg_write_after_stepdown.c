/*
 * bg_write_after_stepdown -- race class 15 (docs/CONTRACT.md#class-15). Invariant I4.
 *
 * Each node's background thread (layered/bg.c) publishes checkpoints while its node leads. It
 * reads its node's role flag without a lock and checks the role again under
 * node.transition_lock, so a step-down between the two stops it: a follower never writes the
 * shared stable state. Upstream's defect (2026), put back by the test-only fault
 * LT_FAULT_BG_NO_RECHECK: the thread trusts its first read and keeps writing after its node
 * stepped down.
 *
 * Forced interleaving: node 0 wrote a row at 30 (newer than checkpoint 1); node 0's step-down is
 * held at "stepdown.begin" (transition lock held, not flipped); the background threads start
 * (every 2 ms): node 0's reads "leader" and waits for the transition lock. The step-down is
 * released and completes; then the threads stop.
 *   must-pass (no fault): the round finds node 0 a follower and publishes nothing.
 *   must-detect (LT_FAULT_BG_NO_RECHECK): node 0 publishes a checkpoint as a follower: I4 from
 *     the script and from the event checker.
 */
#include <errno.h>
#include <stdint.h>
#include <time.h>

#include "race.h"

int
lr_race_bg_write_after_stepdown(lr_sc *sc)
{
    struct timespec nap = {0, 100 * 1000 * 1000};
    lt_cluster *cl = lr_sc_cluster(sc);
    lt_session *s0 = NULL;
    lr_sc_thread *down = NULL;
    rr_script x;
    uint64_t before = 0, after = 0;

    rr_begin(&x, sc);
    RR(&x, rr_setup(sc, "t", rr_rows(sc)));
    RR(&x, lt_session_open(cl, 0, &s0));
    RR(&x, rr_write(s0, "t", 30, "w=W"));
    RR(&x, lt_checkpoint_newest(cl, &before, NULL));
    if (x.rc != 0)
        goto done;

    lr_sc_hold(sc, "stepdown.begin", 0);
    down = lr_sc_spawn(sc, rr_step_down_fn, (void *)(intptr_t)0);
    if (RR_TRUE(&x, lr_sc_wait_held(sc, "stepdown.begin", 5000),
          "no step-down reached "
          "stepdown.begin"))
        goto done;
    RR(&x, lt_cluster_set_background(cl, 2));
    /* Node 0's thread reads "leader" and queues on the transition lock the step-down holds. */
    (void)nanosleep(&nap, NULL);
    lr_sc_log(sc, "node 0's background thread is waiting behind its step-down; released");
    lr_sc_release(sc, "stepdown.begin");
    if (RR(&x, lr_sc_join(down, 5000)) != 0)
        goto done;
    down = NULL;
    (void)nanosleep(&nap, NULL);
    RR(&x, lt_cluster_set_background(cl, 0));
    RR(&x, lt_checkpoint_newest(cl, &after, NULL));
    if (x.rc == 0 && after != before)
        lr_sc_violation(sc, "I4",
          "checkpoint %d was published after node 0, the only leader, stepped down: its "
          "background thread kept writing",
          (int)after);
    lr_sc_check_events(sc);

done:
    lr_sc_release(sc, "stepdown.begin");
    if (down != NULL)
        (void)lr_sc_join(down, 8000);
    (void)lt_cluster_set_background(cl, 0);
    (void)lt_session_close(s0);
    return (rr_end(&x));
}
