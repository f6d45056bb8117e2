/*
 * restart.c -- lt_node_restart: a node loses what a process restart loses (its ingest, its
 * picked-up view, its catalogue and drop marks, its sessions and cursors) and comes back as a
 * follower at the newest published checkpoint. layered/DESIGN.md, "Node restart", says why each
 * part goes and what stays; lt_restart.h, how the handles from before become stale.
 */
#include "lt_restart.h"

/*
 * lt_catalog_discard --
 *     Take every entry out of the node's catalogue, forget its drop marks, drop each entry's
 *     ingest (queued while a stale cursor still holds it open) and release the entries
 *     (node.transition_lock held: no step-up swaps an ingest table meanwhile). A stale cursor
 *     keeps its entry alive by its reference until it is closed.
 */
static void
lt_catalog_discard(lt_node *n, WT_SESSION *wt)
{
    lt_cluster *cl = n->cl;
    lt_entry *e, *next;
    lt_stable *stable;
    char uri[LT_URI_MAX + 1];

    assert(__lt_mutex_held(&n->transition_lock));
    __lt_mutex_lock(cl, &n->catalog_lock, n->id);
    e = n->entries;
    n->entries = NULL;
    free(n->drops);
    n->drops = NULL;
    n->ndrops = n->drops_cap = 0;
    n->replaying = true; /* the application replays its log now (catalog.c, drop marks) */
    __lt_mutex_unlock(&n->catalog_lock);
    for (; e != NULL; e = next) {
        /* Unforced ("?"): a stale session's transaction may hold uncommitted rows in it. */
        (void)snprintf(uri, sizeof(uri), "?%s", e->ingest_uri); /* transition_lock: stable */
        __lt_drop_uri(cl, wt, uri);
        __lt_mutex_lock(cl, &n->catalog_lock, n->id);
        next = e->next;
        stable = e->stable;
        e->stable = NULL;
        __lt_entry_unref_locked(n, e);
        __lt_mutex_unlock(&n->catalog_lock);
        if (stable != NULL)
            __lt_stable_unref(cl, stable);
    }
}

/*
 * lt_restart_stale_view --
 *     The fault LT_FAULT_RESTART_STALE_VIEW (test-only): read through the checkpoint the node had
 *     picked up before the restart (old, pinned) while the state keeps the newest one's timestamp.
 *     Returns whether it took old's pin over.
 */
static bool
lt_restart_stale_view(lt_node *n, lt_ckpt *old)
{
    lt_cluster *cl = n->cl;
    lt_ckpt *newest;
    lt_state ns;

    if (!LT_FAULT(cl, LT_FAULT_RESTART_STALE_VIEW) || old == NULL || n->view == NULL ||
      old->id >= n->view->id)
        return (false);
    ns = *__lt_state_owned(n);
    ns.ckpt_id = old->id; /* what reads pin; ckpt_ts stays the newest's */
    __lt_mutex_lock(cl, &cl->ckpt_lock, -1);
    newest = n->view;
    n->view = old;
    __lt_mutex_unlock(&cl->ckpt_lock);
    __lt_state_publish(cl, n, &ns);
    __lt_ckpt_unpin(cl, newest);
    return (true);
}

int
lt_node_restart(lt_cluster *cl, int node)
{
    WT_SESSION *wt;
    lt_ckpt *old;
    lt_state ns;
    lt_node *n;
    lt_policy policy;
    uint64_t start;
    unsigned held;
    bool was_leader;
    int rc;

    __lt_api_enter();
    if ((n = __lt_node(cl, node)) == NULL)
        return (__lt_err(cl, EINVAL, "restart: no node %d", node));
    if ((rc = __lt_wt_open_session(cl, &wt)) != 0)
        return (rc);
    /* A transition of the node in progress ends first: it holds the transition lock. */
    __lt_mutex_lock(cl, &n->transition_lock, node);
    __lt_mutex_lock(cl, &cl->role_lock, -1);
    start = __lt_now_ns();
    /* The lock-based policies admit by the schema lock: held for the whole restart. */
    policy = (lt_policy)atomic_load_explicit(&n->policy, memory_order_relaxed); /* lt_node */
    held = 0;
    if (policy == LT_POLICY_UPSTREAM || policy == LT_POLICY_BOUNDARY) {
        __lt_mutex_lock(cl, &n->sx.lock, node);
        held = LT_HOLD_SCHEMA;
    }
    __lt_transition_begin(n, LT_TR_RESTART, LT_OP_RESTART);

    /*
     * One publication: a new incarnation (handles from before are stale), a follower in a new
     * generation (transactions from before are doomed), no checkpoint. Its grace period lets
     * every operation that saw the old state finish.
     */
    ns = *__lt_state_owned(n);
    was_leader = ns.role == LT_LEADER;
    ns.incarnation++;
    ns.role = LT_FOLLOWER;
    ns.generation++;
    ns.ckpt_id = ns.ckpt_ts = 0;
    __lt_state_publish(cl, n, &ns);
    if (was_leader) {
        cl->leader = -1;
        __lt_sx_boundary(n, held); /* the leader's queued metadata entries never publish */
    }
    __lt_node_event(n, LT_EV_TRANSITION_FLIP, LT_OP_RESTART, NULL, 0, 0, 0, 0);

    /* The picked-up view goes; pinned until the new one is in place (the fault reads it). */
    __lt_mutex_lock(cl, &cl->ckpt_lock, -1);
    old = n->view;
    n->view = NULL;
    __lt_mutex_unlock(&cl->ckpt_lock);
    lt_catalog_discard(n, wt);

    /* Back at the newest checkpoint: its tables, bound to its stable incarnations. */
    rc = __lt_pickup_locked(n, wt, 0, true);
    if (rc != 0 || !lt_restart_stale_view(n, old))
        __lt_ckpt_unpin(cl, old);
    __lt_epoch_bump_view(n);
    __lt_transition_end(n, LT_OP_RESTART, rc, start);
    if (held != 0)
        __lt_mutex_unlock(&n->sx.lock);
    __lt_mutex_unlock(&cl->role_lock);
    __lt_mutex_unlock(&n->transition_lock);
    __lt_maintain(cl, wt);
    (void)wt->close(wt, NULL);
    return (rc);
}
