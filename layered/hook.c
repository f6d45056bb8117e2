/*
 * hook.c -- the Role Transition Isolation hook (docs/CONTRACT.md#rti).
 *
 * Protocol. An admitted schema operation runs entirely inside an RCU read-side section, having
 * seen state.transition == none. A transition publishes state.transition != none and then waits
 * a grace period: when the wait returns, every schema operation admitted before the publication
 * has finished, and every later one sees the transition. node.tr_active mirrors the transition
 * under node.hook_lock so that waiters (policy wait) can sleep on node.hook_cond without a lost
 * wake-up. With policy off nothing is checked and nothing waits: the schema operation runs
 * concurrently with the transition, as upstream does. The policies upstream and boundary admit
 * by locks instead, per operation kind (policy.c).
 */
#include "lt_internal.h"

static void
lt_hook_event(lt_node *n, lt_event_type type, const lt_ticket *t, const lt_state *st, int rc)
{
    lt_event ev;

    memset(&ev, 0, sizeof(ev));
    ev.type = type;
    ev.op = t->op;
    ev.node = n->id;
    ev.role = st->role;
    ev.generation = st->generation;
    ev.table = t->table;
    ev.id = t->opid;
    ev.rc = rc;
    __lt_event(n->cl, &ev);
}

static const char *
lt_tr_name(lt_transition tr)
{
    return (tr == LT_TR_STEP_UP ? "step-up" :
        tr == LT_TR_STEP_DOWN   ? "step-down" :
        tr == LT_TR_RESTART     ? "restart" :
                                  "none");
}

/*
 * __lt_hook_enter --
 *     Admit a schema operation on node n. On success the caller runs the operation and then
 *     calls __lt_hook_exit (inside the read-side section unless the policy is off).
 */
int
__lt_hook_enter(lt_node *n, lt_ticket *t)
{
    lt_cluster *cl = n->cl;
    const lt_state *st;
    lt_policy policy;
    uint64_t start, deadline;
    int rc;

    t->held = false;
    t->locks = 0;
    /* Relaxed: the policy is a lone value (lt_node). */
    policy = (lt_policy)atomic_load_explicit(&n->policy, memory_order_relaxed);
    if (policy == LT_POLICY_UPSTREAM || policy == LT_POLICY_BOUNDARY)
        return (__lt_hook_lock_enter(n, t, policy)); /* policy.c */
    if (policy == LT_POLICY_OFF) {
        __lt_rcu_read_lock();
        st = __lt_state_read(n);
        LT_YIELD(cl, "hook.after_read", n->id);
        if (st->transition != LT_TR_NONE)
            __lt_stat_add(&n->st_overlapped, 1);
        __lt_stat_add(&n->st_admitted, 1);
        lt_hook_event(n, LT_EV_ADMIT, t, st, 0);
        __lt_rcu_read_unlock();
        LT_YIELD(cl, "hook.admitted", n->id);
        return (0);
    }

    for (;;) {
        __lt_rcu_read_lock();
        st = __lt_state_read(n);
        LT_YIELD(cl, "hook.after_read", n->id);
        if (st->transition == LT_TR_NONE) {
            t->held = true;
            __lt_hook_inside_add(1);
            /* Relaxed: only the assert policy's diagnostic reads it (lt_node). */
            atomic_fetch_add_explicit(&n->schema_inflight, 1, memory_order_relaxed);
            __lt_stat_add(&n->st_admitted, 1);
            if (policy == LT_POLICY_ASSERT) {
                __lt_mutex_lock(cl, &n->hook_lock, n->id);
                (void)snprintf(n->last_admitted, sizeof(n->last_admitted), "%s of table %s",
                  lt_op_name(t->op), t->table != NULL ? t->table : "-");
                __lt_mutex_unlock(&n->hook_lock);
            }
            lt_hook_event(n, LT_EV_ADMIT, t, st, 0);
            LT_YIELD(cl, "hook.admitted", n->id);
            return (0);
        }

        switch (policy) {
        case LT_POLICY_ASSERT:
            fprintf(stderr,
              "liblayered: Role Transition Isolation violated: %s of table %s on node %d met "
              "the node's %s (generation %" PRIu64 ")\n",
              lt_op_name(t->op), t->table != NULL ? t->table : "-", n->id,
              lt_tr_name(st->transition), st->generation);
            abort();
        case LT_POLICY_WAIT:
            lt_hook_event(n, LT_EV_WAIT_BEGIN, t, st, 0);
            /* The fault keeps the section across the wait, with no deadline: a deadlock. */
            if (!LT_FAULT(cl, LT_FAULT_WAIT_IN_SECTION))
                __lt_rcu_read_unlock();
            start = __lt_now_ns();
            deadline = LT_FAULT(cl, LT_FAULT_WAIT_IN_SECTION) ?
              0 :
              start + (uint64_t)cl->cfg.wait_timeout_ms * 1000000u;
            rc = 0;
            __lt_mutex_lock(cl, &n->hook_lock, n->id);
            while (n->tr_active && rc == 0)
                rc = __lt_cond_wait(cl, &n->hook_cond, &n->hook_lock, deadline, "hook.wait", n->id);
            if (n->tr_active)
                rc = ETIMEDOUT;
            __lt_mutex_unlock(&n->hook_lock);
            __lt_stat_add(&n->st_waited, 1);
            __lt_stat_add(&n->st_wait_ns, __lt_now_ns() - start);
            if (!LT_FAULT(cl, LT_FAULT_WAIT_IN_SECTION))
                __lt_rcu_read_lock();
            st = __lt_state_read(n);
            lt_hook_event(n, LT_EV_WAIT_END, t, st, rc);
            __lt_rcu_read_unlock();
            if (rc != 0) {
                __lt_stat_add(&n->st_timed_out, 1);
                return (__lt_err(cl, ETIMEDOUT,
                  "%s of table %s on node %d waited %" PRIu32
                  " ms for a role transition to end; giving up",
                  lt_op_name(t->op), t->table != NULL ? t->table : "-", n->id,
                  cl->cfg.wait_timeout_ms));
            }
            continue; /* re-check: another transition may have begun */
        case LT_POLICY_REJECT:
        default:
            __lt_stat_add(&n->st_rejected, 1);
            lt_hook_event(n, LT_EV_REJECT, t, st, EBUSY);
            rc = __lt_err(cl, EBUSY,
              "%s of table %s on node %d rejected: the node is in %s (generation %" PRIu64
              "); retry after the transition",
              lt_op_name(t->op), t->table != NULL ? t->table : "-", n->id,
              lt_tr_name(st->transition), st->generation);
            __lt_rcu_read_unlock();
            return (rc);
        }
    }
}

void
__lt_hook_exit(lt_node *n, lt_ticket *t)
{
    __lt_hook_lock_exit(n, t);
    if (!t->held)
        return;
    __lt_hook_inside_add(-1);
    atomic_fetch_sub_explicit(&n->schema_inflight, 1, memory_order_relaxed); /* see enter */
    t->held = false;
    __lt_rcu_read_unlock();
}

/*
 * __lt_hook_probe --
 *     The fault LT_FAULT_HOOK_AT_LOCK puts back upstream's first placement of the check, at the
 *     schema lock's acquisition: non-schema work that takes that lock (a cursor open, a statistics
 *     or information call) meets the hook. Without the fault, nothing.
 */
int
__lt_hook_probe(lt_node *n, lt_op op)
{
    lt_ticket t;
    int rc;

    if (!LT_FAULT(n->cl, LT_FAULT_HOOK_AT_LOCK) || __lt_hook_inside())
        return (0);
    memset(&t, 0, sizeof(t));
    t.op = op;
    t.opid = __lt_next_id(n->cl);
    if ((rc = __lt_hook_enter(n, &t)) != 0)
        return (rc);
    __lt_hook_exit(n, &t);
    return (0);
}

/*
 * __lt_transition_begin --
 *     Enter the hook exclusively (node.transition_lock and cluster.role_lock held): publish the
 *     transition and, unless the policy is off, wait until no admitted schema operation is left.
 */
void
__lt_transition_begin(lt_node *n, lt_transition tr, lt_op op)
{
    lt_cluster *cl = n->cl;
    lt_state st;
    lt_event ev;
    lt_policy policy;
    int inflight;

    assert(__lt_mutex_held(&n->transition_lock) && __lt_mutex_held(&cl->role_lock));
    __lt_mutex_lock(cl, &n->hook_lock, n->id);
    n->tr_active = true;
    __lt_mutex_unlock(&n->hook_lock);
    LT_YIELD(cl, "transition.after_mark", n->id);

    policy = (lt_policy)atomic_load_explicit(&n->policy, memory_order_relaxed);
    st = *__lt_state_owned(n);
    st.transition = tr;
    if (policy == LT_POLICY_ASSERT &&
      (inflight = atomic_load_explicit(&n->schema_inflight, memory_order_relaxed)) > 0) {
        __lt_mutex_lock(cl, &n->hook_lock, n->id); /* last_admitted; the lock is never released */
        fprintf(stderr,
          "liblayered: Role Transition Isolation violated: %s of node %d (generation %" PRIu64
          ") began while %d schema operation(s) ran, the last admitted being %s\n",
          lt_tr_name(tr), n->id, st.generation, inflight, n->last_admitted);
        abort();
    }
    /*
     * Publishing waits a grace period: admitted schema operations (read-side sections unless the
     * policy is off, when they are not readers and nothing waits for them) and data operations
     * drain out.
     */
    __lt_state_publish(cl, n, &st);

    memset(&ev, 0, sizeof(ev));
    ev.type = LT_EV_TRANSITION_BEGIN;
    ev.op = op;
    ev.node = n->id;
    ev.role = st.role;
    ev.generation = st.generation;
    /* count 1: an asynchronous step-down, which admits schema operations (policy boundary). */
    ev.count = policy == LT_POLICY_BOUNDARY && tr == LT_TR_STEP_DOWN;
    __lt_event(cl, &ev);
}

/*
 * __lt_transition_end --
 *     Leave the hook (node.transition_lock and cluster.role_lock held): publish transition none
 *     and wake schema operations that wait.
 */
void
__lt_transition_end(lt_node *n, lt_op op, int rc, uint64_t started_ns)
{
    lt_cluster *cl = n->cl;
    lt_state st;
    lt_event ev;
    uint64_t took;

    assert(__lt_mutex_held(&n->transition_lock) && __lt_mutex_held(&cl->role_lock));
    /*
     * The end event comes first: a schema operation admitted once the state below is published
     * reports its effect after it, so an effect between a transition's begin and end events is
     * always a real overlap.
     */
    st = *__lt_state_owned(n);
    st.transition = LT_TR_NONE;
    memset(&ev, 0, sizeof(ev));
    ev.type = LT_EV_TRANSITION_END;
    ev.op = op;
    ev.node = n->id;
    ev.role = st.role;
    ev.generation = st.generation;
    ev.rc = rc;
    __lt_event(cl, &ev);
    __lt_state_publish(cl, n, &st);

    took = __lt_now_ns() - started_ns;
    __lt_stat_add(&n->st_transitions, 1);
    __lt_ts_max(&n->st_transition_max_ns, took); /* a statistic: its release orders nothing */

    __lt_mutex_lock(cl, &n->hook_lock, n->id);
    n->tr_active = false;
    __lt_cond_broadcast(&n->hook_cond);
    __lt_mutex_unlock(&n->hook_lock);
}

/*
 * __lt_bench_admission --
 *     For the benchmark only: admit and release n schema operations on a node, uncontended,
 *     exactly as create/drop/truncate do, and return the total time.
 */
int
__lt_bench_admission(lt_cluster *cl, int node, uint64_t n, uint64_t *nsp)
{
    lt_node *nd;
    lt_ticket t;
    uint64_t i, start;
    int rc;

    __lt_api_enter();
    if ((nd = __lt_node(cl, node)) == NULL || nsp == NULL)
        return (__lt_err(cl, EINVAL, "admission probe: bad node or NULL pointer"));
    memset(&t, 0, sizeof(t));
    t.op = LT_OP_CREATE;
    t.table = "probe";
    start = __lt_now_ns();
    for (i = 0; i < n; i++) {
        if ((rc = __lt_hook_enter(nd, &t)) != 0)
            return (rc);
        __lt_hook_exit(nd, &t);
    }
    *nsp = __lt_now_ns() - start;
    return (0);
}
