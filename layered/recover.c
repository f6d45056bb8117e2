/*
 * recover.c -- reopening a cluster home after a kill (lt_cluster_config.recover). WiredTiger
 * recovers its own tables: the library's data tables have logging off, so each is back at its last
 * WiredTiger checkpoint; the durable record (meta.c) names the newest checkpoint whose publication
 * was acknowledged. From it: one checkpoint record with its stable objects, every node a follower
 * that picked it up (its tables, new empty ingest tables), the id counter above every table name
 * WiredTiger holds, and every other layered table (ingest tables, stable incarnations no longer
 * named) dropped. The application replays its log above the checkpoint's timestamp.
 */
#include "lt_recover.h"

/* The number a library table's URI ends with (".s<id>" or ".i<inc>"), 0 if none. */
static uint64_t
lt_uri_number(const char *uri)
{
    const char *p;

    if ((p = strrchr(uri, '.')) == NULL || (p[1] != 's' && p[1] != 'i'))
        return (0);
    return (strtoull(p + 2, NULL, 10));
}

/* Whether uri is the stable table of one of rec's tables. */
static bool
lt_rec_names(const lt_meta_rec *rec, const char *uri)
{
    char want[LT_URI_MAX];
    int i;

    for (i = 0; i < rec->ntables; i++) {
        (void)snprintf(want, sizeof(want), "table:layered.%s.s%" PRIu64, rec->tables[i].name,
          rec->tables[i].sid);
        if (strcmp(want, uri) == 0)
            return (true);
    }
    return (false);
}

/*
 * lt_scan_tables --
 *     Set the id counter above every library table WiredTiger holds and drop those rec does not
 *     name (a dead process's ingest tables and unreferenced stable incarnations).
 */
static int
lt_scan_tables(lt_cluster *cl, WT_SESSION *wt, const lt_meta_rec *rec)
{
    WT_CURSOR *c;
    const char *key;
    char **dead, **p;
    uint64_t max, v;
    int i, ndead, rc;

    if ((rc = wt->open_cursor(wt, "metadata:", NULL, NULL, &c)) != 0)
        return (__lt_err(cl, rc, "recovery of '%s': cannot read WiredTiger's metadata: %s",
          cl->home, wiredtiger_strerror(rc)));
    max = rec->id;
    dead = NULL;
    ndead = 0;
    while ((rc = c->next(c)) == 0 && (rc = c->get_key(c, &key)) == 0) {
        if (strncmp(key, "table:layered.", 14) != 0)
            continue;
        if ((v = lt_uri_number(key)) > max)
            max = v;
        if (lt_rec_names(rec, key))
            continue;
        if ((p = realloc(dead, (size_t)(ndead + 1) * sizeof(*p))) == NULL ||
          (p[ndead] = strdup(key)) == NULL) {
            dead = p != NULL ? p : dead;
            rc = ENOMEM;
            break;
        }
        dead = p;
        ndead++;
    }
    (void)c->close(c);
    for (i = 0; i < ndead; i++) {
        if (rc == WT_NOTFOUND)
            (void)wt->drop(wt, dead[i], "force=true");
        free(dead[i]);
    }
    free(dead);
    if (rc != WT_NOTFOUND)
        return (__lt_err(cl, rc, "recovery of '%s': cannot list WiredTiger's tables: %s", cl->home,
          wiredtiger_strerror(rc)));
    for (i = 0; i < rec->ntables; i++)
        if (rec->tables[i].sid > max)
            max = rec->tables[i].sid;
    /* Relaxed: no other thread uses the cluster yet. */
    atomic_store_explicit(&cl->inc_next, max, memory_order_relaxed);
    return (0);
}

/* The stable object of one table of the record, checked against WiredTiger's checkpoint. */
static int
lt_adopt_stable(lt_cluster *cl, WT_SESSION *wt, const lt_meta_rec *rec, int i, lt_stable **stp)
{
    const lt_meta_table *t = &rec->tables[i];
    WT_CURSOR *c;
    lt_stable *st;
    char cfg[64];
    int rc;

    if ((st = calloc(1, sizeof(*st))) == NULL)
        return (__lt_err(cl, ENOMEM, "recovery: out of memory"));
    st->id = t->sid;
    st->born = t->born;
    (void)snprintf(st->name, sizeof(st->name), "%s", t->name);
    (void)snprintf(st->uri, sizeof(st->uri), "table:layered.%s.s%" PRIu64, t->name, t->sid);
    (void)snprintf(st->cfg, sizeof(st->cfg), "%s", t->cfg);
    /* Every commit in it at or below the checkpoint is there; a drain applies what is above. */
    atomic_init(&st->hw, rec->ts);
    atomic_init(&st->held, rec->ts);
    (void)snprintf(cfg, sizeof(cfg), "checkpoint=layered.%" PRIu64, rec->id);
    if ((rc = wt->open_cursor(wt, st->uri, NULL, cfg, &c)) != 0) {
        free(st);
        return (__lt_err(cl, EINVAL,
          "recovery of '%s': checkpoint %" PRIu64 " names table %s (%s), which WiredTiger "
          "does not hold at that checkpoint: %s",
          cl->home, rec->id, t->name, st->uri, wiredtiger_strerror(rc)));
    }
    (void)c->close(c);
    st->refs = 1; /* the record's */
    __lt_mutex_lock(cl, &cl->stable_lock, -1);
    st->next = cl->stables;
    cl->stables = st;
    __lt_mutex_unlock(&cl->stable_lock);
    *stp = st;
    return (0);
}

/* The checkpoint record of rec, appended to the (empty) list; its stables adopted. */
static int
lt_rebuild_record(lt_cluster *cl, WT_SESSION *wt, const lt_meta_rec *rec)
{
    lt_ckpt *ck;
    int i, rc;

    if ((ck = calloc(1, sizeof(*ck))) == NULL ||
      (ck->tables = calloc((size_t)rec->ntables + 1, sizeof(*ck->tables))) == NULL) {
        free(ck);
        return (__lt_err(cl, ENOMEM, "recovery: out of memory"));
    }
    ck->id = rec->id;
    ck->ts = rec->ts;
    (void)snprintf(ck->wt_name, sizeof(ck->wt_name), "layered.%" PRIu64, ck->id);
    for (rc = 0, i = 0; rc == 0 && i < rec->ntables; i++) {
        (void)snprintf(ck->tables[i].name, sizeof(ck->tables[i].name), "%s", rec->tables[i].name);
        if ((rc = lt_adopt_stable(cl, wt, rec, i, &ck->tables[i].stable)) == 0)
            ck->ntables++;
    }
    __lt_mutex_lock(cl, &cl->ckpt_lock, -1);
    cl->ckpts = ck; /* freed with the cluster even when a table failed */
    cl->ckpt_next = ck->id;
    cl->ckpt_ts = ck->ts;
    __lt_mutex_unlock(&cl->ckpt_lock);
    __lt_ts_max(&cl->max_commit_ts, ck->ts);
    return (rc);
}

int
__lt_recover(lt_cluster *cl)
{
    WT_SESSION *wt;
    lt_meta_rec rec;
    lt_node *n;
    int i, rc;

    if ((rc = __lt_wt_open_session(cl, &wt)) != 0)
        return (rc);
    if ((rc = __lt_meta_read(cl, wt, &rec)) != 0)
        goto done;
    if (rec.nodes != cl->nnodes) {
        rc = __lt_err(cl, EINVAL, "recovery of '%s': the cluster has %d nodes, not %d", cl->home,
          rec.nodes, cl->nnodes);
        goto done;
    }
    if ((rc = lt_scan_tables(cl, wt, &rec)) != 0 ||
      (rec.id != 0 && (rc = lt_rebuild_record(cl, wt, &rec)) != 0))
        goto done;
    /* Every node a follower at the record: its tables, bound to their stable incarnations. */
    for (i = 0; rc == 0 && rec.id != 0 && i < cl->nnodes; i++) {
        n = &cl->nodes[i];
        __lt_mutex_lock(cl, &n->transition_lock, i);
        rc = __lt_pickup_locked(n, wt, 0, true);
        __lt_mutex_unlock(&n->transition_lock);
    }
done:
    free(rec.tables);
    (void)wt->close(wt, NULL);
    return (rc);
}
