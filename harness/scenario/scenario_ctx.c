/*
 * scenario_ctx.c -- what the script and every scenario thread see of a run: its context
 * (cluster, policy, seed, hazard), the calling scenario thread, the step log, runtime errors and
 * violations. Calls nothing else of the runtime: holds and threads (scenario_sync.c) and the run
 * itself (scenario.c) call down into it.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/clock.h"
#include "scenario/scenario_rt.h"
#include "stress/checker.h"

/* The scenario thread running on this thread; NULL on the script's own thread (and others). */
static _Thread_local lr_sc_thread *lr_sc_cur;

lr_sc_thread *
lr_sc_self(void)
{
    return (lr_sc_cur);
}

void
lr_sc_set_self(lr_sc_thread *t)
{
    lr_sc_cur = t;
}

bool
lr_sc_hazard(lr_sc *sc)
{
    return (sc->hazard);
}

lt_cluster *
lr_sc_cluster(lr_sc *sc)
{
    return (sc->cl);
}

uint64_t
lr_sc_seed(lr_sc *sc)
{
    return (sc->seed);
}

lt_policy
lr_sc_policy(lr_sc *sc)
{
    return (sc->policy);
}

/*
 * lr_sc_expect_abort --
 *     The policy promises that the next step aborts the process: leave DIR/expect-abort saying
 *     why, so that the runner takes the child's SIGABRT for the promised outcome.
 */
void
lr_sc_expect_abort(lr_sc *sc, const char *why)
{
    char path[4096];
    FILE *fp;

    (void)snprintf(path, sizeof(path), "%s/" LR_SC_ABORT_FILE, sc->params->dir);
    if ((fp = fopen(path, "w")) == NULL) {
        lr_sc_error(sc, "cannot write %s", path);
        return;
    }
    fprintf(fp, "%s\n", why);
    (void)fclose(fp);
    lr_sc_log(sc, "expecting an abort: %s", why);
    (void)fflush(stdout);
}

/* The step log: "  +0.123 [t1] text", the thread being the script (t0) or a spawned one. */
static void
__sc_vlog_locked(lr_sc *sc, const char *prefix, const char *fmt, va_list ap)
{
    lr_sc_thread *self = lr_sc_self();

    if (sc->quiet)
        return;
    printf("    %+8.3f [t%d] %s", (double)(lr_now_ns() - sc->start_ns) / 1e9,
      self == NULL ? 0 : self->id, prefix);
    vprintf(fmt, ap);
    printf("\n");
    (void)fflush(stdout);
}

void
lr_sc_log(lr_sc *sc, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    (void)pthread_mutex_lock(&sc->mu);
    __sc_vlog_locked(sc, "", fmt, ap);
    (void)pthread_mutex_unlock(&sc->mu);
    va_end(ap);
}

void
lr_sc_error(lr_sc *sc, const char *fmt, ...)
{
    va_list ap;

    (void)pthread_mutex_lock(&sc->mu);
    va_start(ap, fmt);
    if (sc->error[0] == '\0')
        (void)vsnprintf(sc->error, sizeof(sc->error), fmt, ap);
    va_end(ap);
    va_start(ap, fmt);
    __sc_vlog_locked(sc, "ERROR ", fmt, ap);
    va_end(ap);
    (void)pthread_mutex_unlock(&sc->mu);
}

void
lr_sc_violation(lr_sc *sc, const char *invariant, const char *fmt, ...)
{
    char what[384];
    va_list ap;

    va_start(ap, fmt);
    (void)vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    (void)pthread_mutex_lock(&sc->mu);
    lr_result_violation(&sc->res, invariant, NULL, NULL, -1, NULL, "%s", what);
    if (!sc->quiet) {
        printf("    %+8.3f [t%d] VIOLATION %s: %s\n", (double)(lr_now_ns() - sc->start_ns) / 1e9,
          lr_sc_self() == NULL ? 0 : lr_sc_self()->id, invariant, what);
        (void)fflush(stdout);
    }
    (void)pthread_mutex_unlock(&sc->mu);
}

int
lr_sc_violations(lr_sc *sc)
{
    int n;

    (void)pthread_mutex_lock(&sc->mu);
    n = sc->res.nviolations;
    (void)pthread_mutex_unlock(&sc->mu);
    return (n);
}

/* The report of the run so far: what the runner gets (and on_fail sends). */
void
lr_sc_report_fill(lr_sc *sc, lr_sc_report *rep)
{
    memset(rep, 0, sizeof(*rep));
    rep->nviolations = sc->res.nviolations;
    if (sc->res.nviolations > 0) {
        rep->status = LR_SC_DETECTED;
        (void)snprintf(rep->invariant, sizeof(rep->invariant), "%s", sc->res.v[0].invariant);
        (void)snprintf(rep->what, sizeof(rep->what), "%s", sc->res.v[0].what);
    } else if (sc->error[0] != '\0')
        rep->status = LR_SC_ERROR;
    else
        rep->status = LR_SC_CLEAN;
    (void)snprintf(rep->error, sizeof(rep->error), "%s", sc->error);
    rep->elapsed_ns = lr_now_ns() - sc->start_ns;
    (void)snprintf(rep->sched, sizeof(rep->sched), "%s", sc->sched_summary);
}
