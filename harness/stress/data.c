/*
 * data.c -- the data workers of a stress run: logical writes, reads and scans that run through
 * role changes as an application would (docs/CONTRACT.md#data-gate).
 *
 * A logical write (under the name's lock, which orders it with the other logical operations on
 * the name, not with transitions) writes a key on the node that leads when it starts, together
 * with the oracle in one WiredTiger transaction, so the oracle follows the commit's real outcome:
 * committed, or rolled back and nowhere. A committed write is then applied to every node at the
 * same commit timestamp, as each node's operation log would (a follower's copy goes to its ingest,
 * a leader's to stable), retried while the node refuses it with WT_ROLLBACK (a transition). The
 * write's timestamp stays "in flight" until then, so that no checkpoint covers it before every
 * node has it (maintain.c), except a follower's copy held back (lag.c, --lag). A write that fails
 * with anything but WT_ROLLBACK (the name's lock keeps drops and creates away, and no checkpoint
 * covers a write in flight, so neither ENOENT nor EINVAL is due) is reported as I4: the gate is
 * what routes a write by the role its transaction began with.
 *
 * A read runs on a random node, leader or follower, at the node's current view; half of them
 * take the name's lock and are compared with the oracle as of that view: on a leader the whole
 * oracle, on a follower the keys whose newest write it received in its current role generation
 * (so they are in its ingest and must win over its checkpoint). A comparison is made only if the
 * node's role, generation and transition are the same before and after the read; a read that
 * fails does so with WT_ROLLBACK or ENOENT (dropped), else it is a violation.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stress/engine_int.h"

/* Write key (value NULL: remove) on node in a transaction at ts; the oracle too if wanted. When
 * the run perturbs, the commit is late with chance late_pct: a seeded sleep of up to late_us. */
static int
__write_on(lr_worker *w, int node, const char *name, uint64_t ts, const char *key,
  const char *value, bool oracle, int late_pct, uint64_t late_us)
{
    lr_run *run = w->run;
    lt_session *s = w->s[node];
    lt_txn_config tc;
    lt_cursor *c;
    int rc;

    if ((rc = lt_cursor_open(s, name, NULL, &c)) != 0)
        return (rc);
    memset(&tc, 0, sizeof(tc));
    tc.commit_ts = ts;
    if ((rc = lt_txn_begin(s, &tc)) != 0) {
        (void)lt_cursor_close(c);
        return (rc);
    }
    lt_cursor_set_key(c, key);
    if (value != NULL) {
        lt_cursor_set_value(c, value, strlen(value));
        rc = lt_cursor_insert(c);
    } else
        rc = lt_cursor_remove(c);
    if (rc == 0 && oracle)
        rc = lr_oracle_apply(run, lt_session_wt(s), name, key, value, value == NULL);
    /* An application's commit comes whenever it comes: widen the window to a role change, now
     * and then past a whole step-up (its pickup takes milliseconds). */
    if (rc == 0) {
        if (!lr_rng_delay(&w->rng, run->cfg.perturb_pct, 300) && run->cfg.perturb_pct > 0 &&
          lr_chance(&w->rng, late_pct))
            lr_sched_sleep_us(1 + lr_below(&w->rng, late_us), "data.commit_late");
        rc = lt_txn_commit(s, 0);
    } else if (lt_txn_active(s))
        (void)lt_txn_rollback(s);
    (void)lt_cursor_close(c);
    return (rc);
}

/*
 * The data gate's documented outcomes of a write; anything else is I4 (see above). A remove of a
 * key the node's view lacks is WT_NOTFOUND, as upstream's lookup before a remove gives; ESTALE:
 * the node restarted; an error the harness injected (--wt-faults) is handled.
 */
static bool
__write_documented(lr_worker *w, int rc, int node, const char *name, const char *what,
  const char *value, uint64_t before)
{
    if (rc == 0 || rc == WT_ROLLBACK || rc == ESTALE || (rc == WT_NOTFOUND && value == NULL) ||
      lr_injected(w->run, before))
        return (true);
    lr_online_violation(w->run, "I4", node, name,
      "%s in table %s on node %d failed with %s, which the data gate does not document (a write "
      "routed by another role than its transaction's?): %s",
      what, name, node, lt_strerror(rc), lt_last_error());
    return (false);
}

/*
 * __redeliver --
 *     The operation log delivers at least once: a follower applies a write it has again, the same
 *     key at the same timestamp, in a transaction whose commit is often late. Until it commits,
 *     the row's committed version has an uncommitted update: a step-up's drain that empties the
 *     ingest meets a write conflict there. Its outcomes are a write's (the row is the same
 *     either way, so the reads' bookkeeping does not change). The late commit spans a step-down
 *     and a step-up now and then: up to 50 ms free (and when following a free run: the same
 *     draws), 500 virtual ms under a search strategy (1 ms a scheduling point: the two
 *     transitions take hundreds of points).
 */
/* A held-back copy (lag.c) the node no longer needs: its checkpoint holds the write now (a
 * pickup after the catch-up's check), or it changed role since the copy was held back. */
static bool
__lag_moot(lr_run *run, int node, uint64_t ts, uint64_t gen)
{
    lt_node_info info;

    if (gen == LR_ANY_GEN || lt_node_get_info(run->cl, node, &info) != 0)
        return (false);
    return (info.role != LT_FOLLOWER || info.generation != gen || info.checkpoint_ts >= ts);
}

static void
__redeliver(lr_worker *w, int node, const char *name, uint64_t ts, const char *key,
  const char *value, uint64_t gen)
{
    uint64_t before = lt_wtfault_thread_count();
    int rc;

    atomic_fetch_add(&w->run->redelivered, 1);
    rc =
      __write_on(w, node, name, ts, key, value, false, 25, lr_searching(w->run) ? 500000 : 50000);
    if ((rc != EINVAL && rc != WT_ROLLBACK) || !__lag_moot(w->run, node, ts, gen))
        (void)__write_documented(w, rc, node, name, "a redelivered write", value, before);
}

/* Apply a committed write to one node, until it accepts (see above; name_lock[t] held); gen: a
 * held-back copy's generation (lag.c), or LR_ANY_GEN. */
void
lr_replica_apply(lr_worker *w, int t, int node, uint64_t ts, const char *key, const char *value,
  uint64_t gen)
{
    lr_run *run = w->run;
    const char *name = run->names[t];
    lt_node_info a, b;
    uint64_t give_up, *rgen, before;
    int rc, k = atoi(key + 1);
    bool ok;

    rgen = &run->rgen[((size_t)node * (size_t)run->ntables + (size_t)t) * LR_KEYS + (size_t)k];
    *rgen = 0; /* set once the copy is known to be in the node's ingest (reads.c) */
    give_up = lr_sched_now_ns() + lr_liveness_ns(w->run);
    for (;;) {
        ok = lr_node_view(run, node, &a);
        before = lt_wtfault_thread_count();
        rc = __write_on(w, node, name, ts, key, value, false, 1, 20000);
        if (rc == 0) {
            if (ok && lr_node_view(run, node, &b) && a.generation == b.generation &&
              a.role == LT_FOLLOWER && b.role == LT_FOLLOWER)
                *rgen = a.generation + 1;
            lr_lag_delivered(run, t, node, key);
            if (ok && a.role == LT_FOLLOWER && run->cfg.redeliver_pct > 0 &&
              lr_chance(&w->rng, run->cfg.redeliver_pct))
                __redeliver(w, node, name, ts, key, value, gen);
            break;
        }
        if ((rc == EINVAL || rc == WT_ROLLBACK) && __lag_moot(run, node, ts, gen))
            break;
        /* A node replaying its log after a restart may not hold the table yet, or no more: its
         * replay (under this name's lock, after this write, which the log holds) settles it. */
        if (rc == ENOENT && atomic_load(&run->replaying[node]))
            break;
        /* WT_NOTFOUND: a remove the node's view does not need (it lags, and its next pickup
         * brings the leader's remove); the key's reads are then not compared (rgen 0). */
        if (!__write_documented(w, rc, node, name, "a replicated write", value, before) ||
          (rc != WT_ROLLBACK && rc != ESTALE && lt_wtfault_thread_count() == before))
            break;
        if (rc == ESTALE) /* the node restarted: a new session, and the write again */
            lr_worker_renew(w, node);
        atomic_fetch_add(&run->retries, 1);
        /* The end of the run is no reason to drop a committed write's copy: only a failure
         * already reported (or the environment's) ends the retries early. */
        if (lr_sched_now_ns() > give_up || lr_run_failed(run)) {
            if (!lr_run_failed(run))
                lr_online_violation(run, "liveness", node, name,
                  "a write to table %s on node %d was refused for %.3g s: %s", name, node,
                  lr_liveness_s(run), lt_last_error());
            break;
        }
        lr_sched_sleep_us(50 + lr_below(&w->rng, 300), "data.retry");
    }
}

/* Apply the held-back copies of table t that are due (lag.c; name_lock[t] held). */
static void
__catch_up(lr_worker *w, int t)
{
    lr_lag_copy c;

    while (lr_lag_next_due(w->run, t, &c))
        lr_replica_apply(w, t, c.node, c.ts, c.key, c.remove ? NULL : c.value, c.gen);
}

/* Apply a committed write to one node now, or hold it back (lag.c; name_lock[t] held). */
void
lr_replica_write(lr_worker *w, int t, int node, uint64_t ts, const char *key, const char *value)
{
    lr_lag_copy c;

    /* The log applies in order: a held copy of the key first (else a remove would find no row
     * on a follower whose checkpoint lacks it, and be dropped as WT_NOTFOUND). */
    if (lr_lag_take(w->run, t, node, key, &c))
        lr_replica_apply(w, t, c.node, c.ts, c.key, c.remove ? NULL : c.value, c.gen);
    if (!lr_lag_defer(w, t, node, ts, key, value))
        lr_replica_apply(w, t, node, ts, key, value, LR_ANY_GEN);
}

static const char *const __value_tags[] = {"", "T", "V", "\x14\x14", "T\x01"};

static void
__data_write(lr_worker *w, int t)
{
    lr_run *run = w->run;
    const char *name = run->names[t];
    char key[16], value[48];
    uint64_t ts, before;
    int leader, node, rc, exists;
    bool remove;

    lr_sched_mutex_lock(&run->name_lock[t], "name_lock", t);
    __catch_up(w, t);
    leader = lt_cluster_leader(run->cl);
    lr_sched_mark("data.after_leader", leader);
    if (leader < 0 || lt_table_exists(w->s[leader], name, &exists) != 0 || !exists)
        goto done; /* no leader, or the table is dropped: no write to attempt */
    (void)snprintf(key, sizeof(key), "k%03d", (int)lr_below(&w->rng, LR_KEYS));
    /* In flight before the timestamp exists: a checkpoint never covers it (maintain.c). */
    atomic_store(&w->inflight_ts, atomic_load(&run->ts) + 1);
    ts = lr_next_ts(run);
    atomic_store(&w->inflight_ts, ts);
    remove = lr_chance(&w->rng, 20);
    /* Some values begin with bytes the library or upstream uses to tag ingest rows. */
    (void)snprintf(value, sizeof(value), "%sv%" PRIu64 ".%d", __value_tags[ts % 5], ts, w->id);
    atomic_fetch_add(&run->data_ops, 1);
    lr_count_op(run);
    lr_history_note(run->h, LR_REC_REQUEST, LT_OP_COMMIT, leader, name, 0, ts);
    before = lt_wtfault_thread_count();
    rc = __write_on(w, leader, name, ts, key, remove ? NULL : value, true, 1, 20000);
    lr_history_note(run->h, LR_REC_RESULT, LT_OP_COMMIT, leader, name, rc, ts);
    /* Not committed: rolled back with the oracle's copy, so it must be nowhere. */
    if (__write_documented(w, rc, leader, name, "a write", remove ? NULL : value, before) &&
      rc == 0) {
        atomic_fetch_add(&run->data_ok, 1);
        lr_oplog_add(run, t, remove ? LR_LOG_REMOVE : LR_LOG_WRITE, ts, key, value);
        for (node = 0; node < run->cfg.nodes; node++)
            lr_replica_write(w, t, node, ts, key, remove ? NULL : value);
        lr_data_check(w, t, leader, key);
    }
    atomic_store(&w->inflight_ts, 0);
done:
    lr_sched_mutex_unlock(&run->name_lock[t]);
}

void *
lr_data_worker(void *arg)
{
    lr_worker *w = arg;
    lr_run *run = w->run;
    uint32_t rounds = 0;
    int t;

    lr_history_thread(w->id);
    lr_order_attach(run->order, w->id);
    lr_rng_thread(run->cfg.seed, w->id);
    while (!lr_should_stop(run) && lr_thread_round(run, w->id, &rounds)) {
        lr_quiesce_point(run);
        lr_worker_renew(w, -1);
        lr_sched_point("op.data", -1);
        t = (int)lr_below(&w->rng, (uint64_t)run->ntables);
        if (lr_chance(&w->rng, 60))
            __data_write(w, t);
        else
            lr_data_read(w, t);
    }
    lr_quiesce_exit(run);
    return (NULL);
}
