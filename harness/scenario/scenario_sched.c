/*
 * scenario_sched.c -- one scenario run as the runner asks for it, and the determinism check (two
 * controlled runs, the second's steps compared with the first's): the top of the runtime, it
 * calls one run (scenario.c).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/fs.h"
#include "common/rng.h"
#include "scenario/scenario_rt.h"

/* The determinism check: two runs, the second's steps compared with the first's. */
static bool
__sc_run_twice(const lr_sc_params *p, lr_sc_report *rep)
{
    lr_sched_config c1 = *p->sched, c2 = *p->sched;
    lr_sched_trace *t;
    lr_sc_report first;
    char db[4096];

    if ((t = lr_sched_trace_new()) == NULL) {
        memset(rep, 0, sizeof(*rep));
        rep->status = LR_SC_ERROR;
        (void)snprintf(rep->error, sizeof(rep->error), "out of memory");
        return (true);
    }
    c1.keep = t;
    c1.estimate_write = false; /* the second run must read the same estimate */
    if (!lr_sc_run_cfg(p, &c1, &first)) {
        *rep = first;
        return (false);
    }
    if (!p->quiet)
        printf("    determinism check: first run: %s\n", first.sched);
    (void)snprintf(db, sizeof(db), "%s/db", p->dir);
    if (lr_rm_rf(db) != 0) {
        *rep = first;
        rep->status = LR_SC_ERROR;
        (void)snprintf(rep->error, sizeof(rep->error),
          "cannot remove the first run's database %.300s: %s", db, strerror(errno));
        lr_sched_trace_free(t);
        return (true);
    }
    c2.ref = t;
    if (!lr_sc_run_cfg(p, &c2, rep))
        return (false); /* the trace stays: a thread may still read the run's state */
    if (rep->status != first.status || rep->nviolations != first.nviolations) {
        if (rep->status != LR_SC_ERROR) {
            rep->status = LR_SC_ERROR;
            (void)snprintf(rep->error, sizeof(rep->error),
              "determinism check: the same steps, but the first run ended %s with %d "
              "violations and the second %s with %d",
              first.status == LR_SC_CLEAN ? "clean" : "not clean", first.nviolations,
              rep->status == LR_SC_CLEAN ? "clean" : "not clean", rep->nviolations);
        }
    } else
        (void)snprintf(rep->check, sizeof(rep->check),
          "determinism check: passed: both runs took the same %" PRIu64 " steps (trace %016" PRIx64
          ")",
          lr_sched_trace_steps(t), lr_sched_trace_hash(t));
    lr_sched_trace_free(t);
    return (true);
}

bool
lr_sc_run_one(const lr_sc_params *p, lr_sc_report *rep)
{
    if (p->sched != NULL && p->sched->kind != LR_SCHED_FREE && p->check_determinism)
        return (__sc_run_twice(p, rep));
    return (lr_sc_run_cfg(p, p->sched, rep));
}
