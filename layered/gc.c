/*
 * gc.c -- ingest garbage collection: removing the ingest versions that every reader can get
 * from a checkpoint instead (I6, docs/CONTRACT.md#i6).
 */
#include "lt_wtfault.h"

/*
 * lt_gc_bound --
 *     The newest timestamp at or below which node n's ingest versions are redundant: every view
 *     a reader on the node can still choose has its cut at or above it (I6). A new reader's read
 *     timestamp is at least the node's own oldest timestamp, so its checkpoint is no older than the
 * newest one at or below the oldest timestamp that the node has picked up; a pinned view keeps its
 *     own checkpoint.
 */
static uint64_t
lt_gc_bound(lt_cluster *cl, lt_node *n)
{
    lt_ckpt *ck;
    uint64_t bound, picked, m;

    __lt_mutex_lock(cl, &cl->ckpt_lock, -1);
    picked = n->view == NULL ? 0 : n->view->id;
    bound = 0;
    for (ck = cl->ckpts; ck != NULL && ck->id <= picked; ck = ck->next)
        if (ck->ts <= n->oldest_ts)
            bound = ck->ts;
    m = __lt_extra_pins_min_locked(cl);
    if (m < bound)
        bound = m;
    if (n->bare_views > 0) /* a held view from before any pickup reads the ingest alone */
        bound = 0;
    __lt_mutex_unlock(&cl->ckpt_lock);
    return (bound);
}

/*
 * lt_gc_entry_bound --
 *     The entry's own bound, at most the node's: 0 unless every checkpoint a reader on node n may
 *     still read (those kept, up to the node's own) holds the entry's stable incarnation (only
 *     then are its old ingest versions covered for readers), and never above the incarnation's
 *     high-water mark: a version above it is the node's own write that no leader made, which only
 *     the step-up drain can bring to stable (__lt_entry_cut).
 */
static uint64_t
lt_gc_entry_bound(lt_cluster *cl, lt_node *n, lt_entry *e, uint64_t bound)
{
    lt_ckpt *ck;
    lt_stable *st;
    uint64_t picked, hw;
    bool ok;

    __lt_mutex_lock(cl, &n->catalog_lock, n->id);
    st = e->stable;
    hw = st == NULL ? 0 : __lt_entry_cut(st);
    __lt_mutex_unlock(&n->catalog_lock);
    if (st == NULL)
        return (0);
    ok = true;
    __lt_mutex_lock(cl, &cl->ckpt_lock, -1);
    picked = n->view == NULL ? 0 : n->view->id;
    for (ck = cl->ckpts; ck != NULL && ck->id <= picked; ck = ck->next)
        if (!__lt_ckpt_has(ck, st))
            ok = false;
    __lt_mutex_unlock(&cl->ckpt_lock);
    if (!ok || picked == 0)
        return (0);
    return (hw < bound ? hw : bound);
}

/*
 * lt_gc --
 *     Ingest garbage collection on one node: remove the ingest versions at or below the node's
 *     GC bound (lt_gc_bound), lowered per entry (lt_gc_entry_bound). Every reader's view has its
 *     cut at or above it (I6): the checkpoint it reads holds them, and so does the stable table.
 */
int
lt_gc(lt_cluster *cl, int node, uint64_t *removedp)
{
    WT_SESSION *wt;
    WT_CURSOR *c;
    WT_ITEM k;
    lt_entry **list, *e;
    lt_node *n;
    uint64_t bound, ebound, ts, removed;
    size_t klen;
    int i, cnt, rc, batch;

    __lt_api_enter();
    if ((n = __lt_node(cl, node)) == NULL)
        return (__lt_err(cl, EINVAL, "gc: no node %d", node));
    LT_WTF_REFUSE(cl, "gc");
    if (removedp != NULL)
        *removedp = 0;
    if ((rc = __lt_wt_open_session(cl, &wt)) != 0)
        return (rc);
    __lt_maintain(cl, wt);
    removed = 0;
    list = NULL;
    cnt = 0;
    __lt_mutex_lock(cl, &n->transition_lock, node);
    bound = lt_gc_bound(cl, n);

    __lt_mutex_lock(cl, &n->catalog_lock, node);
    for (e = n->entries; e != NULL; e = e->next)
        cnt++;
    if ((list = calloc((size_t)cnt + 1, sizeof(*list))) != NULL)
        for (cnt = 0, e = n->entries; e != NULL; e = e->next) {
            /* Like an open cursor: a drop waits its turn (EBUSY), as WiredTiger cannot open a
             * cursor on a table that a concurrent drop is removing. */
            /* Upstream's walk (test-only): raw pointers, a drop may free one. */
            if (!LT_FAULT(cl, LT_FAULT_GC_NO_REF)) {
                e->refs++;
                e->cursors++;
            }
            list[cnt++] = e;
        }
    __lt_mutex_unlock(&n->catalog_lock);
    if (list == NULL) {
        rc = __lt_err(cl, ENOMEM, "gc on node %d: out of memory", node);
        goto done;
    }

    for (i = 0; i < cnt && bound > 0; i++) {
        e = list[i];
        LT_YIELD(cl, "gc.entry", node);
        if ((ebound = lt_gc_entry_bound(cl, n, e, bound)) == 0)
            continue; /* a view reads this table without a checkpoint, or nothing is covered */
        LT_YIELD(cl, "gc.after_pins", node);
        if ((rc = LT_WT(cl, "gc.open_cursor",
               wt->open_cursor(wt, e->ingest_uri, NULL, NULL, &c))) != 0) {
            rc = 0; /* dropped meanwhile */
            continue;
        }
        batch = 0;
        if ((rc = LT_WT(cl, "gc.begin", wt->begin_transaction(wt, NULL))) != 0)
            goto cursor;
        while ((rc = c->next(c)) == 0) {
            if ((rc = c->get_key(c, &k)) != 0)
                break;
            if (!__lt_ing_decode_key(&k, &klen, &ts) || ts > ebound)
                continue;
            if ((rc = LT_WT(cl, "gc.remove", c->remove(c))) != 0)
                break;
            removed++;
            if (++batch == 1000) {
                if ((rc = wt->commit_transaction(wt, NULL)) != 0 ||
                  (rc = wt->begin_transaction(wt, NULL)) != 0)
                    break;
                batch = 0;
            }
        }
        if (rc == WT_NOTFOUND)
            rc = 0;
        if (rc == 0)
            rc = LT_WT_COMMIT(cl, "gc.commit", wt, NULL);
        else
            (void)wt->rollback_transaction(wt, NULL);
cursor:
        (void)c->close(c);
        if (rc == WT_ROLLBACK || rc == WT_PREPARE_CONFLICT)
            rc = 0; /* a concurrent writer or prepared row: collect it next time */
        if (rc != 0) {
            rc = __lt_err(cl, rc, "gc of table %s on node %d failed: %s", e->name, node,
              wiredtiger_strerror(rc));
            break;
        }
    }
    __lt_epoch_bump_view(n);
    __lt_mutex_lock(cl, &n->catalog_lock, node);
    for (i = 0; i < cnt && !LT_FAULT(cl, LT_FAULT_GC_NO_REF); i++) {
        list[i]->cursors--;
        __lt_entry_unref_locked(n, list[i]);
    }
    __lt_mutex_unlock(&n->catalog_lock);
    free(list);

done:
    __lt_mutex_unlock(&n->transition_lock);
    __lt_node_event(n, LT_EV_GC, LT_OP_GC, NULL, 0, bound, removed, rc);
    if (removedp != NULL)
        *removedp = removed;
    __lt_maintain(cl, wt);
    (void)wt->close(wt, NULL);
    return (rc);
}
