/*
 * transition.c -- step-up (with the ingest drain) and step-down.
 *
 * Both run under node.transition_lock and cluster.role_lock (one transition at a time in the
 * cluster) and inside the Role Transition Isolation hook (hook.c). The drain walks a snapshot of
 * the node's catalogue without holding references, as upstream does: it relies on the hook to
 * keep schema operations out. With policy off a concurrent drop frees an entry under it (race
 * class 1). The steps and their windows: docs/CONTRACT.md#windows.
 */
#include <time.h>

#include "lt_bg.h"
#include "lt_ts.h"
#include "lt_wtfault.h"

typedef struct {
    uint64_t ts;
    size_t koff, klen, voff, vlen;
    bool tomb;
    size_t order;
} lt_version;

static int
lt_version_cmp(const void *a, const void *b)
{
    const lt_version *x = a, *y = b;

    if (x->ts != y->ts)
        return (x->ts < y->ts ? -1 : 1);
    return (x->order < y->order ? -1 : x->order > y->order ? 1 : 0);
}

/*
 * A drained ingest of at least this many rows is emptied by replacing its table with a new,
 * empty one (two metadata operations) rather than removing every row (measured: removing 100k
 * rows costs about half of writing them).
 */
#define LT_SWAP_ROWS 4096
/* A drain batch or emptying that meets a write conflict is redone, 1 ms apart, at most this often.
 */
#define LT_DRAIN_RETRIES 2000

/*
 * lt_empty_swap --
 *     Give the entry a new, empty ingest table and drop the old one, node.transition_lock held
 *     (queued while a cursor still has it open). Rows of in-flight transactions go with the old
 *     table: those transactions are doomed, their generation is gone.
 */
static int
lt_empty_swap(lt_node *n, WT_SESSION *wt, lt_entry *e, const char *old_uri)
{
    lt_cluster *cl = n->cl;
    char uri[LT_URI_MAX], old[LT_URI_MAX + 1];
    uint64_t inc;
    int rc;

    assert(__lt_mutex_held(&n->transition_lock)); /* with catalog_lock, for inc and ingest_uri */
    inc = __lt_next_id(cl);
    (void)snprintf(uri, sizeof(uri), "table:layered.%s.n%d.i%" PRIu64, e->name, n->id, inc);
    if ((rc = LT_WT(cl, "drain.swap_create", wt->create(wt, uri, __lt_table_config()))) != 0)
        return (rc);
    __lt_mutex_lock(cl, &n->catalog_lock, n->id);
    (void)snprintf(e->ingest_uri, sizeof(e->ingest_uri), "%s", uri);
    e->inc = inc;
    __lt_mutex_unlock(&n->catalog_lock);
    /* Unforced ("?uri", lt_restart.h): a doomed transaction's uncommitted rows in the old table
     * must outlive its rollback; WiredTiger says EBUSY until it is gone, and the drop is queued. */
    (void)snprintf(old, sizeof(old), "?%s", old_uri);
    __lt_drop_uri(cl, wt, old);
    return (0);
}

/* Remove every visible row, walking the cursor (the fast way). */
static int
lt_empty_walk(WT_SESSION *wt, WT_CURSOR *ic)
{
    int batch, rc;
    bool txn;

    batch = 0;
    txn = false;
    rc = 0;
    (void)ic->reset(ic);
    for (;;) {
        if (!txn) {
            if ((rc = wt->begin_transaction(wt, NULL)) != 0)
                return (rc);
            txn = true;
        }
        if ((rc = ic->next(ic)) != 0 || (rc = ic->remove(ic)) != 0)
            break;
        if (++batch == 1000) {
            txn = false;
            batch = 0;
            if ((rc = wt->commit_transaction(wt, NULL)) != 0) /* resets: the walk restarts */
                return (rc);
        }
    }
    if (rc == WT_NOTFOUND)
        return (wt->commit_transaction(wt, NULL));
    (void)wt->rollback_transaction(wt, NULL);
    return (rc);
}

/* Remove the rows the drain read, one by one. */
static int
lt_empty_keys(WT_SESSION *wt, WT_CURSOR *ic, const char *arena, const lt_version *vers,
  size_t nvers)
{
    WT_ITEM k;
    size_t i;
    int rc;

    if ((rc = wt->begin_transaction(wt, NULL)) != 0)
        return (rc);
    for (i = 0; i < nvers && rc == 0; i++) {
        memset(&k, 0, sizeof(k));
        k.data = arena + vers[i].koff;
        k.size = vers[i].klen;
        ic->set_key(ic, &k);
        if ((rc = ic->remove(ic)) == WT_NOTFOUND)
            rc = 0;
    }
    if (rc == 0)
        return (wt->commit_transaction(wt, NULL));
    (void)wt->rollback_transaction(wt, NULL);
    return (rc);
}

/*
 * __lt_drain_entry --
 *     Move one entry's committed ingest versions above its cut (__lt_entry_cut) into stable,
 *     each at its own commit timestamp and in timestamp order (tombstones become removes), then
 *     remove every ingest row the drain saw (node.transition_lock held). Rows of transactions
 *     still in flight are invisible here; those transactions roll back at their next operation
 *     (their generation is gone), so nothing is stranded.
 */
int
__lt_drain_entry(lt_node *n, WT_SESSION *wt, lt_entry *e, uint64_t *movedp)
{
    lt_cluster *cl = n->cl;
    WT_CURSOR *ic, *sc;
    WT_ITEM k, v;
    lt_version *vers, *ver;
    char *arena, ingest_uri[LT_URI_MAX], stable_uri[LT_URI_MAX], name[LT_NAME_MAX + 1], buf[64];
    size_t nvers, capvers, used, cap, klen, i;
    lt_stable *st;
    uint64_t ts, cur_ts, cut, floor, hw, moved0;
    size_t first;
    bool txn;
    int rc, batch, retries;

    assert(__lt_mutex_held(&n->transition_lock));
    *movedp = 0;
    /* The unreferenced reads of the entry: a use after free with policy off. */
    (void)snprintf(name, sizeof(name), "%s", e->name);
    (void)snprintf(ingest_uri, sizeof(ingest_uri), "%s", e->ingest_uri);
    __lt_mutex_lock(cl, &n->catalog_lock, n->id);
    if ((st = e->stable) != NULL)
        (void)snprintf(stable_uri, sizeof(stable_uri), "%s", st->uri);
    else
        stable_uri[0] = '\0';
    __lt_mutex_unlock(&n->catalog_lock);
    /* Versions at or below the cut are in this stable incarnation already. */
    cut = __lt_entry_cut(st);
    if (stable_uri[0] == '\0')
        return (
          __lt_err(cl, ENOENT, "drain of table %s on node %d: no stable constituent", name, n->id));

    vers = NULL;
    arena = NULL;
    nvers = capvers = used = cap = 0;
    ic = sc = NULL;
    if ((rc = LT_WT(cl, "drain.open_ingest", wt->open_cursor(wt, ingest_uri, NULL, NULL, &ic))) !=
      0) {
        rc = __lt_err(cl, rc, "drain of table %s on node %d: cannot open ingest '%s': %s", name,
          n->id, ingest_uri, wiredtiger_strerror(rc));
        goto err;
    }
    /* Prepared rows belong to transactions that will roll back: the read ignores them. */
    if ((rc = LT_WT(cl, "drain.read_begin", wt->begin_transaction(wt, "ignore_prepare=true"))) != 0)
        goto err;
    while ((rc = LT_WT(cl, "drain.read_next", ic->next(ic))) == 0) {
        if ((rc = ic->get_key(ic, &k)) != 0 || (rc = ic->get_value(ic, &v)) != 0)
            break;
        if (!__lt_ing_decode_key(&k, &klen, &ts) || v.size < 1) {
            rc =
              __lt_err(cl, EINVAL, "drain of table %s on node %d: corrupt ingest row", name, n->id);
            break;
        }
        if (nvers == capvers) {
            capvers = capvers == 0 ? 1024 : capvers * 2;
            if ((ver = realloc(vers, capvers * sizeof(*vers))) == NULL) {
                rc = ENOMEM;
                break;
            }
            vers = ver;
        }
        if (__lt_buf_reserve(&arena, &cap, used + k.size + v.size) != 0) {
            rc = ENOMEM;
            break;
        }
        ver = &vers[nvers];
        ver->ts = ts;
        ver->order = nvers++;
        ver->koff = used;
        ver->klen = k.size;
        memcpy(arena + used, k.data, k.size);
        used += k.size;
        ver->tomb = ((const char *)v.data)[0] == 'T';
        ver->voff = used;
        ver->vlen = v.size - 1;
        memcpy(arena + used, (const char *)v.data + 1, v.size - 1);
        used += v.size - 1;
    }
    if (rc == WT_NOTFOUND)
        rc = 0;
    (void)wt->rollback_transaction(wt, NULL);
    if (rc != 0)
        goto err;
    LT_YIELD(cl, "drain.before_write", n->id);

    /* Into stable, oldest first (a transaction's commit timestamps may only grow). */
    if (nvers > 1)
        qsort(vers, nvers, sizeof(*vers), lt_version_cmp);
    if ((rc = LT_WT(cl, "drain.open_stable", wt->open_cursor(wt, stable_uri, NULL, NULL, &sc))) !=
      0) {
        rc = __lt_err(cl, rc, "drain of table %s on node %d: cannot open stable: %s", name, n->id,
          wiredtiger_strerror(rc));
        goto err;
    }
    /*
     * The node refuses commit timestamps below its stable timestamp. Versions that old and
     * still above the cut belong to a table no checkpoint holds (a stable incarnation made by
     * this step-up) or are the node's own writes that no leader made (a truncate it applied
     * before the leader did): they are written at the stable timestamp, oldest first. Nor below
     * what an earlier drain wrote at its floor (hw above the cut): never older after newer.
     */
    floor = __lt_ts_floor(n);
    if ((hw = atomic_load_explicit(&st->hw, memory_order_acquire)) > floor)
        floor = hw;
    batch = 0;
    cur_ts = 0;
    txn = false;
    first = moved0 = 0;
    retries = 0;
    for (i = 0; i < nvers && rc == 0; i++) {
        ver = &vers[i];
        if (ver->ts <= cut)
            continue;
        if (!txn) {
            if ((rc = LT_WT(cl, "drain.write_begin", wt->begin_transaction(wt, NULL))) != 0)
                break;
            txn = true;
            first = i;
            moved0 = *movedp;
        }
        ts = ver->ts < floor ? floor : ver->ts;
        if (ts != cur_ts) {
            (void)snprintf(buf, sizeof(buf), "commit_timestamp=%" PRIx64, ts);
            if ((rc = LT_WT(cl, "drain.timestamp", wt->timestamp_transaction(wt, buf))) != 0)
                break;
            cur_ts = ts;
        }
        memset(&k, 0, sizeof(k));
        k.data = arena + ver->koff;
        k.size = ver->klen - 8; /* the user key and its NUL */
        sc->set_key(sc, &k);
        if (ver->tomb) {
            if ((rc = LT_WT(cl, "drain.remove", sc->remove(sc))) == WT_NOTFOUND)
                rc = 0;
        } else {
            memset(&v, 0, sizeof(v));
            v.data = arena + ver->voff;
            v.size = ver->vlen;
            sc->set_value(sc, &v);
            rc = LT_WT(cl, "drain.insert", sc->insert(sc));
        }
        if (rc == WT_ROLLBACK && retries++ < LT_DRAIN_RETRIES) {
            /*
             * A write conflict: a transaction of the previous leader still holds uncommitted
             * writes to this stable table (its role generation is gone, so it can only roll back,
             * but it has not yet). Undo this batch and redo it once that has happened.
             */
            (void)wt->rollback_transaction(wt, NULL);
            txn = false;
            batch = 0;
            cur_ts = 0;
            *movedp = moved0;
            rc = 0;
            __lt_sleep_ns(1000000, "drain.retry");
            i = first - 1; /* the loop's increment brings it back to the batch's first version */
            continue;
        }
        (*movedp)++;
        if (rc == 0 && ++batch == 1000) {
            txn = false;
            rc = LT_WT_COMMIT(cl, "drain.commit", wt, NULL);
            batch = 0;
            cur_ts = 0;
        }
    }
    if (txn) {
        if (rc == 0)
            rc = LT_WT_COMMIT(cl, "drain.commit", wt, NULL);
        else
            (void)wt->rollback_transaction(wt, NULL);
    }
    if (rc != 0) {
        rc = __lt_err(cl, rc, "drain of table %s on node %d: writing stable failed: %s", name,
          n->id, wiredtiger_strerror(rc));
        goto err;
    }
    if (*movedp != 0) {
        __lt_ts_max(&st->hw, vers[nvers - 1].ts < floor ? floor : vers[nvers - 1].ts);
        __lt_ts_max(&st->held, vers[nvers - 1].ts); /* what other nodes' copies carry */
        __lt_ts_max(&cl->max_commit_ts, vers[nvers - 1].ts);
    }

    /*
     * Empty the ingest: every committed row is now in stable or in the checkpoint. No new one can
     * appear: writes are refused during the transition and older writers' generation is gone.
     * Rows of transactions still in flight are invisible to the walk and never touched.
     */
    if (nvers >= LT_SWAP_ROWS) {
        (void)ic->close(ic);
        ic = NULL;
        rc = lt_empty_swap(n, wt, e, ingest_uri);
    } else
        for (retries = 0;; retries++) {
            if ((rc = lt_empty_walk(wt, ic)) == WT_PREPARE_CONFLICT) /* remove the rows seen */
                rc = lt_empty_keys(wt, ic, arena, vers, nvers);
            /*
             * A write conflict: an in-flight transaction updated a committed ingest row. Its
             * generation is gone, so it rolls back at its next operation: retry, 1 ms apart,
             * rather than stop the step-up half-done after its flip (upstream panicked here).
             */
            if (rc != WT_ROLLBACK || retries >= LT_DRAIN_RETRIES ||
              LT_FAULT(cl, LT_FAULT_DRAIN_CONFLICT))
                break;
            LT_YIELD(cl, "drain.empty_conflict", n->id);
            __lt_sleep_ns(1000000, "drain.retry");
        }
    if (rc != 0)
        rc = __lt_err(cl, rc, "drain of table %s on node %d: emptying ingest failed: %s", name,
          n->id, wiredtiger_strerror(rc));

err:
    if (sc != NULL)
        (void)sc->close(sc);
    if (ic != NULL)
        (void)ic->close(ic);
    free(vers);
    free(arena);
    return (rc);
}

int
lt_step_up(lt_cluster *cl, int node)
{
    WT_SESSION *wt;
    lt_entry **list, *e;
    lt_stable *st;
    lt_state ns;
    lt_node *n;
    uint64_t start, moved;
    unsigned held;
    int i, cnt, made, rc;
    bool idle;

    __lt_api_enter();
    if ((n = __lt_node(cl, node)) == NULL)
        return (__lt_err(cl, EINVAL, "step-up: no node %d", node));
    LT_WTF_REFUSE(cl, "step-up");
    made = 0;
    if ((rc = __lt_wt_open_session(cl, &wt)) != 0)
        return (rc);
    list = NULL;
    __lt_mutex_lock(cl, &n->transition_lock, node);
    __lt_mutex_lock(cl, &cl->role_lock, -1);
    if (__lt_state_owned(n)->role == LT_LEADER) {
        rc = __lt_err(cl, EINVAL, "step-up of node %d: the node is already the leader", node);
        goto unlock;
    }
    if (cl->leader >= 0) {
        rc = __lt_err(cl, EBUSY,
          "step-up of node %d: node %d is the leader; step it down "
          "first",
          node, cl->leader);
        goto unlock;
    }
    start = __lt_now_ns();
    held = __lt_sx_transition_enter(n, LT_TR_STEP_UP); /* policy boundary: the schema lock */
    __lt_transition_begin(n, LT_TR_STEP_UP, LT_OP_STEP_UP);
    LT_YIELD(cl, "stepup.begin", node);

    if ((rc = __lt_pickup_locked(n, wt, 0, true)) != 0)
        goto end;

    /* The flip: every operation that saw the old generation is gone when this returns. */
    ns = *__lt_state_owned(n);
    ns.role = LT_LEADER;
    ns.generation++;
    __lt_state_publish(cl, n, &ns);
    __lt_bg_role(cl, node, LT_LEADER);
    cl->leader = node;
    __lt_sx_new_era(n);
    __lt_node_event(n, LT_EV_TRANSITION_FLIP, LT_OP_STEP_UP, NULL, 0, 0, 0, 0);
    LT_YIELD(cl, "stepup.after_flip", node);

    /* A snapshot of the catalogue's entries, without references (see the file comment). */
    __lt_mutex_lock(cl, &n->catalog_lock, node);
    n->replaying = false; /* a leader serves: the application replayed its log before */
    for (cnt = 0, e = n->entries; e != NULL; e = e->next)
        cnt++;
    if ((list = calloc((size_t)cnt + 1, sizeof(*list))) != NULL)
        for (cnt = 0, e = n->entries; e != NULL; e = e->next)
            list[cnt++] = e;
    __lt_mutex_unlock(&n->catalog_lock);
    if (list == NULL) {
        rc = __lt_err(cl, ENOMEM, "step-up of node %d: out of memory", node);
        goto end;
    }

    for (i = 0; i < cnt && rc == 0; i++) {
        e = list[i];
        LT_YIELD(cl, "stepup.create_stable", node);
        __lt_mutex_lock(cl, &n->catalog_lock, node);
        st = e->stable;
        __lt_mutex_unlock(&n->catalog_lock);
        if (st != NULL)
            continue;
        /* The life a leader began for this create, or a new one with the entry's create-time
         * configuration (upstream's defect rebuilt it with defaults). */
        if ((st = __lt_stable_adopt(cl, e)) == NULL &&
          (rc = __lt_stable_create(cl, wt, e->name, e->born,
             LT_FAULT(cl, LT_FAULT_STABLE_NO_CONFIG) ? "" : e->cfg, &st)) != 0)
            break;
        made++;
        __lt_mutex_lock(cl, &n->catalog_lock, node);
        if (e->stable == NULL) {
            e->stable = st;
            st = NULL;
        }
        __lt_mutex_unlock(&n->catalog_lock);
        if (st != NULL)
            __lt_stable_unref(cl, st);
    }
    /* A read that began before a stable constituent existed reads the ingest alone: it ends
     * before the drain empties that ingest (cursor.c). */
    if (made != 0 && rc == 0)
        __lt_grace_wait(cl, node);
    for (i = 0; i < cnt && rc == 0; i++) {
        e = list[i];
        LT_YIELD(cl, "drain.entry", node);
        if (LT_FAULT(cl, LT_FAULT_DRAIN_OPEN_ONLY)) { /* defect: drain only what has a handle */
            __lt_mutex_lock(cl, &n->catalog_lock, node);
            idle = e->cursors == 0;
            __lt_mutex_unlock(&n->catalog_lock);
            if (idle)
                continue;
        }
        rc = __lt_drain_entry(n, wt, e, &moved);
        __lt_node_event(n, LT_EV_DRAIN_TABLE, LT_OP_STEP_UP, rc == 0 ? e->name : NULL, 0, 0, moved,
          rc);
    }
    /* A failed stable create or drain (storage errors): the node goes back to following, its
     * ingest kept for a later step-up; the drain's writes to stable are idempotent. */
    if (rc != 0 && !LT_FAULT(cl, LT_FAULT_WTF_IGNORED)) {
        ns = *__lt_state_owned(n);
        ns.role = LT_FOLLOWER;
        ns.generation++;
        __lt_state_publish(cl, n, &ns);
        cl->leader = -1;
    }
    __lt_epoch_bump_view(n);
    LT_YIELD(cl, "stepup.end", node);

end:
    __lt_transition_end(n, LT_OP_STEP_UP, rc, start);
    __lt_sx_transition_exit(n, held);
unlock:
    __lt_mutex_unlock(&cl->role_lock);
    __lt_mutex_unlock(&n->transition_lock);
    free(list);
    __lt_maintain(cl, wt);
    (void)wt->close(wt, NULL);
    return (rc);
}

int
lt_step_down(lt_cluster *cl, int node)
{
    lt_state ns;
    lt_node *n;
    uint64_t start;
    unsigned held;
    int rc;

    __lt_api_enter();
    if ((n = __lt_node(cl, node)) == NULL)
        return (__lt_err(cl, EINVAL, "step-down: no node %d", node));
    LT_WTF_REFUSE(cl, "step-down");
    rc = 0;
    __lt_mutex_lock(cl, &n->transition_lock, node);
    __lt_mutex_lock(cl, &cl->role_lock, -1);
    if (__lt_state_owned(n)->role != LT_LEADER) {
        rc = __lt_err(cl, EINVAL, "step-down of node %d: the node is not the leader", node);
        goto unlock;
    }
    start = __lt_now_ns();
    held = __lt_sx_transition_enter(n, LT_TR_STEP_DOWN); /* policy upstream: the schema lock */
    __lt_transition_begin(n, LT_TR_STEP_DOWN, LT_OP_STEP_DOWN);
    LT_YIELD(cl, "stepdown.begin", node);
    /*
     * The boundary: a new schema epoch and the step-down timestamp, under the schema lock, and
     * the leader's metadata queue emptied. Under policy boundary schema operations run from here
     * on, each wholly on one side of it.
     */
    __lt_sx_boundary(n, held);
    LT_YIELD(cl, "stepdown.after_boundary", node);
    ns = *__lt_state_owned(n);
    ns.role = LT_FOLLOWER;
    ns.generation++;
    __lt_state_publish(cl, n, &ns);
    __lt_bg_role(cl, node, LT_FOLLOWER);
    cl->leader = -1;
    __lt_node_event(n, LT_EV_TRANSITION_FLIP, LT_OP_STEP_DOWN, NULL, 0, 0, 0, 0);
    LT_YIELD(cl, "stepdown.after_flip", node);
    __lt_epoch_bump_view(n);
    __lt_transition_end(n, LT_OP_STEP_DOWN, 0, start);
    __lt_sx_transition_exit(n, held);
unlock:
    __lt_mutex_unlock(&cl->role_lock);
    __lt_mutex_unlock(&n->transition_lock);
    return (rc);
}
