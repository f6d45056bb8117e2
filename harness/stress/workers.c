/*
 * workers.c -- the schema and data workers of a stress run.
 *
 * A schema worker performs logical schema operations: it picks create, drop or truncate and a
 * name from the small pool (so operations collide), takes the name's lock, and applies the
 * operation to every node in a random order, as each node's operation log would; on each node
 * it retries what the hook rejected (EBUSY) or timed out until the node accepts. Those calls race
 * the controller's transitions: that is the contract under test.
 *
 * A data worker performs logical writes: under the name's lock and the transition gate (shared)
 * it writes a key on the leader together with the oracle in one transaction, checks the leader
 * at once against the oracle, and replicates the write to every follower at the same commit
 * timestamp (a follower's copy goes to its ingest). It also reads: point reads and scans on
 * random nodes, which must be ordered and terminate (I2; the invariants: docs/CONTRACT.md).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stress/engine_int.h"

int
lr_worker_open(lr_worker *w)
{
    int node, rc;

    for (node = 0; node < w->run->cfg.nodes; node++)
        if ((rc = lt_session_open(w->run->cl, node, &w->s[node])) != 0)
            return (rc);
    return (0);
}

void
lr_worker_close(lr_worker *w)
{
    int node;

    for (node = 0; node < w->run->cfg.nodes; node++) {
        (void)lt_session_close(w->s[node]);
        w->s[node] = NULL;
    }
}

/* A shuffled order of the nodes. */
static void
__node_order(lr_worker *w, int *order)
{
    int i, j, t, n = w->run->cfg.nodes;

    for (i = 0; i < n; i++)
        order[i] = i;
    for (i = n - 1; i > 0; i--) {
        j = (int)lr_below(&w->rng, (uint64_t)i + 1);
        t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
}

/* One schema operation on one node; 0 when the node is in the operation's end state. */
static int
__schema_once(lr_worker *w, lt_op op, int node, const char *name)
{
    lr_run *run = w->run;
    lt_session *s = w->s[node];
    lt_txn_config tc;
    lt_node_info info;
    lt_hook_stats hs;
    bool app = run->cfg.policy == LT_POLICY_UPSTREAM;
    int rc, exists;

    /* Non-schema calls the hook must never refuse or delay (I9), often during a transition. */
    if ((rc = lt_node_get_info(run->cl, node, &info)) != 0 ||
      (rc = lt_hook_get_stats(run->cl, node, &hs)) != 0)
        lr_online_violation(run, "I9", node, NULL, "an information call on node %d failed: %s",
          node, lt_last_error());
    if (app)
        lr_sched_rdlock(&run->stepup_app, "stepup_app");
    lr_history_note(run->h, LR_REC_REQUEST, op, node, name, 0, 0);
    switch (op) {
    case LT_OP_CREATE:
        if ((rc = lt_create(s, name)) == EEXIST)
            rc = 0;
        break;
    case LT_OP_DROP:
        if ((rc = lt_drop(s, name)) == ENOENT)
            rc = 0;
        break;
    default:
        if (lt_table_exists(s, name, &exists) != 0 || !exists) {
            rc = 0;
            break;
        }
        memset(&tc, 0, sizeof(tc));
        tc.commit_ts = lr_next_ts(run);
        if ((rc = lt_txn_begin(s, &tc)) != 0)
            break;
        if ((rc = lt_truncate(s, name)) == 0)
            rc = lt_txn_commit(s, 0);
        else
            (void)lt_txn_rollback(s);
        break;
    }
    lr_history_note(run->h, LR_REC_RESULT, op, node, name, rc, 0);
    if (app)
        lr_sched_rwunlock(&run->stepup_app);
    return (rc);
}

/*
 * __schema_logical --
 *     Apply one schema operation to every node, retrying each node until it accepts. Errors that
 *     retrying cannot fix are violations of the library's contract.
 */
static void
__schema_logical(lr_worker *w, lt_op op, const char *name)
{
    lr_run *run = w->run;
    int order[LT_NODES_MAX], i, node, rc;
    uint64_t give_up;

    __node_order(w, order);
    for (i = 0; i < run->cfg.nodes; i++) {
        node = order[i];
        give_up = lr_sched_now_ns() + 60ull * 1000000000u;
        for (;;) {
            atomic_fetch_add(&run->schema_ops, 1);
            lr_count_op(run);
            rc = __schema_once(w, op, node, name);
            if (rc == 0) {
                atomic_fetch_add(&run->schema_ok, 1);
                break;
            }
            /* Rejected by the hook, a cursor open (EBUSY), a transition's write refusal or a
             * commit below a new checkpoint (truncate): retry, as a node's log applier would. */
            if (rc != EBUSY && rc != ETIMEDOUT && rc != WT_ROLLBACK &&
              !(op == LT_OP_TRUNCATE && rc == EINVAL)) {
                lr_online_violation(run, "contract", node, name,
                  "%s of table %s on node %d failed: %s (%s)", lt_op_name(op), name, node,
                  lt_strerror(rc), lt_last_error());
                break;
            }
            atomic_fetch_add(&run->retries, 1);
            if (lr_sched_now_ns() > give_up) {
                lr_online_violation(run, "liveness", node, name,
                  "%s of table %s on node %d did not go through in 60 s: %s", lt_op_name(op), name,
                  node, lt_strerror(rc));
                break;
            }
            lr_sched_sleep_us(50 + lr_below(&w->rng, 500), "schema.retry");
        }
    }
#ifdef LT_FAULTS
    if (run->cfg.faults & LR_FAULT_ORACLE_KEEPS)
        return; /* the harness's own test-only defect: the oracle keeps the rows */
#endif
    if (op != LT_OP_CREATE && (rc = lr_oracle_clear(run, name)) != 0)
        lr_online_violation(run, "harness", -1, name, "cannot clear the oracle of %s: %s", name,
          lt_strerror(rc));
}

void *
lr_schema_worker(void *arg)
{
    lr_worker *w = arg;
    lr_run *run = w->run;
    const char *name;
    uint64_t pick;
    int t;
    lt_op op;
    uint32_t rounds = 0;

    lr_history_thread(w->id);
    lr_rng_thread(run->cfg.seed, w->id);
    while (!lr_should_stop(run) && lr_thread_round(run, w->id, &rounds)) {
        lr_quiesce_point(run);
        lr_sched_point("op.schema", -1);
        t = (int)lr_below(&w->rng, (uint64_t)run->ntables);
        name = run->names[t];
        pick = lr_below(&w->rng, 100);
        op = pick < 45 ? LT_OP_CREATE : pick < 75 ? LT_OP_DROP : LT_OP_TRUNCATE;
        lr_sched_mutex_lock(&run->name_lock[t], "name_lock", t);
        __schema_logical(w, op, name);
        lr_sched_mutex_unlock(&run->name_lock[t]);
        lr_sched_sleep_us(lr_below(&w->rng, 200), "schema.pause");
    }
    lr_quiesce_exit(run);
    return (NULL);
}

/* ---------------------------------------------------------------------------------------------
 * Data workers.
 */

/* Write key (value NULL: remove) on node in a transaction at ts; the oracle too if wanted. */
static int
__write_on(lr_worker *w, int node, const char *name, uint64_t ts, const char *key,
  const char *value, bool oracle)
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
    if (rc == 0)
        rc = lt_txn_commit(s, 0);
    else
        (void)lt_txn_rollback(s);
    (void)lt_cursor_close(c);
    return (rc);
}

/* The leader's value of key against the oracle's, right after the write (I1, online). */
static void
__check_leader(lr_worker *w, int leader, const char *name, const char *key)
{
    lr_run *run = w->run;
    lt_cursor *c;
    const void *v;
    char want[64];
    size_t vlen;
    int rc, orc;

    orc = lr_oracle_get(run, lt_session_wt(w->s[leader]), name, key, want, sizeof(want));
    if (lt_cursor_open(w->s[leader], name, NULL, &c) != 0)
        return;
    lt_cursor_set_key(c, key);
    rc = lt_cursor_search(c);
    if (rc == 0 && lt_cursor_get_value(c, &v, &vlen) != 0)
        rc = EINVAL;
    if (rc != orc || (rc == 0 && (vlen != strlen(want) || memcmp(v, want, vlen) != 0)))
        lr_online_violation(run, "I1", leader, name,
          "read of \"%s\" in table %s on leader node %d right after its write: %s%.*s%s, the "
          "oracle: %s%s%s",
          key, name, leader, rc == 0 ? "\"" : lt_strerror(rc), rc == 0 ? (int)vlen : 0,
          rc == 0 ? (const char *)v : "", rc == 0 ? "\"" : "", orc == 0 ? "\"" : lt_strerror(orc),
          orc == 0 ? want : "", orc == 0 ? "\"" : "");
    (void)lt_cursor_close(c);
}

static const char *const __value_tags[] = {"", "T", "V", "\x14\x14", "T\x01"};

static void
__data_write(lr_worker *w, int t)
{
    lr_run *run = w->run;
    const char *name = run->names[t];
    char key[16], value[48];
    uint64_t ts;
    int leader, node, rc, exists;
    bool remove;

    lr_sched_mutex_lock(&run->name_lock[t], "name_lock", t);
    lr_sched_rdlock(&run->gate, "gate");
    leader = lt_cluster_leader(run->cl);
    if (leader < 0 || lt_table_exists(w->s[leader], name, &exists) != 0 || !exists)
        goto done; /* no leader, or the table is dropped: no write to attempt */
    (void)snprintf(key, sizeof(key), "k%03d", (int)lr_below(&w->rng, LR_KEYS));
    ts = lr_next_ts(run);
    remove = lr_chance(&w->rng, 20);
    /* Some values begin with bytes the library or upstream uses to tag ingest rows. */
    (void)snprintf(value, sizeof(value), "%sv%" PRIu64 ".%d", __value_tags[ts % 5], ts, w->id);
    atomic_fetch_add(&run->data_ops, 1);
    lr_count_op(run);
    lr_history_note(run->h, LR_REC_REQUEST, LT_OP_COMMIT, leader, name, 0, ts);
    rc = __write_on(w, leader, name, ts, key, remove ? NULL : value, true);
    lr_history_note(run->h, LR_REC_RESULT, LT_OP_COMMIT, leader, name, rc, ts);
    if (rc != 0)
        goto done; /* no table, or a commit below a checkpoint: nothing was written */
    atomic_fetch_add(&run->data_ok, 1);
    __check_leader(w, leader, name, key);
    for (node = 0; node < run->cfg.nodes; node++)
        if (node != leader)
            (void)__write_on(w, node, name, ts, key, remove ? NULL : value, false);
done:
    lr_sched_rwunlock(&run->gate);
    lr_sched_mutex_unlock(&run->name_lock[t]);
}

/* A point read or a scan on a random node: scans must be ordered and terminate (I2). */
static void
__data_read(lr_worker *w, int t)
{
    lr_run *run = w->run;
    const char *name = run->names[t];
    int node = (int)lr_below(&w->rng, (uint64_t)run->cfg.nodes), dir, rc, steps;
    char key[16], prev[32] = "";
    const char *k;
    lt_cursor *c;

    if (lt_cursor_open(w->s[node], name, NULL, &c) != 0)
        return;
    lr_count_op(run);
    if (lr_chance(&w->rng, 50)) {
        (void)snprintf(key, sizeof(key), "k%03d", (int)lr_below(&w->rng, LR_KEYS));
        lt_cursor_set_key(c, key);
        (void)lt_cursor_search(c);
    } else {
        dir = lr_chance(&w->rng, 50) ? 1 : -1;
        for (steps = 0; (rc = dir > 0 ? lt_cursor_next(c) : lt_cursor_prev(c)) == 0; steps++) {
            if (lt_cursor_get_key(c, &k) != 0)
                break;
            if ((steps > 0 && (dir > 0 ? strcmp(k, prev) <= 0 : strcmp(k, prev) >= 0)) ||
              steps > LR_KEYS * 4) {
                lr_online_violation(run, "I2", node, name,
                  "%s scan of table %s on node %d: \"%s\" after \"%s\" at step %d",
                  dir > 0 ? "next" : "prev", name, node, k, prev, steps);
                break;
            }
            (void)snprintf(prev, sizeof(prev), "%s", k);
        }
    }
    (void)lt_cursor_close(c);
}

void *
lr_data_worker(void *arg)
{
    lr_worker *w = arg;
    lr_run *run = w->run;
    int t;
    uint32_t rounds = 0;

    lr_history_thread(w->id);
    lr_rng_thread(run->cfg.seed, w->id);
    while (!lr_should_stop(run) && lr_thread_round(run, w->id, &rounds)) {
        lr_quiesce_point(run);
        lr_sched_point("op.data", -1);
        t = (int)lr_below(&w->rng, (uint64_t)run->ntables);
        if (lr_chance(&w->rng, 60))
            __data_write(w, t);
        else
            __data_read(w, t);
    }
    lr_quiesce_exit(run);
    return (NULL);
}
