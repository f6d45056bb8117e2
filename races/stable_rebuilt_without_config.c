/*
 * stable_rebuilt_without_config -- race class 17 (docs/CONTRACT.md#class-17). Verdict config.
 *
 * A table created while its node follows has no stable constituent; the node's step-up makes
 * one. Every node must agree on the table's configuration (app_metadata), and a pickup of a
 * checkpoint whose table has another one is refused. The library's step-up gives the new stable
 * constituent the entry's create-time configuration. Upstream's defect (WT-18369, WT-18503), put
 * back by the test-only fault LT_FAULT_STABLE_NO_CONFIG: the step-up rebuilds it with defaults,
 * and the peers then refuse the new leader's checkpoint (upstream: they panicked).
 *
 * No second thread: the hazard is the step-up's own path. Followers 1 and 2 create table c with
 * app_metadata=v2 (ingest only), node 1 writes rows into it, node 0 steps down, node 1 steps up
 * and publishes a checkpoint, node 2 picks it up.
 *   must-pass (no fault): the pickup succeeds and node 2 reads every row of c.
 *   must-detect (LT_FAULT_STABLE_NO_CONFIG): the pickup is refused (EINVAL): config, from the
 *     script and from the checker (the refused PICKUP event).
 */
#include <errno.h>
#include <stdint.h>

#include "race.h"

int
lr_race_stable_rebuilt_without_config(lr_sc *sc)
{
    lt_cluster *cl = lr_sc_cluster(sc);
    lt_session *s1 = NULL, *s2 = NULL;
    rr_script x;
    char key[16];
    uint64_t id = 0;
    int rows = rr_rows(sc), pickup_rc, rc;

    rr_begin(&x, sc);
    RR(&x, rr_setup(sc, "t", rows));
    RR(&x, lt_session_open(cl, 1, &s1));
    RR(&x, lt_session_open(cl, 2, &s2));
    RR(&x, lt_create_cfg(s1, "c", "app_metadata=v2"));
    RR(&x, lt_create_cfg(s2, "c", "app_metadata=v2"));
    RR(&x, rr_ingest(sc, s1, "c", 30, rows));
    RR(&x, lt_step_down(cl, 0));
    if (x.rc != 0)
        goto done;
    lr_sc_log(sc, "followers 1 and 2 created c with app_metadata=v2 (no stable constituent yet)");

    RR(&x, lt_step_up(cl, 1));
    RR(&x, lt_checkpoint(cl, 1, 0, &id));
    if (x.rc != 0)
        goto done;
    lr_sc_log(sc, "node 1 stepped up (made c's stable constituent) and published checkpoint %d",
      (int)id);
    pickup_rc = lt_pickup(cl, 2, id);
    lr_sc_log(sc, "node 2's pickup returned %s", rr_said(pickup_rc));
    if (pickup_rc == EINVAL)
        lr_sc_violation(sc, "config",
          "node 2 refused node 1's checkpoint %d: the step-up rebuilt c's stable constituent "
          "without its create-time configuration (%s)",
          (int)id, rr_said(pickup_rc));
    else if (RR(&x, pickup_rc) == 0 && (rc = rr_missing(s2, "c", 'i', rows, key, sizeof(key))) != 0)
        lr_sc_violation(sc, "I1",
          "row %s of c, committed on node 1 before its step-up, is not on node 2 after the "
          "pickup: %s",
          key, rr_rc(rc));
    lr_sc_check_events(sc);

done:
    (void)lt_session_close(s1);
    (void)lt_session_close(s2);
    return (rr_end(&x));
}
