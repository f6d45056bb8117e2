/*
 * scenario_ctrl.c -- a scenario's script under the controlled scheduler (docs/SCHEDULER.md).
 *
 * The runner's thread opens the cluster and steps node 0 up, uncontrolled; then the script runs
 * on a controlled thread, and every thread it spawns is controlled too (scenario_sync.c). The
 * script's thread also settles (releases the holds, joins the threads) before it ends, so that
 * every controlled thread has ended when the scheduler's run is over; the event check and the
 * close are the runner's, uncontrolled again.
 *
 * When the scheduler stops the process (a deadlock, a divergence from the replayed schedule or
 * from the first run of the determinism check), the report goes to the runner from on_fail: the
 * run is an error, not a crash.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/rng.h"
#include "scenario/scenario_rt.h"

static void *
__sc_script_main(void *arg)
{
    lr_sc *sc = arg;
    int rc;

    lr_history_thread(0);
    lr_rng_thread(sc->seed, 0);
    if ((rc = sc->scn->fn(sc)) != 0 && sc->error[0] == '\0')
        lr_sc_error(sc, "the scenario ended with %s", lt_strerror(rc));
    sc->settled = lr_sc_settle(sc, 10000);
    return (NULL);
}

/* The scheduler stops the process: the report, as an error, to the runner (sched lock held). */
static void
__sc_on_fail(void *arg, int code)
{
    lr_sc *sc = arg;
    lr_sc_report rep;
    ssize_t n;

    if (sc->params->report_fd < 0)
        return;
    lr_sc_report_fill(sc, &rep);
    rep.status = LR_SC_ERROR;
    rep.sched_exit = code;
    (void)snprintf(rep.error, sizeof(rep.error), "%s (printed above)",
      code == 1                       ? "the controlled scheduler found a deadlock" :
        sc->params->check_determinism ? "the determinism check found a difference" :
                                        "the controlled run diverged from its schedule");
    n = write(sc->params->report_fd, &rep, sizeof(rep));
    (void)n;
}

bool
lr_sc_run_controlled(lr_sc *sc, const lr_sched_config *cfg)
{
    lr_sched_config c = *cfg;
    pthread_t th;
    char err[256];
    int rc;

    c.seed = sc->seed;
    c.on_fail = __sc_on_fail;
    c.on_fail_arg = sc;
    if (lr_sched_new(&c, &sc->sched, err, sizeof(err)) != 0) {
        lr_sc_error(sc, "controlled scheduler: %s", err);
        return (true);
    }
    sc->settled = false;
    if ((rc = lr_sched_spawn(sc->sched, &th, "script", __sc_script_main, sc)) != 0)
        lr_sc_error(sc, "cannot start the script's thread: %s", strerror(rc));
    else {
        lr_sched_go(sc->sched);
        (void)pthread_join(th, NULL);
    }
    rc = lr_sched_end(sc->sched, sc->sched_summary, sizeof(sc->sched_summary));
    sc->sched = NULL;
    if (rc != 0)
        lr_sc_error(sc, "the controlled run diverged (printed above)");
    return (rc == 0 ? sc->settled : true);
}
