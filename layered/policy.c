/*
 * policy.c -- the lock-based Role Transition Isolation policies (docs/CONTRACT.md#policy-table).
 *
 * upstream reproduces upstream WiredTiger's 2026 rules per operation kind: a user session's
 * create, drop not waiting for the checkpoint lock, and publish abort the process when they
 * start during a step-up (checked at each schema operation's entry; the library's own work never
 * enters the hook, so it is exempt); drop waiting for the checkpoint lock, truncate and verify
 * take node.transition_lock (upstream's checkpoint lock) first and so are serialised behind every
 * transition. A step-down holds the schema lock for its whole length: racing schema operations
 * wait, or get EBUSY when called not to wait.
 *
 * boundary serialises a step-up the same way, and makes the step-down asynchronous: it takes the
 * schema lock only to set its boundary (a new schema epoch and the step-down timestamp); each
 * schema operation holds the schema lock from its admission to its exit and so lands wholly on
 * one side. Past the boundary a create makes no stable constituent and a publish is refused.
 */
#include "lt_internal.h"

/* Admitted operations on this thread: a nested admission (truncate's cursor) is skipped. */
static _Thread_local int lt_inside;

bool
__lt_hook_inside(void)
{
    return (lt_inside > 0);
}

void
__lt_hook_inside_add(int delta)
{
    lt_inside += delta;
}

void
__lt_sx_init(lt_node *n)
{
    __lt_mutex_init(&n->sx.lock, LT_RANK_SCHEMA, "node.schema_lock");
    __lt_mutex_init(&n->sx.meta_lock, LT_RANK_META, "node.meta_lock");
}

void
__lt_sx_destroy(lt_node *n)
{
    lt_meta *m;

    while ((m = n->sx.queue) != NULL) {
        n->sx.queue = m->next;
        free(m);
    }
    __lt_mutex_destroy(&n->sx.meta_lock);
    __lt_mutex_destroy(&n->sx.lock);
}

/* Take m, reporting a wait when another thread holds it. */
static void
lt_sx_lock(lt_node *n, lt_ticket *t, lt_mutex *m)
{
    uint64_t start;

    if (__lt_mutex_trylock(n->cl, m, n->id))
        return;
    __lt_node_event(n, LT_EV_WAIT_BEGIN, t->op, t->table, t->opid, 0, 0, 0);
    start = __lt_now_ns();
    __lt_mutex_lock(n->cl, m, n->id);
    __lt_stat_add(&n->st_waited, 1);
    __lt_stat_add(&n->st_wait_ns, __lt_now_ns() - start);
    __lt_node_event(n, LT_EV_WAIT_END, t->op, t->table, t->opid, 0, 0, 0);
}

/* Kinds that take the checkpoint lock first, as upstream's do. */
static bool
lt_kind_ckpt(lt_op op)
{
    return (op == LT_OP_DROP_CKPT || op == LT_OP_TRUNCATE || op == LT_OP_VERIFY);
}

int
__lt_hook_lock_enter(lt_node *n, lt_ticket *t, lt_policy policy)
{
    lt_cluster *cl = n->cl;
    lt_transition tr;
    uint64_t gen;

    t->locks = 0;
    __lt_rcu_read_lock();
    tr = __lt_state_read(n)->transition;
    gen = __lt_state_read(n)->generation;
    __lt_rcu_read_unlock();
    LT_YIELD(cl, "hook.after_read", n->id);
    if (lt_kind_ckpt(t->op)) {
        lt_sx_lock(n, t, &n->transition_lock);
        t->locks |= LT_HOLD_CKPT;
    } else if (policy == LT_POLICY_UPSTREAM && tr == LT_TR_STEP_UP) {
        fprintf(stderr,
          "liblayered: upstream policy: %s of table %s on node %d during the node's step-up "
          "(generation %" PRIu64 ")\n",
          lt_op_name(t->op), t->table != NULL ? t->table : "-", n->id, gen);
        abort();
    }
    if (t->op == LT_OP_CREATE && LT_FAULT(cl, LT_FAULT_STEPDOWN_LEAK))
        t->locks |= LT_HOLD_LATE;
    else if (t->op != LT_OP_DROP_NOWAIT)
        lt_sx_lock(n, t, &n->sx.lock);
    else if (!__lt_mutex_trylock(cl, &n->sx.lock, n->id)) {
        __lt_stat_add(&n->st_rejected, 1);
        __lt_node_event(n, LT_EV_REJECT, t->op, t->table, t->opid, 0, 0, EBUSY);
        return (__lt_err(cl, EBUSY, "%s of table %s on node %d: the node's schema lock is held%s",
          lt_op_name(t->op), t->table != NULL ? t->table : "-", n->id,
          tr != LT_TR_NONE ? " by a role transition" : ""));
    }
    if ((t->locks & LT_HOLD_LATE) == 0)
        t->locks |= LT_HOLD_SCHEMA;
    lt_inside++;
    __lt_stat_add(&n->st_admitted, 1);
    __lt_node_event(n, LT_EV_ADMIT, t->op, t->table, t->opid, 0, 0, 0);
    LT_YIELD(cl, "hook.admitted", n->id);
    return (0);
}

void
__lt_hook_late_lock(lt_node *n, lt_ticket *t)
{
    if ((t->locks & LT_HOLD_LATE) == 0)
        return;
    __lt_mutex_lock(n->cl, &n->sx.lock, n->id);
    t->locks = (t->locks & ~LT_HOLD_LATE) | LT_HOLD_SCHEMA;
}

void
__lt_hook_lock_exit(lt_node *n, lt_ticket *t)
{
    if (t->locks == 0)
        return;
    lt_inside--;
    if (t->locks & LT_HOLD_SCHEMA)
        __lt_mutex_unlock(&n->sx.lock);
    if (t->locks & LT_HOLD_CKPT)
        __lt_mutex_unlock(&n->transition_lock);
    t->locks = 0;
}

unsigned
__lt_sx_transition_enter(lt_node *n, lt_transition tr)
{
    lt_policy policy;

    policy = (lt_policy)atomic_load_explicit(&n->policy, memory_order_relaxed); /* lt_node */
    if ((policy == LT_POLICY_UPSTREAM && tr == LT_TR_STEP_DOWN) ||
      (policy == LT_POLICY_BOUNDARY && tr == LT_TR_STEP_UP)) {
        __lt_mutex_lock(n->cl, &n->sx.lock, n->id);
        return (LT_HOLD_SCHEMA);
    }
    return (0);
}

void
__lt_sx_transition_exit(lt_node *n, unsigned held)
{
    if (held & LT_HOLD_SCHEMA)
        __lt_mutex_unlock(&n->sx.lock);
}

void
__lt_sx_boundary(lt_node *n, unsigned held)
{
    lt_cluster *cl = n->cl;
    lt_policy policy;
    lt_meta *m;
    uint64_t epoch, ts;
    bool lock, meta;

    /*
     * Only the lock-based policies let schema operations near a transition: under the others
     * the boundary needs no lock unless something is queued (fewer scheduling points).
     */
    policy = (lt_policy)atomic_load_explicit(&n->policy, memory_order_relaxed); /* lt_node */
    lock = policy == LT_POLICY_UPSTREAM || policy == LT_POLICY_BOUNDARY;
    if (lock && (held & LT_HOLD_SCHEMA) == 0)
        __lt_mutex_lock(cl, &n->sx.lock, n->id);
    ts = atomic_load_explicit(&cl->max_commit_ts, memory_order_acquire); /* lt_cluster */
    if ((meta = lock || __lt_meta_count(n) != 0))
        __lt_mutex_lock(cl, &n->sx.meta_lock, n->id);
    epoch = atomic_fetch_add(&n->sx.epoch, 1) + 1;
    n->sx.boundary_ts = ts;
    atomic_store(&n->sx.past, true);
    while ((m = n->sx.queue) != NULL) { /* leader-era entries never publish now */
        n->sx.queue = m->next;
        free(m);
    }
    atomic_store(&n->sx.nqueued, 0);
    if (meta)
        __lt_mutex_unlock(&n->sx.meta_lock);
    __lt_node_event(n, LT_EV_BOUNDARY, LT_OP_STEP_DOWN, NULL, epoch, ts, 0, 0);
    if (lock && (held & LT_HOLD_SCHEMA) == 0)
        __lt_mutex_unlock(&n->sx.lock);
}

void
__lt_sx_new_era(lt_node *n)
{
    atomic_store(&n->sx.past, false); /* see lt_schema_state */
}

uint64_t
__lt_sx_epoch(lt_node *n, bool *pastp)
{
    *pastp = atomic_load_explicit(&n->sx.past, memory_order_relaxed); /* lt_schema_state */
    return (atomic_load_explicit(&n->sx.epoch, memory_order_relaxed));
}

int
__lt_meta_enqueue(lt_node *n, const char *name, uint64_t epoch)
{
    lt_meta *m;

    if ((m = calloc(1, sizeof(*m))) == NULL)
        return (ENOMEM);
    (void)snprintf(m->name, sizeof(m->name), "%s", name);
    m->epoch = epoch;
    __lt_mutex_lock(n->cl, &n->sx.meta_lock, n->id);
    m->next = n->sx.queue;
    n->sx.queue = m;
    n->sx.nqueued++;
    __lt_mutex_unlock(&n->sx.meta_lock);
    return (0);
}

/* Unlink the queued entry of name (meta_lock held); NULL if none. */
lt_meta *
__lt_meta_take_locked(lt_node *n, const char *name)
{
    lt_meta **mp, *m;

    assert(__lt_mutex_held(&n->sx.meta_lock));
    for (mp = &n->sx.queue; (m = *mp) != NULL; mp = &m->next)
        if (strcmp(m->name, name) == 0) {
            *mp = m->next;
            n->sx.nqueued--;
            return (m);
        }
    return (NULL);
}

void
__lt_meta_remove(lt_node *n, const char *name)
{
    if (__lt_meta_count(n) == 0) /* the usual case: no lock, no scheduling point */
        return;
    __lt_mutex_lock(n->cl, &n->sx.meta_lock, n->id);
    free(__lt_meta_take_locked(n, name));
    __lt_mutex_unlock(&n->sx.meta_lock);
}

int
__lt_meta_count(lt_node *n)
{
    return (atomic_load_explicit(&n->sx.nqueued, memory_order_relaxed)); /* lt_schema_state */
}
