/*
 * catalog.c -- per-node catalogues, shared stable objects, and the schema operations create,
 * drop and truncate (each admitted by the Role Transition Isolation hook).
 */
#include "lt_internal.h"

/* Every table the library creates: raw keys and values, not logged (timestamps need that). */
const char *
__lt_table_config(void)
{
    return ("key_format=u,value_format=u,log=(enabled=false),exclusive=true");
}

lt_entry *
__lt_entry_find_locked(lt_node *n, const char *name)
{
    lt_entry *e;

    __lt_mutex_assert_held(&n->catalog_lock);
    for (e = n->entries; e != NULL; e = e->next)
        if (strcmp(e->name, name) == 0)
            return (e);
    return (NULL);
}

/* The node's drop mark for a name: ids up to it are of dropped incarnations (0: never dropped). */
uint64_t
__lt_drop_mark_locked(lt_node *n, const char *name)
{
    int i;

    for (i = 0; i < n->ndrops; i++)
        if (strcmp(n->drops[i].name, name) == 0)
            return (n->drops[i].upto);
    return (0);
}

static void
lt_drop_mark_set_locked(lt_node *n, const char *name)
{
    struct lt_drop_mark *p;
    uint64_t upto = atomic_load(&n->cl->inc_next);
    int i, cap;

    for (i = 0; i < n->ndrops; i++)
        if (strcmp(n->drops[i].name, name) == 0) {
            n->drops[i].upto = upto;
            return;
        }
    if (n->ndrops == n->drops_cap) {
        cap = n->drops_cap == 0 ? 16 : n->drops_cap * 2;
        if ((p = realloc(n->drops, (size_t)cap * sizeof(*p))) == NULL)
            abort(); /* forgetting a drop could resurrect the table at the next pickup */
        n->drops = p;
        n->drops_cap = cap;
    }
    (void)snprintf(n->drops[n->ndrops].name, sizeof(n->drops[0].name), "%s", name);
    n->drops[n->ndrops++].upto = upto;
}

void
__lt_stable_ref(lt_cluster *cl, lt_stable *st)
{
    __lt_mutex_lock(cl, &cl->stable_lock, -1);
    st->refs++;
    __lt_mutex_unlock(&cl->stable_lock);
}

static void
lt_pending_add_locked(lt_cluster *cl, const char *uri)
{
    char **p;
    int cap;

    if (cl->npending == cl->pending_cap) {
        cap = cl->pending_cap == 0 ? 16 : cl->pending_cap * 2;
        if ((p = realloc(cl->pending_drops, (size_t)cap * sizeof(*p))) == NULL)
            return; /* the table outlives the cluster: harmless garbage in the directory */
        cl->pending_drops = p;
        cl->pending_cap = cap;
    }
    if ((cl->pending_drops[cl->npending] = strdup(uri)) != NULL)
        cl->npending++;
}

/*
 * __lt_stable_unref --
 *     Release a reference; the last one unlinks the object and queues its WiredTiger table for
 *     dropping (done by __lt_process_drops outside every lock).
 */
void
__lt_stable_unref(lt_cluster *cl, lt_stable *st)
{
    lt_stable **pp;

    __lt_mutex_lock(cl, &cl->stable_lock, -1);
    if (--st->refs > 0) {
        __lt_mutex_unlock(&cl->stable_lock);
        return;
    }
    for (pp = &cl->stables; *pp != NULL; pp = &(*pp)->next)
        if (*pp == st) {
            *pp = st->next;
            break;
        }
    if (!atomic_load(&cl->closing))
        lt_pending_add_locked(cl, st->uri);
    __lt_mutex_unlock(&cl->stable_lock);
    free(st);
}

/*
 * __lt_drop_uri --
 *     Drop a WiredTiger table now, or queue it if WiredTiger says it is busy (a cursor or a
 *     checkpoint cursor is still open on it).
 */
void
__lt_drop_uri(lt_cluster *cl, WT_SESSION *wt, const char *uri)
{
    int rc;

    rc = wt->drop(wt, uri, "force=true");
    if (rc == EBUSY) {
        __lt_mutex_lock(cl, &cl->stable_lock, -1);
        lt_pending_add_locked(cl, uri);
        __lt_mutex_unlock(&cl->stable_lock);
    }
}

/*
 * __lt_process_drops --
 *     Retry the queued drops; what is still busy stays queued.
 */
void
__lt_process_drops(lt_cluster *cl, WT_SESSION *wt)
{
    char **list;
    int i, n;

    __lt_mutex_lock(cl, &cl->stable_lock, -1);
    list = cl->pending_drops;
    n = cl->npending;
    cl->pending_drops = NULL;
    cl->npending = cl->pending_cap = 0;
    __lt_mutex_unlock(&cl->stable_lock);
    for (i = 0; i < n; i++) {
        __lt_drop_uri(cl, wt, list[i]);
        free(list[i]);
    }
    free(list);
}

int
__lt_stable_create(lt_cluster *cl, WT_SESSION *wt, const char *name, uint64_t born,
  lt_stable **stp)
{
    lt_stable *st;
    int rc;

    *stp = NULL;
    if ((st = calloc(1, sizeof(*st))) == NULL)
        return (__lt_err(cl, ENOMEM, "out of memory creating the stable constituent of %s",
          name));
    st->id = atomic_fetch_add(&cl->inc_next, 1) + 1;
    st->born = born != 0 ? born : st->id;
    (void)snprintf(st->name, sizeof(st->name), "%s", name);
    (void)snprintf(st->uri, sizeof(st->uri), "table:layered.%s.s%" PRIu64, name, st->id);
    if ((rc = wt->create(wt, st->uri, __lt_table_config())) != 0) {
        free(st);
        return (__lt_err(cl, rc, "cannot create the stable constituent of table %s: %s", name,
          wiredtiger_strerror(rc)));
    }
    st->refs = 1;
    __lt_mutex_lock(cl, &cl->stable_lock, -1);
    st->next = cl->stables;
    cl->stables = st;
    __lt_mutex_unlock(&cl->stable_lock);
    *stp = st;
    return (0);
}

/*
 * __lt_entry_add_locked --
 *     Create the node's ingest constituent and link a catalogue entry; the entry takes over the
 *     caller's reference on stable (which may be NULL).
 */
int
__lt_entry_add_locked(lt_node *n, WT_SESSION *wt, const char *name, lt_stable *stable,
  uint64_t min_id, lt_entry **ep)
{
    lt_cluster *cl = n->cl;
    lt_entry *e;
    int rc;

    __lt_mutex_assert_held(&n->catalog_lock);
    if ((e = calloc(1, sizeof(*e))) == NULL)
        return (__lt_err(cl, ENOMEM, "out of memory adding table %s to node %d", name, n->id));
    (void)snprintf(e->name, sizeof(e->name), "%s", name);
    e->inc = atomic_fetch_add(&cl->inc_next, 1) + 1;
    (void)snprintf(e->ingest_uri, sizeof(e->ingest_uri), "table:layered.%s.n%d.i%" PRIu64, name,
      n->id, e->inc);
    if ((rc = wt->create(wt, e->ingest_uri, __lt_table_config())) != 0) {
        free(e);
        return (__lt_err(cl, rc, "cannot create the ingest constituent of table %s on node %d: %s",
          name, n->id, wiredtiger_strerror(rc)));
    }
    e->stable = stable;
    e->min_id = min_id;
    e->born = stable != NULL ? stable->born : e->inc;
    e->refs = 1;
    e->next = n->entries;
    n->entries = e;
    if (ep != NULL)
        *ep = e;
    return (0);
}

void
__lt_entry_unref_locked(lt_node *n, lt_entry *e)
{
    __lt_mutex_assert_held(&n->catalog_lock);
    if (--e->refs == 0)
        free(e);
}

static int
lt_schema_session(lt_session *s)
{
    if (s->wt_schema != NULL)
        return (0);
    return (__lt_wt_open_session(s->cl, &s->wt_schema));
}

static int
lt_schema_check(lt_session *s, const char *name, const char *what)
{
    if (s == NULL)
        return (__lt_err(NULL, EINVAL, "%s: NULL session", what));
    __lt_thread_enter();
    if (name == NULL)
        return (__lt_err(s->cl, EINVAL, "%s on node %d: NULL table name", what, s->node->id));
    if (!__lt_valid_name(name))
        return (__lt_err(s->cl, EINVAL,
          "%s on node %d: bad table name '%.80s%s' (1 to %d of A-Z a-z 0-9 _ -)", what,
          s->node->id, name, strlen(name) > 80 ? "..." : "", LT_NAME_MAX));
    return (0);
}

/*
 * __lt_schema_begin --
 *     The common start of a schema operation: check the arguments, report its beginning, enter
 *     the Role Transition Isolation hook. On success the caller must __lt_schema_end; on failure
 *     *begunp says whether it must still (an operation that began ends, even rejected).
 */
int
__lt_schema_begin(lt_session *s, const char *name, lt_op op, lt_ticket *t, bool *begunp)
{
    int rc;

    *begunp = false;
    memset(t, 0, sizeof(*t));
    if ((rc = lt_schema_check(s, name, lt_op_name(op))) != 0 || (rc = lt_schema_session(s)) != 0)
        return (rc);
    t->op = op;
    t->opid = atomic_fetch_add(&s->cl->inc_next, 1) + 1;
    t->table = name;
    __lt_node_event(s->node, LT_EV_SCHEMA_BEGIN, op, name, t->opid, 0, 0, 0);
    *begunp = true;
    return (__lt_hook_enter(s->node, t));
}

void
__lt_schema_end(lt_session *s, lt_ticket *t, int rc)
{
    __lt_hook_exit(s->node, t);
    __lt_node_event(s->node, LT_EV_SCHEMA_END, t->op, t->table, t->opid, 0, 0, rc);
    if (rc == 0)
        __lt_process_drops(s->cl, s->wt_schema);
}

int
lt_create(lt_session *s, const char *name)
{
    lt_cluster *cl;
    lt_node *n;
    lt_ticket t;
    bool begun;
    lt_stable *stable;
    const lt_state *st;
    lt_role role;
    int rc;

    if ((rc = __lt_schema_begin(s, name, LT_OP_CREATE, &t, &begun)) != 0)
        goto done;
    cl = s->cl;
    n = s->node;

    /* The role as the operation sees it: a follower creates the ingest constituent only. */
    __lt_rcu_read_lock();
    st = __lt_rcu_load(n->state);
    role = st->role;
    __lt_rcu_read_unlock();
    LT_YIELD(cl, "create.after_role_read", n->id);

    stable = NULL;
    __lt_mutex_lock(cl, &n->catalog_lock, n->id);
    if (__lt_entry_find_locked(n, name) != NULL) {
        __lt_mutex_unlock(&n->catalog_lock);
        rc = __lt_err(cl, EEXIST, "create of table %s on node %d: the table exists", name, n->id);
        goto done;
    }
    if (role == LT_LEADER) {
        if ((rc = __lt_stable_create(cl, s->wt_schema, name, 0, &stable)) != 0) {
            __lt_mutex_unlock(&n->catalog_lock);
            goto done;
        }
    }
    LT_YIELD(cl, "create.before_link", n->id);
    rc = __lt_entry_add_locked(n, s->wt_schema, name, stable,
      __lt_drop_mark_locked(n, name), NULL);
    if (rc != 0 && stable != NULL)
        __lt_stable_unref(cl, stable);
    if (rc == 0)
        __lt_node_event(n, LT_EV_SCHEMA_EFFECT, t.op, name, t.opid, 0, 0, 0);
    __lt_mutex_unlock(&n->catalog_lock);

done:
    if (begun)
        __lt_schema_end(s, &t, rc);
    return (rc);
}

#ifdef LT_FAULTS
/*
 * lt_drop_not_atomic --
 *     Upstream's defective drop (test-only): the ingest constituent goes first, then the stable
 *     one; when stable is still needed elsewhere the drop fails half-way, leaving the table in
 *     the catalogue with its ingest rows gone.
 */
static int
lt_drop_not_atomic(lt_session *s, lt_node *n, lt_entry *e)
{
    lt_cluster *cl = s->cl;
    int busy, rc;

    (void)s->wt_schema->drop(s->wt_schema, e->ingest_uri, "force=true");
    (void)s->wt_schema->create(s->wt_schema, e->ingest_uri, __lt_table_config());
    busy = 0;
    if (e->stable != NULL) {
        __lt_mutex_lock(cl, &cl->stable_lock, -1);
        busy = e->stable->refs > 1;
        __lt_mutex_unlock(&cl->stable_lock);
    }
    if (busy) {
        rc = __lt_err(cl, EBUSY, "drop of table %s on node %d: stable constituent busy", e->name,
          n->id);
        return (rc);
    }
    return (0);
}
#endif

int
lt_drop(lt_session *s, const char *name)
{
    lt_cluster *cl;
    lt_node *n;
    lt_entry *e, **ep;
    lt_stable *stable;
    lt_ticket t;
    bool begun;
    int rc;

    if ((rc = __lt_schema_begin(s, name, LT_OP_DROP, &t, &begun)) != 0)
        goto done;
    cl = s->cl;
    n = s->node;

    __lt_mutex_lock(cl, &n->catalog_lock, n->id);
    for (ep = &n->entries; *ep != NULL; ep = &(*ep)->next)
        if (strcmp((*ep)->name, name) == 0)
            break;
    if ((e = *ep) == NULL) {
        __lt_mutex_unlock(&n->catalog_lock);
        rc = __lt_err(cl, ENOENT, "drop of table %s on node %d: no such table", name, n->id);
        goto done;
    }
    if (e->cursors > 0) {
        int open = e->cursors;

        __lt_mutex_unlock(&n->catalog_lock);
        rc = __lt_err(cl, EBUSY, "drop of table %s on node %d: %d cursor(s) open on it", name,
          n->id, open);
        goto done;
    }
#ifdef LT_FAULTS
    if (LT_FAULT(cl, LT_FAULT_DROP_NOT_ATOMIC) && (rc = lt_drop_not_atomic(s, n, e)) != 0) {
        __lt_mutex_unlock(&n->catalog_lock);
        goto done;
    }
#endif
    /* The effect, in one step: the table leaves the node's catalogue. */
    *ep = e->next;
    stable = e->stable;
    e->stable = NULL;
    lt_drop_mark_set_locked(n, name);
    __lt_node_event(n, LT_EV_SCHEMA_EFFECT, t.op, name, t.opid, 0, 0, 0);
    __lt_mutex_unlock(&n->catalog_lock);
    LT_YIELD(cl, "drop.after_unlink", n->id);

    __lt_drop_uri(cl, s->wt_schema, e->ingest_uri);
    if (stable != NULL)
        __lt_stable_unref(cl, stable);
    LT_YIELD(cl, "drop.before_free", n->id);
    __lt_mutex_lock(cl, &n->catalog_lock, n->id);
    /* Scribble before the free so a use after free reads garbage even without ASan. */
    memset(e->ingest_uri, 0, sizeof(e->ingest_uri));
    __lt_entry_unref_locked(n, e);
    __lt_mutex_unlock(&n->catalog_lock);
    atomic_fetch_add(&n->epoch, 1);

done:
    if (begun)
        __lt_schema_end(s, &t, rc);
    return (rc);
}

int
lt_table_exists(lt_session *s, const char *name)
{
    int found;

    if (s == NULL || name == NULL)
        return (0);
    __lt_thread_enter();
    __lt_mutex_lock(s->cl, &s->node->catalog_lock, s->node->id);
    found = __lt_entry_find_locked(s->node, name) != NULL;
    __lt_mutex_unlock(&s->node->catalog_lock);
    return (found);
}
