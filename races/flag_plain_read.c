/*
 * flag_plain_read -- race class 16 (docs/CONTRACT.md#class-16). A data race (TSan).
 *
 * Each node's background thread (layered/bg.c) polls its node's role flag, which every flip
 * writes, with an acquire load. Upstream's defect (2026), put back by the test-only fault
 * LT_FAULT_FLAG_PLAIN_READ: a plain load of the flag, a data race with the flip's store that
 * ThreadSanitizer reports (the compiler may also hoist the load out of the loop).
 *
 * No hold: the threads poll every millisecond while the script moves the leadership from node 0
 * to node 1 and back; nothing orders a poll of a follower's thread with the flip that writes its
 * flag. The run checks that only leaders published (the event checker's I4).
 *   must-pass (no fault): no report, no violation.
 *   must-detect (LT_FAULT_FLAG_PLAIN_READ): under a ThreadSanitizer build a data-race report
 *     (exit 66: crashed). Other builds cannot see it: the runner skips the run there.
 */
#include <errno.h>
#include <stdint.h>
#include <time.h>

#include "race.h"

int
lr_race_flag_plain_read(lr_sc *sc)
{
    struct timespec nap = {0, 20 * 1000 * 1000};
    lt_cluster *cl = lr_sc_cluster(sc);
    rr_script x;
    int i;

    rr_begin(&x, sc);
    RR(&x, rr_setup(sc, "t", rr_rows(sc)));
    RR(&x, lt_cluster_set_background(cl, 1));
    for (i = 0; i < 2 && x.rc == 0; i++) {
        (void)nanosleep(&nap, NULL);
        RR(&x, lt_step_down(cl, i));
        (void)nanosleep(&nap, NULL);
        RR(&x, lt_step_up(cl, 1 - i));
    }
    lr_sc_log(sc, "leadership moved 0 -> 1 -> 0 while the background threads polled");
    (void)nanosleep(&nap, NULL);
    RR(&x, lt_cluster_set_background(cl, 0));
    lr_sc_check_events(sc);
    (void)lt_cluster_set_background(cl, 0);
    return (rr_end(&x));
}
