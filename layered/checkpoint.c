/*
 * checkpoint.c -- published checkpoints (leader), pickup (follower), the oldest timestamp,
 * dropping old checkpoints, and ingest garbage collection.
 */
#include "lt_bg.h"
#include "lt_ckdrop.h"
#include "lt_life.h"
#include "lt_recover.h"
#include "lt_ts.h"
#include "lt_wtfault.h"

lt_ckpt *
__lt_ckpt_pin(lt_cluster *cl, uint64_t id)
{
    lt_ckpt *ck;

    __lt_mutex_lock(cl, &cl->ckpt_lock, -1);
    for (ck = cl->ckpts; ck != NULL; ck = ck->next)
        if (ck->id == id) {
            ck->pins++;
            break;
        }
    __lt_mutex_unlock(&cl->ckpt_lock);
    return (ck);
}

/*
 * __lt_ckpt_pin_for_ts --
 *     Pin the newest record with id <= max_id and timestamp <= ts. Sets *rcp to 0 and returns
 *     NULL when no checkpoint that old was ever taken (stable is empty at ts), or to EINVAL when
 *     the records that old were already dropped.
 */
lt_ckpt *
__lt_ckpt_pin_for_ts(lt_cluster *cl, uint64_t max_id, uint64_t ts, int *rcp)
{
    lt_ckpt *ck, *best;

    *rcp = 0;
    best = NULL;
    __lt_mutex_lock(cl, &cl->ckpt_lock, -1);
    for (ck = cl->ckpts; ck != NULL && ck->id <= max_id; ck = ck->next)
        if (ck->ts <= ts)
            best = ck;
    if (best != NULL)
        best->pins++;
    else if (cl->ckpts != NULL && cl->ckpts->id > 1)
        *rcp = EINVAL; /* older checkpoints existed and were dropped */
    __lt_mutex_unlock(&cl->ckpt_lock);
    return (best);
}

void
__lt_ckpt_unpin(lt_cluster *cl, lt_ckpt *ck)
{
    if (ck == NULL)
        return;
    __lt_mutex_lock(cl, &cl->ckpt_lock, -1);
    ck->pins--;
    __lt_mutex_unlock(&cl->ckpt_lock);
}

lt_stable *
__lt_ckpt_stable_for(lt_ckpt *ck, const char *name)
{
    int i;

    for (i = 0; i < ck->ntables; i++)
        if (strcmp(ck->tables[i].name, name) == 0)
            return (ck->tables[i].stable);
    return (NULL);
}

bool
__lt_ckpt_has(const lt_ckpt *ck, const lt_stable *st)
{
    int i;

    if (ck == NULL || st == NULL)
        return (false);
    for (i = 0; i < ck->ntables; i++)
        if (ck->tables[i].stable == st)
            return (true);
    return (false);
}

/*
 * __lt_entry_cut --
 *     The timestamp at or below which an entry's ingest versions are already in its stable
 *     incarnation st: st's high-water mark, the newest ingest timestamp it holds (held: a leader
 *     commit's, a drained version's own). Every leader commit to st is in the shared table, so a
 *     replayed copy at or below the mark must not be applied again. A checkpoint's timestamp is no
 *     bound: a follower's own write (a truncate it applied from its log before the leader did) can
 *     be older than a checkpoint the leader took before making that write, and only the drain can
 *     bring it to stable. Nor is the timestamp a drain wrote a version at (its floor, hw): another
 *     follower's own writes below it are in no stable yet.
 */
uint64_t
__lt_entry_cut(lt_stable *st)
{
    /* Acquire, paired with __lt_ts_max's release: the commit that set the mark is seen too. */
    return (st == NULL ? 0 : atomic_load_explicit(&st->held, memory_order_acquire));
}

static void
lt_ckpt_free(lt_cluster *cl, lt_ckpt *ck)
{
    int i;

    for (i = 0; i < ck->ntables; i++)
        __lt_stable_unref(cl, ck->tables[i].stable);
    free(ck->tables);
    free(ck);
}

void
__lt_ckpt_free_all(lt_cluster *cl)
{
    lt_ckpt *ck, *next;

    __lt_mutex_lock(cl, &cl->ckpt_lock, -1);
    ck = cl->ckpts;
    cl->ckpts = NULL;
    __lt_ckdrop_free_locked(cl); /* the connection's close discards what was not dropped */
    __lt_mutex_unlock(&cl->ckpt_lock);
    for (; ck != NULL; ck = next) {
        next = ck->next;
        lt_ckpt_free(cl, ck);
    }
}

/* Move a node's pinned view to record ck, pinned by the caller (node.transition_lock held). */
static void
lt_node_set_view(lt_node *n, lt_ckpt *ck)
{
    lt_cluster *cl = n->cl;
    lt_ckpt *old;
    lt_state st;

    st = *__lt_state_owned(n);
    st.ckpt_id = ck->id;
    st.ckpt_ts = ck->ts;
    __lt_mutex_lock(cl, &cl->ckpt_lock, -1);
    old = n->view;
    n->view = ck;
    __lt_ts_raise_stable_locked(n, ck->ts);
    __lt_mutex_unlock(&cl->ckpt_lock);
    __lt_state_publish(cl, n, &st);
    __lt_ckpt_unpin(cl, old);
}

int
lt_checkpoint(lt_cluster *cl, int node, uint64_t ts, uint64_t *idp)
{
    __lt_api_enter();
    return (__lt_checkpoint_run(cl, node, ts, idp, true));
}

int
__lt_checkpoint_run(lt_cluster *cl, int node, uint64_t ts, uint64_t *idp, bool recheck)
{
    WT_SESSION *wt;
    const lt_state *nst;
    lt_ckpt *ck, **ckp;
    lt_entry *e;
    lt_node *n;
    uint64_t stable_ts;
    int i, rc;
    bool unlocked;

    if ((n = __lt_node(cl, node)) == NULL)
        return (__lt_err(cl, EINVAL, "checkpoint: no node %d", node));
    LT_WTF_REFUSE(cl, "checkpoint");
    unlocked = false;
    if ((rc = __lt_wt_open_session(cl, &wt)) != 0)
        return (rc);
    ck = NULL;
    __lt_mutex_lock(cl, &n->transition_lock, node);
    /*
     * The tables are the leader's catalogue when the checkpoint begins, each stable object
     * referenced by the record: a table dropped while the checkpoint runs is still in it, as in
     * upstream's checkpoint, which keeps the tables it started with (the reference keeps the
     * dropped table's stable object until the record goes).
     */
    if ((ck = calloc(1, sizeof(*ck))) == NULL) {
        rc = __lt_err(cl, ENOMEM, "checkpoint on node %d: out of memory", node);
        goto err;
    }
    __lt_mutex_lock(cl, &n->catalog_lock, node);
    for (e = n->entries; e != NULL; e = e->next)
        ck->ntables++;
    ck->tables = calloc((size_t)ck->ntables + 1, sizeof(*ck->tables));
    i = 0;
    for (e = n->entries; ck->tables != NULL && e != NULL; e = e->next) {
        if (e->stable == NULL)
            continue;
        (void)snprintf(ck->tables[i].name, sizeof(ck->tables[i].name), "%s", e->name);
        ck->tables[i].stable = e->stable;
        __lt_stable_ref(cl, e->stable);
        i++;
    }
    ck->ntables = i;
    ck->at = atomic_load_explicit(&cl->inc_next, memory_order_relaxed);
    __lt_mutex_unlock(&n->catalog_lock);
    if (ck->tables == NULL) {
        rc = __lt_err(cl, ENOMEM, "checkpoint on node %d: out of memory", node);
        goto err;
    }
    LT_YIELD(cl, "checkpoint.begin", node);
    nst = __lt_state_owned(n);
    if (recheck && (nst->role != LT_LEADER || nst->transition != LT_TR_NONE)) {
        rc = __lt_err(cl, EINVAL,
          "checkpoint on node %d: only a leader outside a transition "
          "publishes checkpoints (the node is a %s)",
          node, lt_role_name(nst->role));
        goto err;
    }
    /* Acquire, paired with __lt_ts_max's release: the newest commit seen is committed. */
    if (ts == 0)
        ts = atomic_load_explicit(&cl->max_commit_ts, memory_order_acquire);
    __lt_mutex_lock(cl, &cl->ckpt_lock, -1);
    stable_ts = cl->ckpt_ts;
    __lt_mutex_unlock(&cl->ckpt_lock);
    if (ts < stable_ts || ts == 0) {
        rc = __lt_err(cl, EINVAL,
          "checkpoint on node %d: timestamp %" PRIu64
          " is not above the last checkpoint's %" PRIu64,
          node, ts, stable_ts);
        goto err;
    }
    /* Defect: the role was checked; a step-down may run until the record is published. */
    if (LT_FAULT(cl, LT_FAULT_CKPT_UNLOCKED)) {
        __lt_mutex_unlock(&n->transition_lock);
        unlocked = true;
    }

    if ((rc = __lt_ts_window_open(cl, node, ts)) != 0) {
        rc = __lt_err(cl, rc, "checkpoint on node %d: cannot set the stable timestamp to %" PRIu64,
          node, ts);
        goto err;
    }
    __lt_mutex_lock(cl, &cl->ckpt_lock, -1);
    cl->ckpt_ts = ts;
    ck->id = ++cl->ckpt_next;
    __lt_mutex_unlock(&cl->ckpt_lock);
    ck->ts = ts;
    (void)snprintf(ck->wt_name, sizeof(ck->wt_name), "layered.%" PRIu64, ck->id);
    rc = ck->ntables > 0 ? __lt_ckdrop_checkpoint(cl, wt, ck) : 0;
    __lt_ts_window_close(cl);
    if (rc != 0 && LT_FAULT(cl, LT_FAULT_WTF_IGNORED) && rc == lt_wtfault_last())
        rc = 0; /* the test-only defect: a checkpoint WiredTiger refused is published */
    if (rc != 0) {
        rc = __lt_err(cl, rc, "checkpoint %" PRIu64 " on node %d failed: %s", ck->id, node,
          wiredtiger_strerror(rc));
        goto err;
    }
    /* Durable before it is published: a kill after the return never loses it (meta.c). */
    if ((rc = __lt_meta_publish(cl, wt, ck)) != 0)
        goto err;
    ck->pins = 1; /* the publishing leader's view */
    LT_YIELD(cl, "checkpoint.before_publish", node);
    if (unlocked) {
        __lt_mutex_lock(cl, &n->transition_lock, node);
        unlocked = false;
    }
    __lt_mutex_lock(cl, &cl->ckpt_lock, -1);
    for (ckp = &cl->ckpts; *ckp != NULL; ckp = &(*ckp)->next)
        ;
    *ckp = ck;
    __lt_mutex_unlock(&cl->ckpt_lock);
    LT_YIELD(cl, "checkpoint.after_publish", node);
    lt_node_set_view(n, ck);
    __lt_node_event(n, LT_EV_CHECKPOINT, LT_OP_CHECKPOINT, NULL, ck->id, ts, (uint64_t)ck->ntables,
      0);
    if (idp != NULL)
        *idp = ck->id;
    ck = NULL;
    rc = 0;

err:
    if (!unlocked)
        __lt_mutex_unlock(&n->transition_lock);
    if (ck != NULL)
        lt_ckpt_free(cl, ck);
    if (rc == 0)
        __lt_maintain(cl, wt);
    (void)wt->close(wt, NULL);
    return (rc);
}

/* The newest record's id and timestamp (0 if none); either pointer may be NULL. */
static void
lt_ckpt_newest(lt_cluster *cl, uint64_t *idp, uint64_t *tsp)
{
    lt_ckpt *ck;

    __lt_mutex_lock(cl, &cl->ckpt_lock, -1);
    for (ck = cl->ckpts; ck != NULL && ck->next != NULL; ck = ck->next)
        ;
    if (idp != NULL)
        *idp = ck == NULL ? 0 : ck->id;
    if (tsp != NULL)
        *tsp = ck == NULL ? 0 : ck->ts;
    __lt_mutex_unlock(&cl->ckpt_lock);
}

int
lt_checkpoint_newest(lt_cluster *cl, uint64_t *idp, uint64_t *tsp)
{
    __lt_api_enter();
    if (!__lt_cluster_is_open(cl))
        return (__lt_err(NULL, EINVAL, "lt_checkpoint_newest: the cluster is not open"));
    lt_ckpt_newest(cl, idp, tsp);
    return (0);
}

/* Upstream's pickup (test-only): a table is bound by its name, whatever incarnation it is. */
#define lt_stale_bind(cl) LT_FAULT(cl, LT_FAULT_PICKUP_STALE_BIND)

/*
 * lt_pickup_check_config_locked --
 *     Every table of the checkpoint the node would bind has the configuration the node's table
 *     was created with (node.catalog_lock held): a node never reads a table through a stable
 *     constituent made with other settings. EINVAL naming the first that differs.
 */
static int
lt_pickup_check_config_locked(lt_node *n, lt_ckpt *ck)
{
    lt_entry *e;
    lt_stable *st;
    int i;

    assert(__lt_mutex_held(&n->catalog_lock));
    for (i = 0; i < ck->ntables; i++) {
        st = ck->tables[i].stable;
        if ((e = __lt_entry_find_locked(n, ck->tables[i].name)) == NULL ||
          !__lt_life_binds(n->cl, e, st) || strcmp(e->cfg, st->cfg) == 0)
            continue;
        return (__lt_err(n->cl, EINVAL,
          "pickup of checkpoint %" PRIu64 " on node %d: table %s has configuration '%s' in the "
          "checkpoint, the node's was created with '%s'",
          ck->id, n->id, e->name, st->cfg, e->cfg));
    }
    return (0);
}

/*
 * __lt_pickup_locked --
 *     Move a node's view to checkpoint id, 0 the newest (node.transition_lock held). Internal
 *     pickups (step-up) run while the node is in transition.
 */
int
__lt_pickup_locked(lt_node *n, WT_SESSION *wt, uint64_t id, bool internal)
{
    lt_cluster *cl = n->cl;
    const lt_state *nst;
    lt_ckpt *ck;
    lt_entry *e;
    lt_stable *st;
    int i, rc;

    nst = __lt_state_owned(n); /* asserts the lock */
    if (!internal && (nst->role != LT_FOLLOWER || nst->transition != LT_TR_NONE))
        return (__lt_err(cl, EINVAL,
          "pickup on node %d: only a follower outside a transition "
          "picks up checkpoints",
          n->id));
    if (id == 0)
        lt_ckpt_newest(cl, &id, NULL);
    if (id == 0 || id == nst->ckpt_id)
        return (0);
    if (id < nst->ckpt_id)
        return (__lt_err(cl, EINVAL,
          "pickup on node %d: checkpoint %" PRIu64 " is older than the node's checkpoint %" PRIu64
          "; pickup never goes backwards",
          n->id, id, nst->ckpt_id));
    if ((ck = __lt_ckpt_pin(cl, id)) == NULL)
        return (__lt_err(cl, ENOENT, "pickup on node %d: no checkpoint %" PRIu64, n->id, id));
    LT_YIELD(cl, "pickup.begin", n->id);

    /* Tables in the checkpoint that the node lacks get their ingest constituent; bind others. */
    __lt_mutex_lock(cl, &n->catalog_lock, n->id);
    if ((rc = lt_pickup_check_config_locked(n, ck)) != 0) {
        __lt_mutex_unlock(&n->catalog_lock);
        __lt_ckpt_unpin(cl, ck);
        __lt_node_event(n, LT_EV_PICKUP, LT_OP_PICKUP, NULL, id, 0, 0, rc);
        return (rc);
    }
    for (i = 0; i < ck->ntables && rc == 0; i++) {
        st = ck->tables[i].stable;
        if ((e = __lt_entry_find_locked(n, ck->tables[i].name)) != NULL) {
            /*
             * The node follows the incarnation the leader's checkpoint names: the lineage moves
             * with leadership (a new leader may have made a new incarnation of a table the
             * previous one had not checkpointed yet, and drained its copy of the rows into it).
             * Never an incarnation as old as the node's last drop of the name: views of it would
             * serve rows of the dropped table (I7, docs/CONTRACT.md#i7). Views of older checkpoints
             * that name another incarnation no longer match the binding and read an empty stable.
             */
            if (e->stable != st && (__lt_life_binds(cl, e, st) || lt_stale_bind(cl))) {
                __lt_stable_ref(cl, st);
                if (e->stable != NULL)
                    __lt_stable_unref(cl, e->stable);
                e->stable = st;
                e->bind_ts = ck->ts;
            }
        } else if (st->born > __lt_drop_mark_locked(n, ck->tables[i].name) || lt_stale_bind(cl)) {
            __lt_stable_ref(cl, st);
            if ((rc = __lt_entry_add_locked(n, wt, ck->tables[i].name, st,
                   __lt_drop_mark_locked(n, ck->tables[i].name), NULL)) != 0)
                __lt_stable_unref(cl, st);
        }
    }
    if (!internal && rc == 0)
        n->replaying = false; /* the application replayed its log before it picks up */
    __lt_mutex_unlock(&n->catalog_lock);
    LT_YIELD(cl, "pickup.after_bind", n->id);
    if (rc != 0) {
        __lt_ckpt_unpin(cl, ck);
        return (rc);
    }
    lt_node_set_view(n, ck);
    __lt_epoch_bump_view(n);
    __lt_node_event(n, LT_EV_PICKUP, LT_OP_PICKUP, NULL, ck->id, ck->ts, 0, 0);
    return (0);
}

int
lt_pickup(lt_cluster *cl, int node, uint64_t id)
{
    WT_SESSION *wt;
    lt_node *n;
    int rc;

    __lt_api_enter();
    if ((n = __lt_node(cl, node)) == NULL)
        return (__lt_err(cl, EINVAL, "pickup: no node %d", node));
    LT_WTF_REFUSE(cl, "pickup");
    if ((rc = __lt_wt_open_session(cl, &wt)) != 0)
        return (rc);
    __lt_mutex_lock(cl, &n->transition_lock, node);
    rc = __lt_pickup_locked(n, wt, id, false);
    __lt_mutex_unlock(&n->transition_lock);
    if (rc == 0)
        __lt_maintain(cl, wt);
    (void)wt->close(wt, NULL);
    return (rc);
}

/*
 * lt_retain_from_locked --
 *     The lowest record id some node may still read or pick up (cluster.ckpt_lock held). Node n
 *     reads records from L(n), the newest it has picked up at or below its oldest timestamp (a
 *     read timestamp is at least that), to its view, and may pick up any newer one; a node with no
 *     such record (nothing picked up, or no oldest timestamp) holds every record. Pinned records
 *     are kept besides.
 */
static uint64_t
lt_retain_from_locked(lt_cluster *cl)
{
    lt_ckpt *ck;
    lt_node *n;
    uint64_t from, l, picked;
    int i;

    from = UINT64_MAX;
    for (i = 0; i < cl->nnodes; i++) {
        n = &cl->nodes[i];
        picked = n->view == NULL ? 0 : n->view->id;
        l = 0;
        for (ck = cl->ckpts; ck != NULL && ck->id <= picked; ck = ck->next)
            if (ck->ts <= n->oldest_ts)
                l = ck->id;
        if (l < from)
            from = l;
    }
    return (from);
}

/*
 * __lt_maintain --
 *     Move the nodes' oldest timestamps (auto mode) and WiredTiger's (lt_ts.h), drop the
 *     checkpoint records no node can read or pick up any more, and retry queued table drops.
 */
void
__lt_maintain(lt_cluster *cl, WT_SESSION *wt)
{
    lt_ckpt *ck, *next, **ckp, *dead;
    uint64_t from;
    char cfg[512];
    int i;
    bool queued;

    __lt_mutex_lock(cl, &cl->ckpt_lock, -1);
    __lt_ts_oldest_locked(cl);
    from = lt_retain_from_locked(cl);
    dead = NULL;
    for (ckp = &cl->ckpts; *ckp != NULL && (*ckp)->id < from;) {
        ck = *ckp;
        if (ck->pins == 0) {
            *ckp = ck->next;
            ck->next = dead;
            dead = ck;
        } else
            ckp = &ck->next;
    }
    __lt_mutex_unlock(&cl->ckpt_lock);

    for (ck = dead; ck != NULL; ck = next) {
        next = ck->next;
        for (i = 0; i < ck->ntables; i++) {
            __lt_mutex_lock(cl, &cl->ckpt_lock, -1);
            queued = __lt_ckdrop_add_locked(cl, ck->wt_name, ck->tables[i].stable->uri);
            __lt_mutex_unlock(&cl->ckpt_lock);
            if (queued)
                continue;
            (void)snprintf(cfg, sizeof(cfg), "drop=(%s),target=(\"%s\")", ck->wt_name,
              ck->tables[i].stable->uri);
            (void)wt->checkpoint(wt, cfg); /* busy: WiredTiger keeps it; harmless */
        }
        lt_ckpt_free(cl, ck);
    }
    __lt_ckdrop_flush(cl, wt);
    __lt_process_drops(cl, wt);
}
