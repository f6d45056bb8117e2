/*
 * run.c -- what every thread of a stress run shares: the stop condition, the operation count,
 * the commit timestamps, and the violations found while the run goes on.
 */
#include <errno.h>
#include <stdarg.h>
#include <unistd.h>
#include <stdio.h>
#include <string.h>

#include "common/exit.h"
#include "stress/engine_int.h"
#include "trace/trace.h"

bool
lr_should_stop(lr_run *run)
{
    if (atomic_load(&run->stop))
        return (true);
    /* A full disk or the like: nothing after it says anything about the contract. */
    if (lt_env_failure(NULL, 0) != 0) {
        atomic_store(&run->halted, 1);
        atomic_store(&run->stop, 1);
        return (true);
    }
    if (run->cfg.ops != 0 && atomic_load(&run->ops) >= run->cfg.ops)
        return (true);
    /* Every thread used its rounds (cfg.thread_ops): the run is over. */
    if (run->cfg.nthread_ops != 0 &&
      atomic_load(&run->capped) >= 1 + run->cfg.threads + run->cfg.data_threads)
        return (true);
    if (lr_sched_self != NULL) {
        /* Controlled: --duration is virtual time, so that a thread that spins without counting
         * operations (a strategy that never lets the others run) ends the run deterministically. */
        if (run->cfg.duration_ms == 0 ||
          lr_sched_now_ns() - LR_SCHED_VTIME0 < run->cfg.duration_ms * 1000000u)
            return (false);
        atomic_store(&run->stop, 1);
        return (true);
    }
    return (run->deadline_ns != 0 && lr_now_ns() >= run->deadline_ns);
}

bool
lr_thread_round(lr_run *run, int id, uint32_t *rounds)
{
    if (id < run->cfg.nthread_ops && *rounds >= run->cfg.thread_ops[id]) {
        atomic_fetch_add(&run->capped, 1);
        return (false);
    }
    ++*rounds;
    return (true);
}

bool
lr_stress_done(lr_run *run)
{
    return (lr_should_stop(run));
}

void
lr_stress_stop(lr_run *run)
{
    atomic_store(&run->stop, 1);
}

void
lr_count_op(lr_run *run)
{
    atomic_fetch_add(&run->ops, 1);
}

uint64_t
lr_next_ts(lr_run *run)
{
    return (atomic_fetch_add(&run->ts, 1) + 1);
}

bool
lr_injected(lr_run *run, uint64_t before)
{
    if (lt_wtfault_thread_count() == before)
        return (false);
    if (lt_wtfault_last() == WT_PANIC)
        lr_panic_check(run);
    atomic_fetch_add(&run->wtf_handled, 1);
    return (true);
}

int
lr_call_retrying(lr_run *run, int (*fn)(void *), void *arg)
{
    uint64_t before;
    int rc, tries;

    for (tries = 0;; tries++) {
        before = lt_wtfault_thread_count();
        if ((rc = fn(arg)) == 0 || !lr_injected(run, before) || tries == 100)
            return (rc);
    }
}

void
lr_panic_check(lr_run *run)
{
    lt_wtfault_stats ws;
    int nv;

    if (run->cfg.wt_faults == NULL || run->cfg.durlog == NULL || run->cfg.crash_fd < 0 ||
      lt_wtfault_get_stats(run->cl, &ws) != 0 || !ws.panicked)
        return;
    (void)pthread_mutex_lock(&run->vlock);
    nv = run->online.nviolations;
    (void)pthread_mutex_unlock(&run->vlock);
    if (nv != 0)
        return;                       /* the life goes on to report what it found first */
    lr_stress_note_counts(run, NULL); /* with the panic, for the parent */
    lr_crash_note(run, "p\n");
    _exit(LR_EXIT_PANICKED);
}

static void
__online_report(lr_run *run, uint64_t seq, uint64_t before, const char *invariant, int node,
  const char *table, const char *what)
{
    /* --stop-on: only a matching violation ends the run */
    bool stops = lr_vmatch_line(&run->stop_re, invariant, what);
    int i, n;

    lr_panic_check(run); /* after an injected panic, what fails is its consequence */
    (void)pthread_mutex_lock(&run->vlock);
    /* The violation that --stop-on stops at is always in the report: past the cap, it takes
     * the last slot (the count stays true). */
    n = run->online.nviolations;
    if (run->stop_re.set && stops && n >= LR_VIOL_MAX)
        run->online.nviolations = LR_VIOL_MAX - 1;
    lr_result_violation(&run->online, invariant, NULL, NULL, node, table, "%s", what);
    if (run->online.nviolations <= LR_VIOL_MAX) {
        i = run->online.nviolations - 1;
        run->online.v[i].thread[0] = lr_history_thread_id();
        run->online.v[i].seq[0] = seq;
        run->online.v[i].before_seq = before;
    }
    if (n >= LR_VIOL_MAX)
        run->online.nviolations = n + 1;
    if (run->first_violation_ns == 0)
        run->first_violation_ns = lr_now_ns();
    (void)pthread_mutex_unlock(&run->vlock);
    lr_crash_note(run, "v\n"); /* the parent kills this life no more: it reports */
    if (lr_tracer != NULL) {
        char text[512];

        snprintf(text, sizeof(text), "%s: %s", invariant, what);
        lr_trace_violation(-1, text);
    }
    if (!run->cfg.keep_going && stops) {
        atomic_store(&run->halted, 1);
        atomic_store(&run->stop, 1);
    }
}

void
lr_online_violation(lr_run *run, const char *invariant, int node, const char *table,
  const char *fmt, ...)
{
    char what[384];
    va_list ap;

    va_start(ap, fmt);
    (void)vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    __online_report(run, 0, 0, invariant, node, table, what);
}

/* The same, for a violation seen in the library event numbered seq. */
void
lr_online_violation_at(lr_run *run, uint64_t seq, const char *invariant, int node,
  const char *table, const char *fmt, ...)
{
    char what[384];
    va_list ap;

    va_start(ap, fmt);
    (void)vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    __online_report(run, seq, 0, invariant, node, table, what);
}

/* The same, found by a quiescent check: events numbered before and later did not lead to it. */
void
lr_online_violation_before(lr_run *run, uint64_t before, const char *invariant, int node,
  const char *table, const char *what)
{
    __online_report(run, 0, before, invariant, node, table, what);
}

void
lr_online_count_rest(lr_run *run, const lr_result *r)
{
    int i, j, kept;

    (void)pthread_mutex_lock(&run->vlock);
    for (i = 0; i < LR_VIOL_KINDS && r->tally[i].invariant[0] != '\0'; i++) {
        for (kept = 0, j = 0; j < LR_VIOL_MAX && j < r->nviolations; j++)
            kept += strcmp(r->v[j].invariant, r->tally[i].invariant) == 0;
        for (; kept < r->tally[i].n; kept++) {
            lr_result_tally(&run->online, r->tally[i].invariant);
            run->online.nviolations++;
        }
    }
    (void)pthread_mutex_unlock(&run->vlock);
}

bool
lr_run_failed(lr_run *run)
{
    return (atomic_load(&run->halted) || lt_env_failure(NULL, 0) != 0);
}

uint64_t
lr_safe_ts(lr_run *run)
{
    uint64_t ts, v;
    int i;

    /* The counter first: a write whose slot is set after the scan below has a larger stamp. */
    ts = atomic_load(&run->ts);
    for (i = 0; i < run->nworkers; i++)
        if ((v = atomic_load(&run->workers[i]->inflight_ts)) != 0 && v - 1 < ts)
            ts = v - 1;
    return (ts);
}

/* A checkpoint on node at ts: lt_checkpoint, or the library's background round if bg. */
static int
__publish(lr_run *run, int node, uint64_t ts, uint64_t *idp, bool bg)
{
    return (bg ? lt_node_background_round(run->cl, node, ts, idp) :
                 lt_checkpoint(run->cl, node, ts, idp));
}

int
lr_checkpoint_fenced(lr_run *run, int node, uint64_t *idp, bool bg)
{
    uint64_t ts;
    int rc;

    if (run->oplog == NULL)
        return (__publish(run, node, lr_safe_ts(run), idp, bg));
    /* A create or drop is in the catalogue a checkpoint copies whatever its stamp: with none in
     * flight, a checkpoint below a completed one's stamp would hold it while a restarted node's
     * replay (above the checkpoint's timestamp) did it again, its drop then disowning the
     * incarnation a later create made. Such a checkpoint waits for the next turn. */
    lr_sched_wrlock(&run->ckpt_fence, "ckpt_fence");
    ts = lr_safe_ts(run);
    rc = atomic_load(&run->schema_done) > ts ? EAGAIN : __publish(run, node, ts, idp, bg);
    lr_sched_rwunlock(&run->ckpt_fence);
    return (rc);
}
