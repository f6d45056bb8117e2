/*
 * scenario.c -- one run of a scenario: lr_sc_run_one, which the runner calls in a forked child
 * (open the cluster, run the script, settle, check the events, report), and the event check.
 * The context the script and its threads see is in scenario_ctx.c, holds and threads in
 * scenario_sync.c; the state they share is in scenario_rt.h. The catalogue is races/catalogue.c:
 * the runtime never calls a scenario but through the pointer it is given.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/clock.h"
#include "common/rng.h"
#include "scenario/scenario_rt.h"
#include "stress/checker.h"

const char *
lr_sc_fault_names(unsigned faults, char *buf, size_t len)
{
    static const struct {
        unsigned bit;
        const char *name;
    } names[] = {
      {LT_FAULT_DROP_NOT_ATOMIC, "drop_not_atomic"},
      {LT_FAULT_COMMIT_NO_GATE, "commit_no_gate"},
      {LT_FAULT_WRITE_ROLE_REREAD, "write_role_reread"},
      {LT_FAULT_TXN_STRAND, "txn_strand"},
      {LT_FAULT_STEPDOWN_LEAK, "stepdown_leak"},
      {LT_FAULT_HOOK_AT_LOCK, "hook_at_lock"},
      {LT_FAULT_PICKUP_STALE_BIND, "pickup_stale_bind"},
      {LT_FAULT_DROP_LOCK_INVERT, "drop_lock_invert"},
      {LT_FAULT_GC_NO_REF, "gc_no_ref"},
      {LT_FAULT_BG_NO_RECHECK, "bg_no_recheck"},
      {LT_FAULT_FLAG_PLAIN_READ, "flag_plain_read"},
      {LT_FAULT_DRAIN_OPEN_ONLY, "drain_open_only"},
      {LT_FAULT_CKPT_UNLOCKED, "ckpt_unlocked"},
      {LT_FAULT_PICKUP_RESEARCH, "pickup_research"},
      {LT_FAULT_UNBOUND_NO_PIN, "unbound_no_pin"},
      {LT_FAULT_ROLE_KEEP_VIEW, "role_keep_view"},
      {LT_FAULT_STABLE_NO_CONFIG, "stable_no_config"},
      {LT_FAULT_DRAIN_CONFLICT, "drain_conflict"},
      {LT_FAULT_TXN_ROLE_ONLY, "txn_role_only"},
      {LT_FAULT_COMMIT_PAST_BOUNDARY, "commit_past_boundary"},
    };
    size_t i, used = 0;

    buf[0] = '\0';
    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (faults & names[i].bit)
            used += (size_t)snprintf(buf + used, used < len ? len - used : 0, "%s%s",
              used == 0 ? "" : ",", names[i].name);
    if (used == 0)
        (void)snprintf(buf, len, "none");
    return (buf);
}

static bool
__sc_has_violation_locked(lr_sc *sc, const lr_violation *v)
{
    int i;

    for (i = 0; i < sc->res.nviolations && i < LR_VIOL_MAX; i++)
        if (strcmp(sc->res.v[i].invariant, v->invariant) == 0 && sc->res.v[i].seq[0] == v->seq[0] &&
          sc->res.v[i].seq[1] == v->seq[1] && strcmp(sc->res.v[i].what, v->what) == 0)
            return (true);
    return (false);
}

/*
 * lr_sc_check_events --
 *     The engine's checker over every event recorded so far (I5 overlaps, I4 stable writes by a
 *     follower, failed transitions, the hook's accounting; docs/CONTRACT.md#invariants). Call it
 *     when the scenario's threads are joined; a violation already reported by an earlier call is
 *     not reported again.
 */
void
lr_sc_check_events(lr_sc *sc)
{
    lr_result *tmp;
    lt_hook_stats hs;
    lr_rec *recs;
    size_t n;
    int i;

    if ((tmp = calloc(1, sizeof(*tmp))) == NULL || lr_history_collect(sc->hist, &recs, &n) != 0) {
        free(tmp);
        lr_sc_error(sc, "checking the events: out of memory");
        return;
    }
    lr_check_history(recs, n, lt_cluster_nodes(sc->cl), NULL, tmp);
    lr_check_boundary(recs, n, lt_cluster_nodes(sc->cl), NULL, tmp);
    if (lt_hook_get_stats(sc->cl, -1, &hs) == 0)
        lr_check_hook_counts(recs, n, (const uint64_t[3]){0, 0, 0}, &hs, tmp);
    free(recs);
    for (i = 0; i < tmp->nviolations && i < LR_VIOL_MAX; i++) {
        (void)pthread_mutex_lock(&sc->mu);
        if (__sc_has_violation_locked(sc, &tmp->v[i])) {
            (void)pthread_mutex_unlock(&sc->mu);
            continue;
        }
        if (sc->res.nviolations < LR_VIOL_MAX)
            sc->res.v[sc->res.nviolations] = tmp->v[i];
        lr_result_tally(&sc->res, tmp->v[i].invariant);
        sc->res.nviolations++;
        if (!sc->quiet) {
            printf("    %+8.3f [t%d] VIOLATION %s (events %" PRIu64 ", %" PRIu64 "): %s\n",
              (double)(lr_now_ns() - sc->start_ns) / 1e9,
              lr_sc_self() == NULL ? 0 : lr_sc_self()->id, tmp->v[i].invariant, tmp->v[i].seq[0],
              tmp->v[i].seq[1], tmp->v[i].what);
            (void)fflush(stdout);
        }
        (void)pthread_mutex_unlock(&sc->mu);
    }
    free(tmp);
}

/* ---------------------------------------------------------------------------------------------
 * One run.
 */
/* The observer: the history, and the step trace of a controlled run. */
static void
__sc_observe(void *arg, const lt_event *ev)
{
    lr_sc *sc = arg;

    lr_history_observe(sc->hist, ev);
    lr_sched_event(lt_event_name(ev->type), ev->node, (uint64_t)ev->op << 32 | (uint32_t)ev->rc);
}

bool
lr_sc_run_cfg(const lr_sc_params *p, const lr_sched_config *sched, lr_sc_report *rep)
{
    lt_cluster_config cfg;
    lr_sc *sc;
    char home[4096], fbuf[128];
    bool settled = true;
    int rc;

    memset(rep, 0, sizeof(*rep));
    if ((sc = calloc(1, sizeof(*sc))) == NULL || (sc->hist = lr_history_new()) == NULL) {
        free(sc);
        rep->status = LR_SC_ERROR;
        (void)snprintf(rep->error, sizeof(rep->error), "out of memory");
        return (true);
    }
    (void)pthread_mutex_init(&sc->mu, NULL);
    (void)pthread_cond_init(&sc->cv, NULL);
    lr_holds_init(&sc->holds, &sc->mu, &sc->cv);
    sc->scn = p->scn;
    sc->params = p;
    if (sched != NULL && sched->kind == LR_SCHED_FREE)
        sched = NULL;
    sc->hazard = p->hazard;
    sc->seed = p->seed;
    sc->quiet = p->quiet;
    sc->faults = p->hazard ? p->scn->faults : 0;
    sc->policy = p->hazard && p->scn->faults == 0 ? LT_POLICY_OFF : p->policy;
    sc->start_ns = sc->changed_ns = lr_now_ns();
    lr_history_thread(0);
    lr_rng_thread(sc->seed, 0);

    (void)snprintf(home, sizeof(home), "%s/db", p->dir);
    lt_cluster_config_init(&cfg);
    cfg.home = home;
    cfg.nodes = 3;
    cfg.policy = sc->policy;
    cfg.faults = sc->faults;
    cfg.observer = __sc_observe;
    cfg.observer_arg = sc;
    /* Controlled: WiredTiger's own threads must not change what a run observes. */
    if (sched != NULL)
        cfg.wt_config = "statistics=(none),file_manager=(close_idle_time=0)";
    cfg.yield = lr_sc_yield_hook;
    cfg.yield_arg = sc;
    cfg.wait_hooks.arg = sc;
    cfg.wait_hooks.before_block = lr_sc_before_block;
    cfg.wait_hooks.after_block = lr_sc_after_block;
    if (lt_cluster_open(&cfg, &sc->cl) != 0)
        lr_sc_error(sc, "cannot open the cluster in %s: %s", home, lt_last_error());
    else if (lt_step_up(sc->cl, 0) != 0)
        lr_sc_error(sc, "cannot step node 0 up: %s", lt_last_error());
    else {
        lr_sc_log(sc, "cluster: 3 nodes, node 0 leader, policy %s, faults %s, seed %" PRIu64,
          lt_policy_name(sc->policy), lr_sc_fault_names(sc->faults, fbuf, sizeof(fbuf)), sc->seed);
        if (sched != NULL)
            settled = lr_sc_run_controlled(sc, sched);
        else {
            if ((rc = p->scn->fn(sc)) != 0 && sc->error[0] == '\0')
                lr_sc_error(sc, "the scenario ended with %s", lt_strerror(rc));
            settled = lr_sc_settle(sc, 10000);
        }
        if (settled)
            lr_sc_check_events(sc);
    }
    lr_sc_report_fill(sc, rep);
    if (!settled)
        return (false); /* a thread is still inside the library: leave everything as it is */
    if (sc->cl != NULL && lt_cluster_close(sc->cl) != 0 && rep->status == LR_SC_CLEAN) {
        rep->status = LR_SC_ERROR;
        (void)snprintf(rep->error, sizeof(rep->error), "closing the cluster failed: %s",
          lt_last_error());
    }
    while (sc->threads != NULL) {
        lr_sc_thread *t = sc->threads;

        sc->threads = t->next;
        free(t);
    }
    lr_history_free(sc->hist);
    (void)pthread_cond_destroy(&sc->cv);
    (void)pthread_mutex_destroy(&sc->mu);
    free(sc);
    return (true);
}
