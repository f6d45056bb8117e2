/*
 * workers.c -- the schema workers of a stress run, and the sessions every worker opens.
 *
 * A schema worker performs logical schema operations: it picks create, drop or truncate and a
 * name from the small pool (so operations collide), takes the name's lock, and applies the
 * operation to every node in a random order, as each node's operation log would; on each node
 * it retries what the hook rejected (EBUSY) or timed out until the node accepts. Those calls race
 * the controller's transitions: that is the contract under test.
 *
 * The data workers are in data.c.
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

    for (node = 0; node < w->run->cfg.nodes; node++) {
        w->seen[node] = atomic_load(&w->run->node_restarts[node]);
        if ((rc = lt_session_open(w->run->cl, node, &w->s[node])) != 0)
            return (rc);
    }
    return (0);
}

/* A session on a node after its restart (lr_call_retrying's call). */
struct lr_open_call {
    lr_run *run;
    int node;
    lt_session **sp;
};

static int
__open_once(void *arg)
{
    struct lr_open_call *c = arg;

    return (lt_session_open(c->run->cl, c->node, c->sp));
}

void
lr_worker_renew(lr_worker *w, int node)
{
    lr_run *run = w->run;
    struct lr_open_call c = {.run = run};
    uint64_t now;
    int i;

    for (i = node < 0 ? 0 : node; i < (node < 0 ? run->cfg.nodes : node + 1); i++) {
        /* Read before the open: a restart after it is seen by the next check. */
        now = atomic_load(&run->node_restarts[i]);
        if (node < 0 && now == w->seen[i])
            continue;
        (void)lt_session_close(w->s[i]); /* stale: closing is what still works */
        w->s[i] = NULL;
        w->seen[i] = now;
        c.node = i;
        c.sp = &w->s[i];
        if (lr_call_retrying(run, __open_once, &c) != 0)
            lr_online_violation(run, "contract", i, NULL,
              "cannot open a session on node %d after its restart: %s", i, lt_last_error());
    }
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

/*
 * lr_create_table --
 *     Create name on s's node with the configuration every node gives it, which a pickup checks
 *     (CONTRACT.md#config); a table that exists is no error.
 */
int
lr_create_table(lt_session *s, const char *name)
{
    char cfg[LT_NAME_MAX + 16];
    int rc;

    (void)snprintf(cfg, sizeof(cfg), "app_metadata=%s", name);
    return ((rc = lt_create_cfg(s, name, cfg)) == EEXIST ? 0 : rc);
}

/*
 * lr_truncate_table --
 *     Truncate name on s's node in a transaction committed at stamp, the logical operation's. A
 *     table the node lacks is no error: nothing to truncate. Every other error is the caller's to
 *     handle, the existence check's included: a session from before a restart of the node fails
 *     it with ESTALE, and taking that for an absent table left the node's rows in place while the
 *     oracle forgot them. err (errlen bytes, may be NULL) keeps the truncate's message, which the
 *     rollback clears.
 */
int
lr_truncate_table(lt_session *s, const char *name, uint64_t stamp, char *err, size_t errlen)
{
    lt_txn_config tc;
    int rc, exists;

    if ((rc = lt_table_exists(s, name, &exists)) != 0 || !exists)
        return (rc);
    memset(&tc, 0, sizeof(tc));
    tc.commit_ts = stamp;
    if ((rc = lt_txn_begin(s, &tc)) != 0)
        return (rc);
    if ((rc = lt_truncate(s, name)) == 0)
        return (lt_txn_commit(s, 0));
    if (err != NULL)
        (void)snprintf(err, errlen, "%s", lt_last_error());
    (void)lt_txn_rollback(s);
    return (rc);
}

/*
 * One schema operation on one node; 0 when the node is in the operation's end state. A truncate
 * commits at the logical operation's stamp on every node, as a write's copies share its timestamp:
 * a checkpoint at or above the stamp then holds it on its leader, and a restarted node replays it
 * exactly when its checkpoint is below the stamp (replay.c).
 */
static int
__schema_once(lr_worker *w, lt_op op, int node, const char *name, uint64_t stamp)
{
    lr_run *run = w->run;
    lt_session *s = w->s[node];
    lt_node_info info;
    lt_hook_stats hs;
    bool app = lr_node_policy(&run->cfg, node) == LT_POLICY_UPSTREAM;
    int rc;

    /* Non-schema calls the hook must never refuse or delay (I9), often during a transition. */
    if ((rc = lt_node_get_info(run->cl, node, &info)) != 0 ||
      (rc = lt_hook_get_stats(run->cl, node, &hs)) != 0)
        lr_online_violation(run, "I9", node, NULL, "an information call on node %d failed: %s",
          node, lt_last_error());
    if (app)
        lr_sched_rdlock(&run->stepup_app, "stepup_app");
    lr_history_note(run->h, LR_REC_REQUEST, op, node, name, 0, 0);
    w->err[0] = '\0';
    switch (op) {
    case LT_OP_CREATE:
        rc = lr_create_table(s, name);
        break;
    case LT_OP_DROP:
        if ((rc = lt_drop(s, name)) == ENOENT)
            rc = 0;
        break;
    default:
        rc = lr_truncate_table(s, name, stamp, w->err, sizeof(w->err));
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
__schema_logical(lr_worker *w, lt_op op, const char *name, uint64_t stamp)
{
    lr_run *run = w->run;
    int order[LT_NODES_MAX], i, node, rc;
    uint64_t give_up, before;

    __node_order(w, order);
    for (i = 0; i < run->cfg.nodes; i++) {
        node = order[i];
        give_up = lr_sched_now_ns() + lr_liveness_ns(run);
        for (;;) {
            atomic_fetch_add(&run->schema_ops, 1);
            lr_count_op(run);
            before = lt_wtfault_thread_count();
            rc = __schema_once(w, op, node, name, stamp);
            if (rc == 0) {
                atomic_fetch_add(&run->schema_ok, 1);
                break;
            }
            /* Rejected by the hook, a cursor open (EBUSY), a transition's write refusal or a
             * session from before a restart of the node (ESTALE, renewed): retry, as a node's log
             * applier would. A truncate's stamp is in flight, so no checkpoint covers it: EINVAL
             * is not due. */
            if (rc == ESTALE)
                lr_worker_renew(w, node);
            else if (rc == ENOENT && atomic_load(&run->replaying[node]))
                break; /* the node's replay (the log holds this operation) settles it */
            else if (rc != EBUSY && rc != ETIMEDOUT && rc != WT_ROLLBACK &&
              !lr_injected(run, before)) {
                lr_online_violation(run, "contract", node, name,
                  "%s of table %s on node %d failed: %s (%s)", lt_op_name(op), name, node,
                  lt_strerror(rc), w->err[0] != '\0' ? w->err : lt_last_error());
                break;
            }
            atomic_fetch_add(&run->retries, 1);
            if (lr_sched_now_ns() > give_up) {
                lr_online_violation(run, "liveness", node, name,
                  "%s of table %s on node %d did not go through in %.3g s: %s (%s)", lt_op_name(op),
                  name, node, lr_liveness_s(run), lt_strerror(rc),
                  w->err[0] != '\0' ? w->err : lt_last_error());
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

/* *p = max(*p, v). */
static void
__done_max(_Atomic uint64_t *p, uint64_t v)
{
    uint64_t cur = atomic_load(p);

    while (cur < v && !atomic_compare_exchange_weak(p, &cur, v))
        ;
}

void *
lr_schema_worker(void *arg)
{
    lr_worker *w = arg;
    lr_run *run = w->run;
    const char *name;
    uint64_t pick, stamp;
    bool fenced;
    int t;
    lt_op op;
    uint32_t rounds = 0;

    lr_history_thread(w->id);
    lr_order_attach(run->order, w->id);
    lr_rng_thread(run->cfg.seed, w->id);
    while (!lr_should_stop(run) && lr_thread_round(run, w->id, &rounds)) {
        lr_quiesce_point(run);
        lr_worker_renew(w, -1);
        lr_sched_point("op.schema", -1);
        t = (int)lr_below(&w->rng, (uint64_t)run->ntables);
        name = run->names[t];
        pick = lr_below(&w->rng, 100);
        op = pick < 45 ? LT_OP_CREATE : pick < 75 ? LT_OP_DROP : LT_OP_TRUNCATE;
        lr_sched_mutex_lock(&run->name_lock[t], "name_lock", t);
        /* A truncate's timestamps stay in flight until every node has it (maintain.c). */
        atomic_store(&w->inflight_ts, atomic_load(&run->ts) + 1);
        fenced = run->oplog != NULL && op != LT_OP_TRUNCATE; /* a truncate is timestamped */
        if (fenced)
            lr_sched_rdlock(&run->ckpt_fence, "ckpt_fence");
        stamp = run->oplog != NULL || op == LT_OP_TRUNCATE ? lr_next_ts(run) : 0;
        if (run->oplog != NULL) /* the stamp orders the operation in the table's log */
            lr_oplog_add(run, t,
              op == LT_OP_CREATE ? LR_LOG_CREATE :
                op == LT_OP_DROP ? LR_LOG_DROP :
                                   LR_LOG_TRUNCATE,
              stamp, NULL, NULL);
        __schema_logical(w, op, name, stamp);
        if (fenced) {
            __done_max(&run->schema_done, stamp);
            lr_sched_rwunlock(&run->ckpt_fence);
        }
        lr_lag_schema(run, t);
        run->schema_ts[t] = atomic_load(&run->ts); /* history reads start after it (reads.c) */
        atomic_store(&w->inflight_ts, 0);
        lr_sched_mutex_unlock(&run->name_lock[t]);
        lr_sched_sleep_us(lr_below(&w->rng, 200), "schema.pause");
    }
    lr_quiesce_exit(run);
    return (NULL);
}
