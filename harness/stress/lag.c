/*
 * lag.c -- a follower's operation log that lags (--lag PCT): now and then a follower's copy of a
 * committed write is held back and applied later, after a checkpoint may already hold it, as an
 * application's log applier falls behind the leader. So a follower can stand on a key that the
 * next checkpoint it picks up no longer has (race class 8 without its script).
 *
 * A held copy is applied by the first write on its table after its due time (under the
 * name's lock), unless by then the node's checkpoint holds it (skipped: a write at or below the
 * node's checkpoint is refused, and the checkpoint's row is the same) or the node changed role
 * (dropped). A newer copy of the key applies it first, as a log applies in order (a remove
 * must find the row it removes; lr_lag_take). A node with copies held is not elected: a
 * step-up would make a stable table of its own log where the node has not bound the leader's
 * (a table created since its last pickup), and lose the held writes.
 * Only a key the follower holds no copy of in its current role generation is held back: an older
 * copy in its ingest would win over the checkpoint (until GC) once the held one is skipped, and
 * the follower would serve an old value. A schema operation on the table drops its held copies
 * and blocks holding any until the node's next role change (a truncate leaves tombstones). While
 * a copy is held, the key's reads on that node are not compared (its rgen is 0).
 * Not with restarts: a restarted node replays the log itself (replay.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stress/engine_int.h"

typedef struct {
    uint64_t ts;  /* 0: no copy held */
    uint64_t gen; /* the node's role generation when it was held back */
    uint64_t due_ns;
    bool remove;
    char value[48];
} __held;

/* Under name_lock[table]: [node][table][key] or [node][table], and nheld. */
struct lr_lag {
    __held *held;
    uint64_t *got;    /* 1 + the generation of the node's newest copy of the key; 0 none */
    uint64_t *schema; /* 1 + the generation of the node's newest schema op on the table */
    unsigned *nheld;  /* [table]: copies held, over every node */
    /* A node with copies held back is not elected (an application's election picks a node that
     * has applied its log): elect orders a copy's holding (with a leader) and a step-up's check. */
    pthread_mutex_t elect;
    _Atomic unsigned behind[LT_NODES_MAX]; /* copies held back per node */
};

#define LR_LAG_IX(run, node, t) ((size_t)(node) * (size_t)(run)->ntables + (size_t)(t))

int
lr_lag_new(lr_run *run)
{
    struct lr_lag *l;
    size_t nt = (size_t)run->cfg.nodes * (size_t)run->ntables;

    if (run->cfg.lag_pct == 0 || run->oplog != NULL)
        return (0);
    if ((l = calloc(1, sizeof(*l))) == NULL)
        return (-1);
    (void)pthread_mutex_init(&l->elect, NULL);
    if ((l->held = calloc(nt * LR_KEYS, sizeof(__held))) == NULL ||
      (l->got = calloc(nt * LR_KEYS, sizeof(uint64_t))) == NULL ||
      (l->schema = calloc(nt, sizeof(uint64_t))) == NULL ||
      (l->nheld = calloc((size_t)run->ntables, sizeof(unsigned))) == NULL) {
        run->lag = l;
        lr_lag_free(run);
        return (-1);
    }
    run->lag = l;
    return (0);
}

void
lr_lag_free(lr_run *run)
{
    struct lr_lag *l = run->lag;

    if (l == NULL)
        return;
    free(l->held);
    free(l->got);
    free(l->schema);
    free(l->nheld);
    (void)pthread_mutex_destroy(&l->elect);
    free(l);
    run->lag = NULL;
}

/* The node's role generation now, and whether it follows and is not in a transition. */
static bool
__follower(lr_run *run, int node, uint64_t *genp)
{
    lt_node_info info;

    if (lt_node_get_info(run->cl, node, &info) != 0)
        return (false);
    *genp = info.generation;
    return (info.role == LT_FOLLOWER && info.transition == LT_TR_NONE);
}

static void
__unhold(struct lr_lag *l, int t, int node, __held *h)
{
    if (h->ts != 0) {
        h->ts = 0;
        l->nheld[t]--;
        atomic_fetch_sub(&l->behind[node], 1);
    }
}

bool
lr_lag_behind(lr_run *run, int node)
{
    return (run->lag != NULL && atomic_load(&run->lag->behind[node]) != 0);
}

void
lr_lag_elect(lr_run *run, bool lock)
{
    if (run->lag == NULL)
        return;
    if (lock)
        lr_sched_mutex_lock(&run->lag->elect, "lag_elect", -1);
    else
        lr_sched_mutex_unlock(&run->lag->elect);
}

bool
lr_lag_defer(lr_worker *w, int t, int node, uint64_t ts, const char *key, const char *value)
{
    lr_run *run = w->run;
    struct lr_lag *l = run->lag;
    size_t ix = LR_LAG_IX(run, node, t);
    int k = atoi(key + 1);
    __held *h;
    uint64_t gen, bound;

    if (l == NULL)
        return (false);
    h = &l->held[ix * LR_KEYS + (size_t)k];
    /* lr_replica_write took any held copy of the key first (lr_lag_take): one is never overwritten.
     */
    if (h->ts != 0 || !lr_chance(&w->rng, run->cfg.lag_pct))
        return (false);
    lr_lag_elect(run, true);
    /* With no leader the node may be the next one elected: it must have its log. */
    if (lt_cluster_leader(run->cl) < 0 || !__follower(run, node, &gen) ||
      l->got[ix * LR_KEYS + (size_t)k] == gen + 1 || l->schema[ix] == gen + 1) {
        lr_lag_elect(run, false);
        return (false);
    }
    /* Long enough for a checkpoint and a pickup: 50 ms free, 500 virtual ms under a search
     * strategy (1 ms a scheduling point). */
    bound = lr_searching(run) ? 500000000ull : 50000000ull;
    h->ts = ts;
    h->gen = gen;
    h->due_ns = lr_sched_now_ns() + 1 + lr_below(&w->rng, bound);
    h->remove = value == NULL;
    (void)snprintf(h->value, sizeof(h->value), "%s", value == NULL ? "" : value);
    l->nheld[t]++;
    atomic_fetch_add(&l->behind[node], 1);
    lr_lag_elect(run, false);
    run->rgen[ix * LR_KEYS + (size_t)k] = 0; /* not compared until a copy is in its ingest */
    atomic_fetch_add(&run->lagged, 1);
    return (true);
}

void
lr_lag_delivered(lr_run *run, int t, int node, const char *key)
{
    struct lr_lag *l = run->lag;
    lt_node_info info;

    /* The generation only grows: the copy landed in this one or an earlier one. */
    if (l != NULL && lt_node_get_info(run->cl, node, &info) == 0)
        l->got[LR_LAG_IX(run, node, t) * LR_KEYS + (size_t)atoi(key + 1)] = info.generation + 1;
}

void
lr_lag_schema(lr_run *run, int t)
{
    struct lr_lag *l = run->lag;
    lt_node_info info;
    int node, k;

    for (node = 0; l != NULL && node < run->cfg.nodes; node++) {
        for (k = 0; k < LR_KEYS; k++)
            __unhold(l, t, node, &l->held[LR_LAG_IX(run, node, t) * LR_KEYS + (size_t)k]);
        if (lt_node_get_info(run->cl, node, &info) == 0)
            l->schema[LR_LAG_IX(run, node, t)] = info.generation + 1;
    }
}

/* Release node's held copy of key k of t into c: true if it is still to apply, false if none
 * was held, the node changed role since (dropped), or its checkpoint holds it now (skipped). */
static bool
__take(lr_run *run, int t, int node, int k, const lt_node_info *info, lr_lag_copy *c)
{
    struct lr_lag *l = run->lag;
    __held *h = &l->held[LR_LAG_IX(run, node, t) * LR_KEYS + (size_t)k];

    if (h->ts == 0)
        return (false);
    c->node = node;
    c->ts = h->ts;
    c->gen = h->gen;
    (void)snprintf(c->key, sizeof(c->key), "k%03d", k);
    (void)snprintf(c->value, sizeof(c->value), "%s", h->value);
    c->remove = h->remove;
    __unhold(l, t, node, h);
    if (info->role != LT_FOLLOWER || info->generation != c->gen)
        return (false); /* changed role (only the settle's last resort elects it): dropped */
    if (info->checkpoint_ts >= c->ts) {
        atomic_fetch_add(&run->lag_covered, 1);
        return (false); /* the node's checkpoint holds it */
    }
    atomic_fetch_add(&run->lag_late, 1);
    return (true);
}

bool
lr_lag_take(lr_run *run, int t, int node, const char *key, lr_lag_copy *c)
{
    lt_node_info info;
    int k = atoi(key + 1);

    if (run->lag == NULL || run->lag->held[LR_LAG_IX(run, node, t) * LR_KEYS + (size_t)k].ts == 0)
        return (false);
    if (lt_node_get_info(run->cl, node, &info) != 0)
        info.role = LT_LEADER; /* no such node now: dropped */
    return (__take(run, t, node, k, &info, c));
}

bool
lr_lag_next_due(lr_run *run, int t, lr_lag_copy *c)
{
    struct lr_lag *l = run->lag;
    lt_node_info info;
    __held *h;
    uint64_t now;
    int node, k;

    if (l == NULL || l->nheld[t] == 0)
        return (false);
    now = lr_sched_now_ns();
    for (node = 0; node < run->cfg.nodes; node++)
        for (k = 0; k < LR_KEYS; k++) {
            h = &l->held[LR_LAG_IX(run, node, t) * LR_KEYS + (size_t)k];
            if (h->ts == 0 || h->due_ns > now || lt_node_get_info(run->cl, node, &info) != 0 ||
              info.transition != LT_TR_NONE)
                continue; /* not due, or the node is changing role: later */
            if (__take(run, t, node, k, &info, c))
                return (true);
        }
    return (false);
}
