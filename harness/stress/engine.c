/*
 * engine.c -- a stress run's life: start the cluster and the threads, stop them, settle the
 * cluster (a leader, a final checkpoint every follower picks up), check, report.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/exit.h"
#include "stress/engine_int.h"
#include "trace/trace.h"

static _Thread_local char lr_errbuf[512];

const char *
lr_stress_error(void)
{
    return (lr_errbuf);
}

int
lr_cores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);

    return (n < 1 ? 1 : (int)n);
}

static void
__run_free(lr_run *run)
{
    int i;

    if (run->sched != NULL) /* the run did not start */
        (void)lr_sched_end(run->sched, run->online.sched, sizeof(run->online.sched));
    for (i = 0; i < run->nworkers; i++) {
        lr_worker_close(run->workers[i]);
        free(run->workers[i]);
    }
    free(run->workers);
    /* After a failure of the environment WiredTiger may have panicked, and its close then waits
     * forever for the transactions the panic left open: the process is about to exit 2. */
    if (run->cl != NULL && lt_env_failure(NULL, 0) == 0)
        (void)lt_cluster_close(run->cl);
    lr_history_free(run->h);
    lr_order_free(run->order);
    lr_vmatch_free(&run->stop_re);
    for (i = 0; i < run->ntables && run->name_lock != NULL; i++)
        (void)pthread_mutex_destroy(&run->name_lock[i]);
    (void)pthread_rwlock_destroy(&run->stepup_app);
    (void)pthread_rwlock_destroy(&run->ckpt_fence);
    (void)pthread_mutex_destroy(&run->vlock);
    (void)pthread_mutex_destroy(&run->elect_lock);
    lr_oplog_free(run);
    lr_lag_free(run);
    lr_durlog_close(run);
    (void)pthread_mutex_destroy(&run->qlock);
    (void)pthread_cond_destroy(&run->qcond);
    free(run->name_lock);
    free(run->schema_ts);
    free(run->rgen);
    free(run->names);
    free(run->threads);
    free(run);
}

static int
__start_error(lr_run *run, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    (void)vsnprintf(lr_errbuf, sizeof(lr_errbuf), fmt, ap);
    va_end(ap);
    __run_free(run);
    return (LR_EXIT_ENV);
}

/*
 * __pool_create --
 *     Without schema workers, every table of the pool on every node, before the threads start:
 *     a data-only workload whose tables never change (so no schema operation blocks a lagging
 *     copy, lag.c).
 */
static int
__pool_create(lr_run *run)
{
    lt_session *s;
    int node, i, rc = 0;

    for (node = 0; node < run->cfg.nodes && rc == 0; node++) {
        if ((rc = lt_session_open(run->cl, node, &s)) != 0)
            break;
        for (i = 0; i < run->ntables && rc == 0; i++)
            rc = lr_create_table(s, run->names[i]);
        (void)lt_session_close(s);
    }
    return (rc);
}

int
lr_stress_start(const lr_config *cfg, lr_run **runp)
{
    lt_cluster_config cc;
    lr_worker *w;
    lr_run *run;
    pthread_rwlockattr_t attr;
    char tname[32], err[256], wtcfg[128];
    uint64_t before;
    int i, rc, nw;

    *runp = NULL;
    lr_errbuf[0] = '\0';
    lt_env_reset();
    if ((run = calloc(1, sizeof(*run))) == NULL)
        return (LR_EXIT_ENV);
    if (lr_vmatch_compile(&run->stop_re, cfg->stop_on, "--stop-on", lr_errbuf, sizeof(lr_errbuf)) !=
      0) {
        free(run);
        return (LR_EXIT_ENV);
    }
    run->cfg = *cfg;
    run->durfd = -1;
    (void)pthread_mutex_init(&run->vlock, NULL);
    (void)pthread_mutex_init(&run->elect_lock, NULL);
    (void)pthread_mutex_init(&run->qlock, NULL);
    (void)pthread_cond_init(&run->qcond, NULL);
    (void)pthread_rwlockattr_init(&attr);
    (void)pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
    (void)pthread_rwlock_init(&run->stepup_app, &attr);
    (void)pthread_rwlock_init(&run->ckpt_fence, &attr);
    (void)pthread_rwlockattr_destroy(&attr);
    if (cfg->nodes < 2 || cfg->nodes > LT_NODES_MAX || cfg->tables < 1 || cfg->tables > 64 ||
      cfg->threads < 0 || cfg->data_threads < 0 || cfg->dir == NULL)
        return (__start_error(run, "bad configuration: nodes 2..%d, tables 1..64, a directory",
          LT_NODES_MAX));
    run->ntables = cfg->tables;
    run->names = calloc((size_t)cfg->tables, sizeof(*run->names));
    run->name_lock = calloc((size_t)cfg->tables, sizeof(*run->name_lock));
    run->schema_ts = calloc((size_t)cfg->tables, sizeof(*run->schema_ts));
    if ((cfg->restart_every_ms != 0 || cfg->durlog != NULL) && cfg->sched.kind != LR_SCHED_FREE)
        return (__start_error(run, "--%s-every needs --sched free",
          cfg->restart_every_ms != 0 ? "restart" : "crash"));
    run->nthreads =
      1 + cfg->threads + cfg->data_threads + cfg->nodes + (cfg->restart_every_ms != 0 ? 1 : 0);
    run->threads = calloc((size_t)run->nthreads, sizeof(*run->threads));
    run->workers = calloc((size_t)run->nthreads, sizeof(*run->workers));
    run->rgen = calloc((size_t)cfg->nodes * (size_t)cfg->tables * LR_KEYS, sizeof(*run->rgen));
    if (run->names == NULL || run->name_lock == NULL || run->schema_ts == NULL ||
      run->threads == NULL || run->rgen == NULL || run->workers == NULL ||
      (run->h = lr_history_new()) == NULL ||
      ((cfg->restart_every_ms != 0 || cfg->durlog != NULL) && lr_oplog_new(run) != 0) ||
      lr_lag_new(run) != 0)
        return (__start_error(run, "out of memory"));
    for (i = 0; i < cfg->tables; i++) {
        (void)snprintf(run->names[i], sizeof(run->names[i]), "t%d", i);
        (void)pthread_mutex_init(&run->name_lock[i], NULL);
    }
    atomic_store(&run->ts, 100);
    if (cfg->sched.kind != LR_SCHED_FREE) {
        run->cfg.sched.seed = cfg->seed;
        /* Workers blocked while the maintenance threads go on: a deadlock, not a run that never
         * ends (its --ops are never reached). */
        run->cfg.sched.stall_ns = lr_liveness_ns(run);
        if (lr_sched_new(&run->cfg.sched, &run->sched, err, sizeof(err)) != 0)
            return (__start_error(run, "controlled scheduler: %s", err));
    }

    lt_cluster_config_init(&cc);
    cc.home = cfg->dir;
    cc.nodes = cfg->nodes;
    cc.policy = lr_node_policy(cfg, 0);
    /* History reads: with an odd seed each node's oldest timestamp is the application's, moved by
     * its maintenance thread (maintain.c); with an even one the library moves it. */
    cc.app_oldest = lr_app_oldest(cfg);
    cc.observer = lr_engine_observe;
    cc.observer_arg = run;
    cc.yield = lr_perturb;
    cc.yield_arg = run;
    cc.wait_hooks.before_block = lr_trace_before_block; /* free-mode waits: trace, watchdog */
    cc.wait_hooks.after_block = lr_trace_after_block;
    cc.faults = cfg->faults & ~LR_FAULT_ORACLE_KEEPS;
    cc.wt_faults = cfg->wt_faults;
    cc.recover = cfg->recover;
    /* Controlled: WiredTiger's own threads must not change what a run observes. */
    (void)snprintf(wtcfg, sizeof(wtcfg), "cache_size=%dMB%s",
      cfg->wt_cache_mb > 0 ? cfg->wt_cache_mb : 256,
      run->sched != NULL ? ",statistics=(none),file_manager=(close_idle_time=0)" : "");
    cc.wt_config = wtcfg;
    before = lt_wtfault_thread_count();
    if ((rc = lt_cluster_open(&cc, &run->cl)) != 0) {
        run->cl = NULL;
        /* An injected error stopped a --crash-every life's open (its recovery): the life ends as
         * a process that crashed while recovering; its parent recovers again in a new life. */
        if (cfg->durlog != NULL && cfg->crash_fd >= 0 && lt_wtfault_thread_count() != before) {
            lr_crash_note(run, rc == WT_PANIC ? "p\n" : "o\n");
            _exit(LR_EXIT_PANICKED);
        }
        /* A home the kill left that cannot be recovered: what was acknowledged is lost. */
        if (cfg->recover && rc == EINVAL && lt_env_failure(NULL, 0) == 0) {
            (void)__start_error(run, "the cluster in %s cannot be recovered after a kill: %s",
              cfg->dir, lt_last_error());
            return (LR_EXIT_FOUND);
        }
        return (__start_error(run, "cannot open the cluster in %s: %s", cfg->dir, lt_last_error()));
    }
    (void)lt_wtfault_pause(run->cl, 1); /* injection starts with the threads' work */
    for (i = 1; i < cfg->nodes; i++)
        if ((rc = lt_set_policy(run->cl, i, lr_node_policy(cfg, i))) != 0)
            return (__start_error(run, "cannot set the policy of node %d: %s", i, lt_last_error()));
    lr_history_thread(-2);
    if ((rc = lr_oracle_create(run)) != 0 || (cfg->recover && (rc = lr_crash_recover(run)) != 0) ||
      (rc = lt_step_up(run->cl, 0)) != 0 || (cfg->threads == 0 && (rc = __pool_create(run)) != 0))
        return (__start_error(run, "cannot set the cluster up: %s", lt_last_error()));
    /* After the recovery's replay: it must not log what it replays again. */
    if ((rc = lr_durlog_open(run)) != 0)
        return (
          __start_error(run, "cannot open the durable log %s: %s", cfg->durlog, strerror(rc)));

    if (run->sched == NULL && cfg->order_out != NULL &&
      (run->order = lr_order_new(LR_ORDER_MAX_ITEMS)) == NULL)
        return (__start_error(run, "out of memory"));
    run->start_ns = lr_now_ns();
    run->next_check_ns = run->start_ns + cfg->check_every_ms * 1000000u;
    if (cfg->duration_ms != 0 && run->sched == NULL)
        run->deadline_ns = run->start_ns + cfg->duration_ms * 1000000u;
    nw = 0;
    if ((rc = lr_sched_spawn(run->sched, &run->threads[nw++], "controller", lr_controller, run)) !=
      0)
        return (__start_error(run, "cannot start the controller: %s", strerror(rc)));
    for (i = 0; i < cfg->threads + cfg->data_threads; i++) {
        if ((w = calloc(1, sizeof(*w))) == NULL)
            break;
        w->run = run;
        w->id = i + 1;
        run->workers[run->nworkers++] = w;
        lr_rng_init(&w->rng, cfg->seed, (uint64_t)w->id);
        (void)snprintf(tname, sizeof(tname), "%s-%d", i < cfg->threads ? "schema" : "data", w->id);
        if (lr_worker_open(w) != 0 ||
          lr_sched_spawn(run->sched, &run->threads[nw], tname,
            i < cfg->threads ? lr_schema_worker : lr_data_worker, w) != 0)
            break;
        nw++;
    }
    /* After the workers: lr_safe_ts reads their slots. */
    for (i = 0; i < cfg->nodes && nw == 1 + cfg->threads + cfg->data_threads + i; i++) {
        run->maint[i].run = run;
        run->maint[i].node = i;
        (void)snprintf(tname, sizeof(tname), "maintain-%d", i);
        if (lr_sched_spawn(run->sched, &run->threads[nw], tname, lr_maintain, &run->maint[i]) == 0)
            nw++;
    }
    if (cfg->restart_every_ms != 0 && nw == 1 + cfg->threads + cfg->data_threads + cfg->nodes &&
      lr_sched_spawn(run->sched, &run->threads[nw], "restarter", lr_restarter, run) == 0)
        nw++;
    (void)lt_wtfault_pause(run->cl, 0);
    if (run->sched != NULL)
        lr_sched_go(run->sched);
    if (nw != run->nthreads) {
        i = run->nthreads;
        atomic_store(&run->stop, 1);
        run->nthreads = nw;
        (void)lr_stress_finish(run, NULL);
        (void)snprintf(lr_errbuf, sizeof(lr_errbuf), "cannot start %d threads", i);
        return (LR_EXIT_ENV);
    }
    (void)snprintf(err, sizeof(err), "r %" PRIu64 "\n", atomic_load(&run->rows_checked));
    lr_crash_note(run, err); /* running: the parent may kill it from now on */
    *runp = run;
    return (0);
}

/*
 * lr_engine_observe --
 *     Every library event goes to the history; and I5 is checked at once: a schema operation's
 *     effect between its node's transition begin and end events is a violation (the library
 *     emits those two events so that the interval is exact, see checker.c and
 *     docs/CONTRACT.md#i5).
 */
void
lr_engine_observe(void *arg, const lt_event *ev)
{
    lr_run *run = arg;

    lr_history_observe(run->h, ev);
    lr_sched_event(lt_event_name(ev->type), ev->node, (uint64_t)ev->op << 32 | (uint32_t)ev->rc);
    if (ev->node < 0 || ev->node >= LT_NODES_MAX)
        return;
    switch (ev->type) {
    case LT_EV_TRANSITION_BEGIN: /* count 1: asynchronous, the boundary verdict's */
        if (ev->count == 0)
            atomic_store(&run->tr_open[ev->node], (int)ev->op);
        lr_crash_note(run, "b\n"); /* a kill may come now: mid-transition, a step-up's drain */
        break;
    case LT_EV_CHECKPOINT: /* the application saw it published: it trims its log there */
        lr_durlog_append(run, LR_DURLOG_CKPT, -1, ev->ts, NULL, NULL);
        break;
    case LT_EV_TRANSITION_END:
        atomic_store(&run->tr_open[ev->node], 0);
        break;
    case LT_EV_SCHEMA_EFFECT:
        if (ev->op == LT_OP_DROP && atomic_load(&run->tr_open[ev->node]) == LT_OP_STEP_UP) {
            uint64_t zero = 0;

            (void)atomic_compare_exchange_strong(&run->first_drain_drop_ns, &zero, lr_now_ns());
        }
        if (atomic_load(&run->tr_open[ev->node]) != 0)
            lr_online_violation_at(run, lr_history_last_seq(), "I5", ev->node, ev->table,
              "%s of table %s on node %d took effect during the node's %s (generation %" PRIu64 ")",
              lt_op_name(ev->op), ev->table != NULL ? ev->table : "-", ev->node,
              lt_op_name((lt_op)atomic_load(&run->tr_open[ev->node])), ev->generation);
        break;
    default:
        break;
    }
}

/* __order_finish -- a failing free run writes its recorded order (cfg.order_out). */
static void
__order_finish(lr_run *run, lr_result *res)
{
    char header[128];
    int err;

    if (run->order == NULL)
        return;
    res->order_items = lr_order_count(run->order);
    res->order_lost = lr_order_lost(run->order);
    if (res->nviolations == 0)
        return;
    (void)snprintf(header, sizeof(header), "a free run, seed %" PRIu64, run->cfg.seed);
    if ((err = lr_order_write(run->order, run->cfg.order_out, header)) != 0)
        fprintf(stderr, "layerace: cannot write the order %s: %s\n", run->cfg.order_out,
          strerror(err));
    else
        res->order_written = true;
}

int
lr_stress_finish(lr_run *run, lr_result *res)
{
    lr_result local;
    lr_rec *recs;
    size_t n;
    int i, srv = 0;

    if (res == NULL)
        res = &local;
    atomic_store(&run->stop, 1);
    for (i = 0; i < run->nthreads; i++)
        (void)pthread_join(run->threads[i], NULL);
    lr_panic_check(run); /* the settle would fail on a panicked cluster */

    /* Violations found while running come first. */
    *res = run->online;
    if (run->sched != NULL) {
        srv = lr_sched_end(run->sched, res->sched, sizeof(res->sched));
        run->sched = NULL;
        if (srv != 0)
            (void)snprintf(res->error, sizeof(res->error),
              "the controlled run diverged from "
              "its schedule (see above)");
    }
    lr_stress_progress(run, &res->c);
    lr_counters_add_prior(&res->c, run->cfg.crash_prior);
    res->elapsed_ns = (uint64_t)res->c.elapsed_ms * 1000000u;
    res->ops_per_sec =
      res->c.elapsed_ms == 0 ? 0 : (double)res->c.ops * 1000.0 / (double)res->c.elapsed_ms;

    /* Settling and checking on a full disk would only add the failure's consequences. */
    if (lt_env_failure(NULL, 0) == 0)
        lr_settle(run, res);
    if (lr_env_verdict(run->cfg.dir, res)) {
        res->c.events = lr_history_count(run->h);
        __run_free(run);
        return (LR_EXIT_ENV);
    }
    lr_oracle_verify(run, res);
    (void)lt_hook_get_stats(run->cl, -1, &res->hook);
    if (lr_history_collect(run->h, &recs, &n) == 0) {
        const char *trace = getenv("LAYERACE_TRACE");
        size_t j;

        /* A debugging aid: every record about one table, in order. */
        for (j = 0; trace != NULL && j < n; j++)
            if (strcmp(trace, "*") == 0 || strcmp(recs[j].table, trace) == 0 ||
              recs[j].kind == LT_EV_TRANSITION_FLIP || recs[j].kind == LT_EV_CHECKPOINT ||
              recs[j].kind == LT_EV_PICKUP)
                fprintf(stderr,
                  "%8" PRIu64 " thr %3d node %2d %-4s %-16s %-10s rc %-6d id %" PRIu64
                  " ts %" PRIu64 " gen %u role %d\n",
                  recs[j].seq, recs[j].thread, recs[j].node, recs[j].table,
                  recs[j].kind == LR_REC_REQUEST  ? "request" :
                    recs[j].kind == LR_REC_RESULT ? "result" :
                                                    lt_event_name((lt_event_type)recs[j].kind),
                  lt_op_name((lt_op)recs[j].op), recs[j].rc, recs[j].id, recs[j].ts,
                  recs[j].generation, recs[j].role);
        lr_check_history(recs, n, run->cfg.nodes, &run->carry, res);
        lr_check_boundary(recs, n, run->cfg.nodes, &run->carry, res);
        lr_check_annotate(recs, n, res);
        lr_check_hook_counts(recs, n, run->cut_hook, &res->hook, res);
        free(recs);
    }
    lr_hook_add_prior(&res->hook, run->cfg.crash_prior); /* checked above: this life's alone */
    res->c.events = lr_history_count(run->h) + run->cfg.crash_prior[LR_PRIOR_EVENTS];
    res->c.violations = (uint64_t)res->nviolations;
    __order_finish(run, res);
    __run_free(run);
    return (srv != 0 ? LR_EXIT_ENV : res->nviolations != 0 ? LR_EXIT_FOUND : LR_EXIT_CLEAN);
}
