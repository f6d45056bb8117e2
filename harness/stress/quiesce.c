/*
 * quiesce.c -- quiescent checks while a stress run goes on (I1, I7: docs/CONTRACT.md#i1).
 *
 * The final check (I1, I7) only sees what is left at the end: a row lost or resurrected early in
 * a 60-second run shows with thousands of operations between its cause and its report. So every
 * --check-every seconds the driver parks the threads, each between two of its operations (no
 * logical operation half applied, no lock held, no transition in progress), settles the cluster
 * as the end of the run does (a leader; a checkpoint every follower picks up), compares every
 * table on every node with the oracle, and lets the threads go on. A difference is reported
 * like any violation, with the check's time, and stops the run unless --keep-going. The end of
 * the run settles the same way (lr_settle) before its final check.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stress/checker.h"
#include "stress/engine_int.h"

/* How long a check waits for the threads to park: longer than any retry loop's limit. */
#define LR_PARK_LIMIT_NS(run) (lr_liveness_ns(run) + 15ull * 1000000000u)

void
lr_quiesce_point(lr_run *run)
{
    if (!atomic_load(&run->qpause))
        return;
    (void)pthread_mutex_lock(&run->qlock);
    run->qparked++;
    (void)pthread_cond_broadcast(&run->qcond);
    while (atomic_load(&run->qpause))
        (void)pthread_cond_wait(&run->qcond, &run->qlock);
    run->qparked--;
    (void)pthread_mutex_unlock(&run->qlock);
}

void
lr_quiesce_exit(lr_run *run)
{
    (void)pthread_mutex_lock(&run->qlock);
    run->qexited++;
    (void)pthread_cond_broadcast(&run->qcond);
    (void)pthread_mutex_unlock(&run->qlock);
}

/* A leader, and a final checkpoint that every follower picks up. */
void
lr_settle(lr_run *run, lr_result *res)
{
    int leader, node, rc, tries;
    uint64_t id;

    lr_history_thread(-2);
    (void)lt_wtfault_pause(run->cl, 1); /* the checks judge the cluster, not the injector */
    /* A node whose log lags is tried last (lag.c): its held copies are not in its ingest. */
    for (tries = 0; (leader = lt_cluster_leader(run->cl)) < 0 && tries < 2 * run->cfg.nodes;
         tries++) {
        node = tries % run->cfg.nodes;
        if ((tries < run->cfg.nodes) != lr_lag_behind(run, node) &&
          (rc = lt_step_up(run->cl, node)) != 0)
            lr_result_violation(res, "transition", NULL, NULL, node, NULL,
              "settle: step-up of node %d: %s", node, lt_last_error());
    }
    if (leader < 0) {
        lr_result_violation(res, "transition", NULL, NULL, -1, NULL,
          "settle: no node could step up");
        return;
    }
    if ((rc = lt_checkpoint(run->cl, leader, 0, &id)) != 0 && rc != EINVAL)
        lr_result_violation(res, "contract", NULL, NULL, leader, NULL,
          "settle: final checkpoint: %s", lt_last_error());
    for (node = 0; node < run->cfg.nodes; node++)
        if (node != leader && lt_pickup(run->cl, node, 0) != 0)
            lr_result_violation(res, "contract", NULL, NULL, node, NULL,
              "settle: final pickup on node %d: %s", node, lt_last_error());
}

/* Wait until every thread is parked or gone; false after LR_PARK_LIMIT_NS. */
static bool
__park_all(lr_run *run)
{
    struct timespec until;
    uint64_t give_up = lr_now_ns() + LR_PARK_LIMIT_NS(run);
    bool ok = true;

    (void)pthread_mutex_lock(&run->qlock);
    atomic_store(&run->qpause, 1);
    while (run->qparked + run->qexited < run->nthreads) {
        if (lr_now_ns() > give_up) {
            ok = false;
            break;
        }
        lr_deadline_ms(&until, 100);
        (void)pthread_cond_timedwait(&run->qcond, &run->qlock, &until);
    }
    (void)pthread_mutex_unlock(&run->qlock);
    return (ok);
}

static void
__release_all(lr_run *run)
{
    (void)pthread_mutex_lock(&run->qlock);
    atomic_store(&run->qpause, 0);
    (void)pthread_cond_broadcast(&run->qcond);
    (void)pthread_mutex_unlock(&run->qlock);
}

/* The history is checked and cut at a quiescent check once it holds this many records (~72
 * bytes each), so that a violation is reported at the check after it, not at the run's end, and
 * a long run's memory stays flat; fewer are left for the final check. The checks carry what
 * lasts across a cut (lr_check_carry). LAYERACE_HISTORY_WINDOW=N sets it (tests). */
#define LR_HISTORY_WINDOW 1024u

static uint64_t
__window(void)
{
    const char *s = getenv("LAYERACE_HISTORY_WINDOW");
    char *end;
    unsigned long long v;

    if (s == NULL || (v = strtoull(s, &end, 10)) == 0 || *end != '\0')
        return (LR_HISTORY_WINDOW);
    return (v);
}

/*
 * __history_cut --
 *     With every thread parked between operations no transition, schema operation or checkpoint
 *     is open, so the history so far is whole: once it holds a window, take it out (the caller
 *     checks and frees it). False when it stays.
 */
static bool
__history_cut(lr_run *run, lr_rec **recsp, size_t *np)
{
    if (lr_history_count(run->h) - run->cut_seq < __window() ||
      lr_history_cut(run->h, recsp, np) != 0)
        return (false);
    run->cut_seq = lr_history_count(run->h);
    return (true);
}

/*
 * __history_check --
 *     Run the event checks over a window taken out, count its hook events for the final tally;
 *     r is scratch (its former contents are lost).
 */
static void
__history_check(lr_run *run, const lr_rec *recs, size_t n, lr_result *r)
{
    int i;

    memset(r, 0, sizeof(*r));
    lr_check_history(recs, n, run->cfg.nodes, &run->carry, r);
    lr_check_boundary(recs, n, run->cfg.nodes, &run->carry, r);
    lr_check_annotate(recs, n, r);
    lr_hook_event_counts(recs, n, run->cut_hook);
    run->cut_windows++;
    for (i = 0; i < r->nviolations && i < LR_VIOL_MAX; i++)
        lr_online_violation(run, r->v[i].invariant, r->v[i].node,
          r->v[i].table[0] != '\0' ? r->v[i].table : NULL, "%s", r->v[i].what);
    lr_online_count_rest(run, r);
}

bool
lr_stress_tick(lr_run *run)
{
    static lr_result r; /* the driver's thread only; large */
    lr_violation *v;
    lr_rec *recs;
    char what[sizeof(v->what)];
    uint64_t before, n;
    size_t nrecs;
    double at;
    int i;
    bool cut;

    if (run->cfg.check_every_ms == 0 || run->sched != NULL || lr_now_ns() < run->next_check_ns ||
      lr_should_stop(run))
        return (false);
    at = (double)(lr_now_ns() - run->start_ns) / 1e9;
    n = atomic_load(&run->checks) + 1;
    lr_panic_check(run); /* the checks would fail on a panicked cluster */
    if (!__park_all(run)) {
        __release_all(run);
        lr_online_violation(run, "liveness", -1, NULL,
          "quiescent check %" PRIu64 " at %.1f s: the threads did not reach a point between two "
          "operations in %llu s",
          n, at, LR_PARK_LIMIT_NS(run) / 1000000000u);
        return (true);
    }
    lr_panic_check(run); /* latched while the threads parked */
    memset(&r, 0, sizeof(r));
    before = lr_history_count(run->h) + 1;
    lr_settle(run, &r);
    lr_oracle_verify(run, &r);
    for (i = 0; i < r.nviolations && i < LR_VIOL_MAX; i++)
        r.v[i].before_seq = before;
    /* A window taken out now holds the context of what the check found: annotate it first. */
    if ((cut = __history_cut(run, &recs, &nrecs)))
        lr_check_annotate(recs, nrecs, &r);
    for (i = 0; i < r.nviolations && i < LR_VIOL_MAX; i++) {
        v = &r.v[i];
        (void)snprintf(what, sizeof(what), "quiescent check %" PRIu64 " at %.1f s: %s", n, at,
          v->what);
        lr_online_violation_before(run, before, v->invariant, v->node,
          v->table[0] != '\0' ? v->table : NULL, what);
    }
    if (cut) {
        __history_check(run, recs, nrecs, &r); /* the check's own are reported above */
        free(recs);
    }
    (void)lt_wtfault_pause(run->cl, 0);
    atomic_store(&run->checks, n);
    run->next_check_ns = lr_now_ns() + run->cfg.check_every_ms * 1000000u;
    __release_all(run);
    return (true);
}
