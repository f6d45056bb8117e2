/*
 * scenario.c -- the runtime behind include/scenario.h: the catalogue (races/races.def), one run's
 * context (cluster, policy, faults, seed), violations, the event check, the step log, and
 * lr_sc_run_one, which the runner calls in a forked child. Holds and threads are in
 * scenario_sync.c; the state both share is in scenario_rt.h.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "stress/checker.h"
#include "scenario/scenario_rt.h"

/* ---------------------------------------------------------------------------------------------
 * The catalogue: races/NAME.c defines lr_race_NAME.
 */
#define RACE(name, ms, faults, summary) int lr_race_##name(lr_sc *sc);
#include "races.def"
#undef RACE

const lr_scenario lr_scenarios[] = {
#define RACE(name, ms, faults, summary) {#name, ms, faults, summary, lr_race_##name},
#include "races.def"
#undef RACE
  {NULL, 0, 0, NULL, NULL}};

const lr_scenario *
lr_scenario_find(const char *name)
{
    const lr_scenario *s;

    for (s = lr_scenarios; name != NULL && s->name != NULL; s++)
        if (strcmp(s->name, name) == 0)
            return (s);
    return (NULL);
}

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

/* ---------------------------------------------------------------------------------------------
 * The context.
 */
uint64_t
lr_sc_now_ns(void)
{
    struct timespec ts;

    (void)clock_gettime(CLOCK_MONOTONIC, &ts);
    return ((uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec);
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

/* The step log: "  +0.123 [t1] text", the thread being the script (t0) or a spawned one. */
static void
__sc_vlog_locked(lr_sc *sc, const char *prefix, const char *fmt, va_list ap)
{
    lr_sc_thread *self = lr_sc_self();

    if (sc->quiet)
        return;
    printf("    %+8.3f [t%d] %s", (double)(lr_sc_now_ns() - sc->start_ns) / 1e9,
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
        printf("    %+8.3f [t%d] VIOLATION %s: %s\n",
          (double)(lr_sc_now_ns() - sc->start_ns) / 1e9,
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

static bool
__sc_has_violation_locked(lr_sc *sc, const lr_violation *v)
{
    int i;

    for (i = 0; i < sc->res.nviolations && i < LR_VIOL_MAX; i++)
        if (strcmp(sc->res.v[i].invariant, v->invariant) == 0 &&
          sc->res.v[i].seq[0] == v->seq[0] && sc->res.v[i].seq[1] == v->seq[1] &&
          strcmp(sc->res.v[i].what, v->what) == 0)
            return (true);
    return (false);
}

/*
 * lr_sc_check_events --
 *     The engine's checker over every event recorded so far (I5 overlaps, I4 stable writes by a
 *     follower, failed transitions, the hook's accounting). Call it when the scenario's threads
 *     are joined; a violation already reported by an earlier call is not reported again.
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
    lr_check_history(recs, n, lt_cluster_nodes(sc->cl), tmp);
    if (lt_hook_get_stats(sc->cl, -1, &hs) == 0)
        lr_check_hook_counts(recs, n, &hs, tmp);
    free(recs);
    for (i = 0; i < tmp->nviolations && i < LR_VIOL_MAX; i++) {
        (void)pthread_mutex_lock(&sc->mu);
        if (__sc_has_violation_locked(sc, &tmp->v[i])) {
            (void)pthread_mutex_unlock(&sc->mu);
            continue;
        }
        if (sc->res.nviolations < LR_VIOL_MAX)
            sc->res.v[sc->res.nviolations] = tmp->v[i];
        sc->res.nviolations++;
        if (!sc->quiet) {
            printf("    %+8.3f [t%d] VIOLATION %s (events %" PRIu64 ", %" PRIu64 "): %s\n",
              (double)(lr_sc_now_ns() - sc->start_ns) / 1e9,
              lr_sc_self() == NULL ? 0 : lr_sc_self()->id, tmp->v[i].invariant,
              tmp->v[i].seq[0], tmp->v[i].seq[1], tmp->v[i].what);
            (void)fflush(stdout);
        }
        (void)pthread_mutex_unlock(&sc->mu);
    }
    free(tmp);
}

/* ---------------------------------------------------------------------------------------------
 * One run.
 */
static void
__sc_report_fill(lr_sc *sc, lr_sc_report *rep)
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
    rep->elapsed_ns = lr_sc_now_ns() - sc->start_ns;
}

bool
lr_sc_run_one(const lr_sc_params *p, lr_sc_report *rep)
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
    sc->scn = p->scn;
    sc->hazard = p->hazard;
    sc->seed = p->seed;
    sc->quiet = p->quiet;
    sc->faults = p->hazard ? p->scn->faults : 0;
    sc->policy = p->hazard && p->scn->faults == 0 ? LT_POLICY_OFF : LT_POLICY_REJECT;
    sc->start_ns = sc->changed_ns = lr_sc_now_ns();
    lr_rng_init(&sc->main_rng, sc->seed, 0);
    lr_history_thread(0);

    (void)snprintf(home, sizeof(home), "%s/db", p->dir);
    lt_cluster_config_init(&cfg);
    cfg.home = home;
    cfg.nodes = 3;
    cfg.policy = sc->policy;
    cfg.faults = sc->faults;
    cfg.observer = lr_history_observe;
    cfg.observer_arg = sc->hist;
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
          lt_policy_name(sc->policy), lr_sc_fault_names(sc->faults, fbuf, sizeof(fbuf)),
          sc->seed);
        if ((rc = p->scn->fn(sc)) != 0 && sc->error[0] == '\0')
            lr_sc_error(sc, "the scenario ended with %s", lt_strerror(rc));
        if ((settled = lr_sc_settle(sc, 10000)))
            lr_sc_check_events(sc);
    }
    __sc_report_fill(sc, rep);
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
