/*
 * run_trace.c -- the trace of one stress run (shrink.h): the recorder opened before the run and
 * written after it, beside the repro file when a controlled run failed.
 */
#include <stdio.h>
#include <string.h>

#include "cli/shrink.h"
#include "common/exit.h"
#include "trace/trace.h"

int
lr_run_trace_open(const lr_options *o)
{
    bool controlled = o->cfg.sched.kind != LR_SCHED_FREE;

    lr_trace_status_reset();
    lr_trace_names(o->cfg.threads, o->cfg.data_threads);
    if (!controlled && o->trace[0] == '\0')
        return (0);
    if (lr_trace_open(o->trace_events, controlled ? lr_sched_last_step : NULL, o->cfg.policy) !=
      0) {
        fprintf(stderr, "%s: out of memory for the trace\n", LR_PROG);
        return (LR_EXIT_ENV);
    }
    return (0);
}

int
lr_run_trace_close(const lr_options *o, const lr_result *res, bool failed)
{
    uint64_t kept, dropped;
    char text[sizeof(res->v[0].invariant) + sizeof(res->v[0].what) + 4];
    int i, ret = 0, err;

    if (lr_tracer == NULL)
        return (0);
    for (i = 0; res != NULL && i < res->nviolations && i < LR_VIOL_MAX; i++)
        if (!lr_trace_seen(res->v[i].what)) { /* found by the checker after the run */
            snprintf(text, sizeof(text), "%s: %s", res->v[i].invariant, res->v[i].what);
            lr_trace_violation(res->v[i].thread[0] >= 0 ? res->v[i].thread[0] : LR_TRACE_DRIVER,
              text);
        }
    if (o->trace[0] != '\0' || (failed && o->cfg.sched.kind != LR_SCHED_FREE)) {
        lr_trace_counts(&kept, &dropped);
        if ((err = lr_trace_write(o->trace_out)) != 0) {
            fprintf(stderr, "%s: cannot write the trace %s: %s\n", LR_PROG, o->trace_out,
              strerror(err));
            ret = LR_EXIT_ENV;
        } else
            printf("trace: %s (%llu events%s%llu dropped, the oldest)\n", o->trace_out,
              (unsigned long long)kept, dropped != 0 ? ", " : "; ", (unsigned long long)dropped);
    }
    lr_trace_close();
    return (ret);
}
