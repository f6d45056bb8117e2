/*
 * replay.c -- the restarter of a run with --restart-every. About every restart_every_ms (seeded)
 * it restarts a random node (lt_node_restart) whatever runs then: a transition of that node or of
 * another, schema and data operations on it. Half the time the leader publishes a checkpoint just
 * before, so the node comes back at one it had not picked up. Then, as the application would, it
 * replays the node's operation log above the checkpoint the node came back at (oplog.c), table by
 * table under the name's lock (no logical operation on the table in flight), and checks the node
 * at once: the table exists exactly when its last logical create came after its last drop (I7: a
 * dropped table stays dropped; I1: a live one is not lost) and it holds the oracle's rows (I1:
 * every committed write is there, from the checkpoint or replayed). While it replays, the node
 * picks up nothing and is not elected (maintain.c, controller.c): the application replays before
 * the node serves, and a replay on a leader would write below stable's newest versions.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stress/engine_int.h"

/* One log record on node; 0 once applied (writes retry and report on their own, data.c). */
static int
__apply(lr_worker *w, int t, int node, const lr_logrec *r)
{
    lt_session *s = w->s[node];
    const char *name = w->run->names[t];
    int rc;

    switch (r->kind) {
    case LR_LOG_WRITE:
    case LR_LOG_REMOVE:
        lr_replica_write(w, t, node, r->ts, r->key, r->kind == LR_LOG_WRITE ? r->value : NULL);
        return (0);
    case LR_LOG_CREATE:
        return (lr_create_table(s, name));
    case LR_LOG_DROP:
        return ((rc = lt_drop(s, name)) == ENOENT ? 0 : rc);
    case LR_LOG_TRUNCATE:
    default:
        return (lr_truncate_table(s, name, r->ts, NULL, 0)); /* at its stamp, as it ran */
    }
}

/* Apply a record until the node takes it; what retrying cannot fix is a violation. */
static void
__apply_retry(lr_worker *w, int t, int node, const lr_logrec *r)
{
    lr_run *run = w->run;
    uint64_t before, give_up = lr_sched_now_ns() + lr_liveness_ns(run);
    int rc;

    /* An injected error (--wt-faults) left the node as before the call: apply it again. */
    for (before = lt_wtfault_thread_count(); (rc = __apply(w, t, node, r)) != 0;
         before = lt_wtfault_thread_count()) {
        if ((rc != EBUSY && rc != ETIMEDOUT && rc != WT_ROLLBACK && !lr_injected(run, before)) ||
          lr_sched_now_ns() > give_up) {
            lr_online_violation(run, "replay", node, run->names[t],
              "replaying a %s of table %s at %" PRIu64 " on node %d after its restart: %s (%s)",
              r->kind == LR_LOG_CREATE ? "create" :
                r->kind == LR_LOG_DROP ? "drop" :
                                         "truncate",
              run->names[t], r->ts, node, lt_strerror(rc), lt_last_error());
            return;
        }
        atomic_fetch_add(&run->retries, 1);
        lr_sched_sleep_us(50 + lr_below(&w->rng, 500), "replay.retry");
    }
}

/* Every row of table name on the node, by key index; false if the scan did not end cleanly. */
static bool
__node_rows(lt_session *s, const char *name, bool *present, char (*val)[48])
{
    lt_cursor *c;
    const char *k;
    const void *v;
    size_t vlen;
    int rc, i;

    memset(present, 0, LR_KEYS * sizeof(*present));
    if (lt_cursor_open(s, name, NULL, &c) != 0)
        return (false);
    while ((rc = lt_cursor_next(c)) == 0 && (rc = lt_cursor_get_key(c, &k)) == 0 &&
      (rc = lt_cursor_get_value(c, &v, &vlen)) == 0)
        if (k[0] == 'k' && (i = atoi(k + 1)) >= 0 && i < LR_KEYS) {
            present[i] = true;
            (void)snprintf(val[i], 48, "%.*s", (int)vlen, (const char *)v);
        }
    (void)lt_cursor_close(c);
    return (rc == WT_NOTFOUND);
}

/* The node after the replay of table t (see the file comment); name_lock[t] held. Returns
 * the rows compared. */
static uint64_t
__check(lr_worker *w, int t, int node, uint64_t ckpt_ts, const char *why)
{
    static _Thread_local bool got_p[LR_KEYS], want_p[LR_KEYS];
    static _Thread_local char got_v[LR_KEYS][48], want_v[LR_KEYS][48];
    lr_run *run = w->run;
    lt_session *s = w->s[node];
    const char *name = run->names[t];
    lt_node_info a, b;
    bool want = lr_oplog_exists(run, t);
    uint64_t rows = 0;
    int exists, i;

    if (!lr_node_view(run, node, &a) || a.role != LT_FOLLOWER ||
      lt_table_exists(s, name, &exists) != 0 || (exists && !__node_rows(s, name, got_p, got_v)) ||
      lr_oracle_keys(lt_session_wt(s), name, want_p, want_v) != 0 || !lr_node_view(run, node, &b) ||
      b.generation != a.generation)
        return (0); /* the node moved under the check: not judged */
    if (exists != want) {
        lr_online_violation(run, want ? "I1" : "I7", node, name,
          "after %s at checkpoint ts %" PRIu64 " and the replay of its log, node %d %s "
          "table %s",
          why, ckpt_ts, node, want ? "lost" : "holds the dropped", name);
        return (1);
    }
    for (i = 0; exists && i < LR_KEYS; i++) {
        rows += want_p[i] ? 1 : 0;
        if (got_p[i] == want_p[i] && (!got_p[i] || strcmp(got_v[i], want_v[i]) == 0))
            continue;
        lr_online_violation(run, "I1", node, name,
          "after %s at checkpoint ts %" PRIu64 " and the replay of its log, node %d "
          "%s \"k%03d\" of table %s: it serves %s%s%s, the oracle holds %s%s%s",
          why, ckpt_ts, node, got_p[i] ? "serves a wrong" : "lost", i, name, got_p[i] ? "\"" : "",
          got_p[i] ? got_v[i] : "nothing", got_p[i] ? "\"" : "", want_p[i] ? "\"" : "",
          want_p[i] ? want_v[i] : "nothing", want_p[i] ? "\"" : "");
        return (rows);
    }
    return (rows);
}

/* elect_lock, only in runs with restarts (free threads): a controlled run's scheduler cannot see
 * a plain mutex, and has no restarter to guard against. */
void
lr_replay_guard(lr_run *run, bool lock)
{
    if (run->oplog == NULL)
        return;
    if (lock)
        (void)pthread_mutex_lock(&run->elect_lock);
    else
        (void)pthread_mutex_unlock(&run->elect_lock);
}

/*
 * A write whose table the node lacks while a drop follows it in the log: moot. A checkpoint names
 * the tables its leader held when it was taken, not at its timestamp, so it may already miss a
 * table that a drop stamped above the timestamp removed; the drop would erase the write anyway.
 */
static bool
__moot(lr_worker *w, int t, int node, const lr_logrec *recs, size_t i, size_t n)
{
    int exists;

    if (recs[i].kind != LR_LOG_WRITE && recs[i].kind != LR_LOG_REMOVE)
        return (false);
    while (++i < n && recs[i].kind != LR_LOG_DROP)
        ;
    return (i < n && lt_table_exists(w->s[node], w->run->names[t], &exists) == 0 && !exists);
}

uint64_t
lr_replay_nodes(lr_worker *w, int first, int last, uint64_t above, const char *why)
{
    lr_run *run = w->run;
    const lr_logrec *recs;
    uint64_t rows = 0;
    size_t i, n;
    int t, node;

    for (t = 0; t < run->ntables; t++) {
        lr_sched_mutex_lock(&run->name_lock[t], "name_lock", t);
        n = lr_oplog_above(run, t, above, &recs);
        /* Record by record across the nodes: their drops and creates keep the log's order. */
        for (i = 0; i < n; i++)
            for (node = first; node <= last; node++)
                if (!__moot(w, t, node, recs, i, n))
                    __apply_retry(w, t, node, &recs[i]);
        atomic_fetch_add(&run->replayed, n * (size_t)(last - first + 1));
        for (node = first; node <= last; node++)
            rows += __check(w, t, node, above, why);
        lr_sched_mutex_unlock(&run->name_lock[t]);
    }
    return (rows);
}

/* What the restarter calls again after an injected error, as a process would. */
struct lr_restart_call {
    lr_worker *w;
    int node;
    lt_node_info info;
};

static int
__restart_once(void *arg)
{
    struct lr_restart_call *c = arg;

    return (lt_node_restart(c->w->run->cl, c->node));
}

static int
__reopen_once(void *arg)
{
    struct lr_restart_call *c = arg;
    lt_session **sp = &c->w->s[c->node];
    int rc;

    if (*sp == NULL && (rc = lt_session_open(c->w->run->cl, c->node, sp)) != 0)
        return (rc);
    return (lt_node_get_info(c->w->run->cl, c->node, &c->info));
}

/* Restart node, replay its log, check it. */
static void
__restart(lr_worker *w, int node)
{
    lr_run *run = w->run;
    struct lr_restart_call c = {.w = w, .node = node};
    int leader;

    leader = lt_cluster_leader(run->cl);
    if (leader >= 0 && leader != node && lr_chance(&w->rng, 50) &&
      lr_checkpoint_fenced(run, leader, NULL, false) == 0)
        atomic_fetch_add(&run->checkpoints, 1);
    lr_replay_guard(run, true); /* no step-up or pickup checked before this */
    atomic_store(&run->replaying[node], 1);
    lr_replay_guard(run, false);
    if (lr_call_retrying(run, __restart_once, &c) != 0) {
        lr_online_violation(run, "restart", node, NULL, "restart of node %d: %s", node,
          lt_last_error());
        goto done;
    }
    atomic_fetch_add(&run->restarts, 1);
    atomic_fetch_add(&run->node_restarts[node], 1);
    if (lr_call_retrying(run, __reopen_once, &c) != 0) {
        lr_online_violation(run, "restart", node, NULL, "node %d after its restart: %s", node,
          lt_last_error());
        goto done;
    }
    /* To the end even when the run stops: the final check expects the node replayed. */
    (void)lr_replay_nodes(w, node, node, c.info.checkpoint_ts, "its restart");

done:
    (void)lt_session_close(w->s[node]);
    w->s[node] = NULL;
    atomic_store(&run->replaying[node], 0);
}

void *
lr_restarter(void *arg)
{
    lr_run *run = arg;
    lr_worker w;
    uint64_t until;
    uint32_t rounds = 0;
    int id = 1 + run->cfg.threads + run->cfg.data_threads + run->cfg.nodes;

    memset(&w, 0, sizeof(w));
    w.run = run;
    w.id = id;
    lr_history_thread(id);
    lr_rng_thread(run->cfg.seed, id);
    lr_rng_init(&w.rng, run->cfg.seed, (uint64_t)id);
    while (!lr_should_stop(run) && lr_thread_round(run, id, &rounds)) {
        /* A seeded pause of 0.5 to 1.5 times the period, parked now and then for checks. */
        until = lr_now_ns() +
          (run->cfg.restart_every_ms / 2 + lr_below(&w.rng, run->cfg.restart_every_ms + 1)) *
            1000000u;
        while (lr_now_ns() < until && !lr_should_stop(run)) {
            lr_quiesce_point(run);
            lr_sched_sleep_us(10000, "restart.pause");
        }
        if (lr_should_stop(run))
            break;
        lr_quiesce_point(run);
        __restart(&w, (int)lr_below(&w.rng, (uint64_t)run->cfg.nodes));
    }
    lr_quiesce_exit(run);
    return (NULL);
}
