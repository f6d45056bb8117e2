/*
 * schema.c -- the schema operations create and drop, lt_table_exists, and the prologue and
 * epilogue every schema operation shares (truncate.c's too): argument checks, events, and
 * admission by the Role Transition Isolation hook.
 */
#include "lt_wtfault.h"
#include "lt_restart.h"

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
    if (name == NULL)
        return (__lt_err(s->cl, EINVAL, "%s on node %d: NULL table name", what, s->node->id));
    if (!__lt_valid_name(name))
        return (__lt_err(s->cl, EINVAL,
          "%s on node %d: bad table name '%.80s%s' (1 to %d of A-Z a-z 0-9 _ -)", what, s->node->id,
          name, strlen(name) > 80 ? "..." : "", LT_NAME_MAX));
    return (__lt_session_stale(s, what));
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
    LT_WTF_REFUSE(s->cl, lt_op_name(op));
    t->op = op;
    t->opid = __lt_next_id(s->cl);
    t->table = name;
    __lt_node_event(s->node, LT_EV_SCHEMA_BEGIN, op, name, t->opid, 0, 0, 0);
    *begunp = true;
    if ((rc = __lt_hook_enter(s->node, t)) != 0)
        return (rc);
    /* Admitted: a restart that began before is over (stale), a later one waits for this. */
    return (__lt_session_stale(s, lt_op_name(op)));
}

void
__lt_schema_end(lt_session *s, lt_ticket *t, int rc)
{
    __lt_hook_exit(s->node, t);
    __lt_node_event(s->node, LT_EV_SCHEMA_END, t->op, t->table, t->opid, 0, 0, rc);
    if (rc == 0)
        __lt_process_drops(s->cl, s->wt_schema);
}

/*
 * Parse create's configuration: "exclusive", "exclusive=true|false|1|0", "app_metadata=TEXT" (the
 * table's configuration, cfg[LT_NAME_MAX + 1]), or NULL/empty.
 */
static int
lt_create_parse(lt_session *s, const char *config, bool *exclusivep, char *cfg)
{
    const char *p;
    size_t len;

    *exclusivep = false;
    cfg[0] = '\0';
    for (p = config; p != NULL && *p != '\0'; p += len + (p[len] == ',')) {
        len = strcspn(p, ",");
        if (len >= 13 && strncmp(p, "app_metadata=", 13) == 0) {
            if (len - 13 > LT_NAME_MAX)
                return (__lt_err(s == NULL ? NULL : s->cl, EINVAL,
                  "create: app_metadata longer than %d bytes", LT_NAME_MAX));
            (void)snprintf(cfg, LT_NAME_MAX + 1, "%.*s", (int)(len - 13), p + 13);
        } else if (len == 9 && strncmp(p, "exclusive", 9) == 0)
            *exclusivep = true;
        else if ((len == 14 && strncmp(p, "exclusive=true", 14) == 0) ||
          (len == 11 && strncmp(p, "exclusive=1", 11) == 0))
            *exclusivep = true;
        else if ((len == 15 && strncmp(p, "exclusive=false", 15) == 0) ||
          (len == 11 && strncmp(p, "exclusive=0", 11) == 0))
            *exclusivep = false;
        else if (len != 0)
            return (__lt_err(s == NULL ? NULL : s->cl, EINVAL,
              "create: unknown configuration '%.*s' (only exclusive=true|false, app_metadata=TEXT)",
              (int)len, p));
    }
    return (0);
}

int
lt_create(lt_session *s, const char *name)
{
    return (lt_create_cfg(s, name, NULL));
}

int
lt_create_cfg(lt_session *s, const char *name, const char *config)
{
    lt_cluster *cl;
    lt_node *n;
    lt_ticket t;
    bool begun, exclusive;
    lt_stable *stable;
    lt_entry *e;
    const lt_state *st;
    char cfg[LT_NAME_MAX + 1];
    lt_role role;
    uint64_t epoch, min_id;
    bool inferred;
    bool past;
    int rc;

    __lt_api_enter();
    begun = false;
    if ((rc = lt_create_parse(s, config, &exclusive, cfg)) != 0)
        goto done;
    if ((rc = __lt_schema_begin(s, name, LT_OP_CREATE, &t, &begun)) != 0)
        goto done;
    cl = s->cl;
    n = s->node;

    /*
     * The role as the operation sees it: a follower creates the ingest constituent only, and so
     * does a leader past a step-down's boundary (its metadata could never be published).
     */
    __lt_rcu_read_lock();
    st = __lt_state_read(n);
    role = st->role;
    __lt_rcu_read_unlock();
    epoch = __lt_sx_epoch(n, &past);
    if (past)
        role = LT_FOLLOWER;
    LT_YIELD(cl, "create.after_role_read", n->id);
    __lt_hook_late_lock(n, &t); /* the fault LT_FAULT_STEPDOWN_LEAK only */

    stable = NULL;
    __lt_mutex_lock(cl, &n->catalog_lock, n->id);
    if (__lt_entry_find_locked(n, name) != NULL) {
        /* Upstream's create leaves an existing table as it is, unless exclusive. */
        __lt_mutex_unlock(&n->catalog_lock);
        if (exclusive)
            rc =
              __lt_err(cl, EEXIST, "create of table %s on node %d: the table exists", name, n->id);
        goto done;
    }
    if (role == LT_LEADER) {
        if ((rc = __lt_stable_create(cl, s->wt_schema, name, 0, cfg, &stable)) != 0) {
            __lt_mutex_unlock(&n->catalog_lock);
            goto done;
        }
    }
    LT_YIELD(cl, "create.before_link", n->id);
    /*
     * A restarted node replaying its log knows no drop of a name its checkpoint lacks: every life
     * begun before that checkpoint's tables were taken and not among them was dropped, but for
     * one a follower began that no leader held then (lt_life.h). Until the replay ends (its next
     * pickup or step-up) its view is the checkpoint it came back at.
     */
    inferred = false;
    if ((min_id = __lt_drop_mark_locked(n, name)) == 0 && n->replaying) {
        __lt_mutex_lock(cl, &cl->ckpt_lock, -1);
        min_id = n->view != NULL ? n->view->at : 0;
        __lt_mutex_unlock(&cl->ckpt_lock);
        inferred = min_id != 0;
    }
    rc = __lt_entry_add_locked(n, s->wt_schema, name, stable, min_id, &e);
    if (rc == 0) { /* a follower's entry has no stable to take it from; set before anyone sees it */
        (void)snprintf(e->cfg, sizeof(e->cfg), "%s", cfg);
        e->inferred = inferred;
    }
    if (rc == 0 && role == LT_LEADER) /* for lt_publish; out of memory: publish says ENOENT */
        (void)__lt_meta_enqueue(n, name, epoch);
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
    return (lt_drop_ex(s, name, 0));
}

int
lt_drop_ex(lt_session *s, const char *name, unsigned flags)
{
    lt_cluster *cl;
    lt_node *n;
    lt_entry *e, **ep;
    lt_stable *stable;
    lt_ticket t;
    lt_op kind;
    bool begun;
    int rc;

    __lt_api_enter();
    begun = false;
    if ((flags & ~(LT_DROP_NOWAIT | LT_DROP_CKPT_WAIT)) != 0 ||
      flags == (LT_DROP_NOWAIT | LT_DROP_CKPT_WAIT)) {
        rc = __lt_err(s != NULL ? s->cl : NULL, EINVAL, "drop of table %s: bad flags 0x%x",
          name != NULL ? name : "-", flags);
        goto done;
    }
    kind = flags & LT_DROP_NOWAIT ? LT_OP_DROP_NOWAIT :
      flags & LT_DROP_CKPT_WAIT   ? LT_OP_DROP_CKPT :
                                    LT_OP_DROP;
    if ((rc = __lt_schema_begin(s, name, kind, &t, &begun)) != 0)
        goto done;
    cl = s->cl;
    n = s->node;

    __lt_mutex_lock(cl, &n->catalog_lock, n->id);
#ifdef LT_FAULTS
    /* Upstream's order (test-only): wait out a running pickup or GC under the handle list lock,
     * which they take after their own: I8's rank check aborts here. */
    if (LT_FAULT(cl, LT_FAULT_DROP_LOCK_INVERT)) {
        __lt_mutex_lock(cl, &n->transition_lock, n->id);
        __lt_mutex_unlock(&n->transition_lock);
    }
#endif
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
    __lt_drop_mark_set_locked(n, e);
    *ep = e->next;
    stable = e->stable;
    e->stable = NULL;
    __lt_meta_remove(n, name);
    __lt_node_event(n, LT_EV_SCHEMA_EFFECT, t.op, name, t.opid, 0, 0, 0);
    __lt_mutex_unlock(&n->catalog_lock);
    LT_YIELD(cl, "drop.after_unlink", n->id);

    __lt_drop_uri(cl, s->wt_schema, e->ingest_uri);
    if (stable != NULL) {
        __lt_mutex_lock(cl, &cl->stable_lock, -1);
        stable->dead = 1; /* no step-up adopts a dropped life (__lt_stable_adopt) */
        __lt_mutex_unlock(&cl->stable_lock);
        __lt_stable_unref(cl, stable);
    }
    LT_YIELD(cl, "drop.before_free", n->id);
    __lt_mutex_lock(cl, &n->catalog_lock, n->id);
    /* Scribble before the free so a use after free reads garbage even without ASan. */
    memset(e->ingest_uri, 0, sizeof(e->ingest_uri));
    __lt_entry_unref_locked(n, e);
    __lt_mutex_unlock(&n->catalog_lock);
    __lt_epoch_bump_view(n);

done:
    if (begun)
        __lt_schema_end(s, &t, rc);
    return (rc);
}

int
lt_table_exists(lt_session *s, const char *name, int *existsp)
{
    lt_node *n;
    int rc;

    __lt_api_enter();
    if (existsp != NULL)
        *existsp = 0;
    if ((rc = lt_schema_check(s, name, "lt_table_exists")) != 0)
        return (rc);
    n = s->node;
    if (existsp == NULL)
        return (__lt_err(s->cl, EINVAL,
          "lt_table_exists of table %s on node %d: NULL answer "
          "pointer",
          name, n->id));
    __lt_mutex_lock(s->cl, &n->catalog_lock, n->id);
    *existsp = __lt_entry_find_locked(n, name) != NULL;
    __lt_mutex_unlock(&n->catalog_lock);
    /* A restart between the check above and the lookup emptied the catalogue after publishing
     * its new incarnation: the answer is ESTALE, not "absent". */
    if (!*existsp && (rc = __lt_session_stale(s, "lt_table_exists")) != 0)
        return (rc);
    return (0);
}
