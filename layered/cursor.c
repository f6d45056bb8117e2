/*
 * cursor.c -- the layered cursor's API: view set-up, positioning calls and writes.
 */
#include "lt_life.h"
#include "lt_wtfault.h"
#include "lt_restart.h"
#include "lt_merge.h"

/* ---------------------------------------------------------------------------------------------
 * The view.
 */
static void
lt_close_stable(lt_cursor *c)
{
    if (c->sc != NULL) {
        (void)c->sc->close(c->sc);
        c->sc = NULL;
    }
    if (c->stable != NULL) {
        __lt_stable_unref(c->session->cl, c->stable);
        c->stable = NULL;
    }
    __lt_ckpt_unpin(c->session->cl, c->ckpt);
    c->ckpt = NULL;
    __lt_cursor_bare_pin(c, false);
}

int
__lt_cursor_ic(lt_cursor *c)
{
    lt_session *s = c->session;
    int rc;

    char uri[LT_URI_MAX];

    if (c->ic != NULL)
        return (0);
    /* A step-up may have replaced the entry's ingest table (catalog_lock). */
    __lt_mutex_lock(s->cl, &s->node->catalog_lock, s->node->id);
    (void)snprintf(uri, sizeof(uri), "%s", c->entry->ingest_uri);
    __lt_mutex_unlock(&s->node->catalog_lock);
    if ((rc = LT_WT(s->cl, "cursor.open_ingest",
           s->wt->open_cursor(s->wt, uri, NULL, NULL, &c->ic))) != 0) {
        c->ic = NULL;
        return (__lt_err(s->cl, rc,
          "cannot open the ingest constituent of table %s on node "
          "%d: %s",
          c->entry->name, s->node->id, wiredtiger_strerror(rc)));
    }
    return (0);
}

/*
 * The stable object an entry reads through checkpoint ck, binding an unbound entry; *cutp is the
 * entry's binding timestamp (ingest versions at or below it are from before the binding).
 */
static lt_stable *
lt_view_stable(lt_cursor *c, lt_ckpt *ck, uint64_t *cutp)
{
    lt_node *n = c->session->node;
    lt_entry *e = c->entry;
    lt_stable *rec, *st;

    if (ck == NULL || (rec = __lt_ckpt_stable_for(ck, e->name)) == NULL)
        return (NULL);
    st = NULL;
    __lt_mutex_lock(n->cl, &n->catalog_lock, n->id);
    if (e->stable == rec)
        st = rec;
    else if (e->stable == NULL && __lt_life_binds(n->cl, e, rec)) {
        __lt_stable_ref(n->cl, rec);
        e->stable = st = rec;
        e->bind_ts = ck->ts;
    }
    if (st != NULL)
        __lt_stable_ref(n->cl, st); /* the cursor's own reference */
    *cutp = e->bind_ts;
    __lt_mutex_unlock(&n->catalog_lock);
    return (st);
}

/* Does the session's snapshot transaction read below checkpoint ck (so its history)? */
static bool
lt_reads_below(const lt_session *s, const lt_ckpt *ck)
{
    return (s->txn.active && s->txn.isolation == LT_ISO_SNAPSHOT && s->txn.read_ts != 0 &&
      s->txn.read_ts < ck->ts);
}

/*
 * lt_follower_ckpt_id --
 *     The checkpoint a follower read uses: a snapshot transaction keeps the one it chose first
 *     (repeatable read; the transaction pins it); otherwise the node's current one.
 */
static int
lt_follower_ckpt_id(lt_cursor *c, const lt_state *st, uint64_t *idp)
{
    lt_session *s = c->session;
    lt_txn *txn = &s->txn;
    int rc;

    if (txn->active && txn->isolation == LT_ISO_SNAPSHOT) {
        if (!txn->view_chosen) {
            rc = 0;
            if (txn->read_ts != 0)
                txn->view = __lt_ckpt_pin_for_ts(s->cl, st->ckpt_id, txn->read_ts, &rc);
            /* None that old: the node's own, read live at the read timestamp (its history). */
            if (txn->view == NULL && rc == 0 && st->ckpt_id != 0)
                txn->view = __lt_ckpt_pin(s->cl, st->ckpt_id);
            if (rc != 0)
                return (__lt_err(s->cl, EINVAL,
                  "read at timestamp %" PRIu64 " on node %d: "
                  "older than the oldest checkpoint kept",
                  txn->read_ts, s->node->id));
            txn->view_chosen = true;
        }
        *idp = txn->view == NULL ? 0 : txn->view->id;
    } else if (!LT_FAULT(s->cl, LT_FAULT_PICKUP_RESEARCH) && c->positioned && c->view_set &&
      (c->ckpt != NULL || c->bare_pin) && c->view_generation == st->generation &&
      c->view_role == st->role)
        /* A positioned cursor keeps its view until reset, as upstream's: a view from before any
         * pickup too (its pin keeps GC off the ingest it reads). */
        *idp = c->ckpt == NULL ? 0 : c->ckpt->id;
    else
        *idp = st->ckpt_id;
    return (0);
}

/*
 * __lt_cursor_view --
 *     Make the cursor's constituents match the node's state: after a role change, a checkpoint
 *     pickup or a new transaction's view, reopen them. A positioned cursor keeps its key and
 *     re-seeks from it at its next move.
 */
int
__lt_cursor_view(lt_cursor *c, const lt_state *st)
{
    lt_session *s = c->session;
    lt_node *n = s->node;
    lt_stable *stable;
    lt_ckpt *ck;
    uint64_t id, cur, cut = 0;
    bool use_ingest, live = false;
    char cfg[64] = "";
    int rc;

    /* Defects that keep a positioned cursor's view: across a role change (class 10), or an
     * ingest-only view whatever the node picked up since (class 9). */
    if (LT_FAULT(s->cl, LT_FAULT_ROLE_KEEP_VIEW) && c->positioned && c->view_set &&
      c->view_generation != st->generation)
        return (0);
    if (LT_FAULT(s->cl, LT_FAULT_UNBOUND_NO_PIN) && c->positioned && c->view_set &&
      c->stable == NULL && c->ckpt == NULL && c->view_role == st->role &&
      c->view_generation == st->generation)
        return (0);
    id = 0;
    if (st->role == LT_FOLLOWER && (rc = lt_follower_ckpt_id(c, st, &id)) != 0)
        return (rc);
    use_ingest = st->role == LT_FOLLOWER || st->transition == LT_TR_STEP_UP;
    cur = c->ckpt == NULL ? 0 : c->ckpt->id;
    if (LT_FAULT(s->cl, LT_FAULT_CKPT_NOTFOUND) && c->positioned && cur != 0 && st->ckpt_id > cur &&
      st->role == LT_FOLLOWER)
        return (WT_NOTFOUND); /* defect: the node's checkpoint advanced under a positioned cursor */
    /* A step-up's view without a stable constituent holds only until the step-up makes one. */
    if (c->view_set && c->view_generation == st->generation && c->view_role == st->role &&
      cur == id && c->use_ingest == use_ingest && !(st->role == LT_LEADER && c->stable == NULL) &&
      c->view_live == (c->ckpt != NULL && lt_reads_below(s, c->ckpt)))
        return (0);

    if ((rc = __lt_key_own(c)) != 0)
        return (rc);
    lt_close_stable(c);
    if (c->ic != NULL) { /* reopened on the entry's current ingest table when needed */
        (void)c->ic->close(c->ic);
        c->ic = NULL;
    }
    __lt_merge_invalidate(c);
    c->view_set = false;
    ck = NULL;
    if (st->role == LT_LEADER) {
        __lt_mutex_lock(s->cl, &n->catalog_lock, n->id);
        if ((stable = c->entry->stable) != NULL)
            __lt_stable_ref(s->cl, stable);
        __lt_mutex_unlock(&n->catalog_lock);
        /* During a step-up, before it made the stable constituent of a table no checkpoint
         * holds, every row of the table is in the ingest: the view is the ingest alone. So is it
         * for a table created past an asynchronous step-down's boundary (the boundary policy
         * gives it no stable constituent): reads are never refused for a transition. */
        if (stable == NULL && !use_ingest && st->transition == LT_TR_STEP_DOWN)
            use_ingest = true;
        if (stable == NULL && !use_ingest)
            return (__lt_err(s->cl, ENOENT,
              "table %s on leader node %d has no stable "
              "constituent",
              c->entry->name, n->id));
        c->cut = 0;
        if (use_ingest) /* during step-up: ingest versions the drain has not moved yet */
            c->cut = __lt_entry_cut(stable);
    } else {
        if (id != 0 && (ck = __lt_ckpt_pin(s->cl, id)) == NULL)
            return (
              __lt_err(s->cl, EINVAL, "checkpoint %" PRIu64 " of node %d is gone", id, n->id));
        stable = lt_view_stable(c, ck, &cut);
        if (LT_FAULT(s->cl, LT_FAULT_UNBOUND_NO_PIN) && stable == NULL && ck != NULL) {
            __lt_ckpt_unpin(s->cl, ck); /* defect: a view without stable pins no checkpoint */
            ck = NULL;
        }
        /*
         * As upstream's, the node's own ingest versions win over the checkpoint until GC removes
         * them, but not those from before the entry was bound to this stable incarnation: they
         * belong to another life of the table (I7) or precede the leader's copy.
         */
        c->cut = stable == NULL ? 0 : cut;
        /*
         * A snapshot read below every checkpoint reads the view's history, as upstream's: 3.2.1's
         * named checkpoints keep none, but the shared live table keeps it down to the oldest
         * timestamp, and no leader commits at or below a checkpoint it published.
         */
        live = ck != NULL && lt_reads_below(s, ck);
        if (ck != NULL && !live)
            (void)snprintf(cfg, sizeof(cfg), "checkpoint=%s", ck->wt_name);
    }
    c->ckpt = ck;
    c->stable = stable;
    if (st->role == LT_FOLLOWER && id == 0)
        __lt_cursor_bare_pin(c, true);
    if (stable != NULL) {
        rc = LT_WT(s->cl, "cursor.open_stable",
          s->wt->open_cursor(s->wt, stable->uri, NULL, cfg[0] == '\0' ? NULL : cfg, &c->sc));
        if (rc == ENOENT)
            c->sc = NULL; /* not in that checkpoint: empty */
        else if (rc != 0) {
            c->sc = NULL;
            lt_close_stable(c);
            return (__lt_err(s->cl, rc,
              "cannot open the stable constituent of table %s on "
              "node %d%s%s: %s",
              c->entry->name, n->id, cfg[0] ? " at " : "", cfg, wiredtiger_strerror(rc)));
        }
    }
    if (use_ingest && (rc = __lt_cursor_ic(c)) != 0) {
        lt_close_stable(c);
        return (rc);
    }
    c->use_ingest = use_ingest;
    c->view_live = live;
    c->view_generation = st->generation;
    c->view_role = st->role;
    c->view_set = true;
    /* Defect: a positioned cursor that followed a pickup finds its key again by exact search. */
    if (LT_FAULT(s->cl, LT_FAULT_PICKUP_RESEARCH) && c->positioned && st->role == LT_FOLLOWER &&
      cur != 0 && id != cur) {
        const void *v;
        size_t vlen;

        return (__lt_point_read(c, c->key, c->klen, &v, &vlen));
    }
    return (0);
}

/* ---------------------------------------------------------------------------------------------
 * Open, close, keys and values.
 */
int
lt_cursor_open(lt_session *s, const char *table, const char *config, lt_cursor **cp)
{
    lt_cursor *c;
    lt_entry *e;
    lt_node *n;
    bool overwrite;
    int rc;

    __lt_api_enter();
    if (cp != NULL)
        *cp = NULL;
    if (s == NULL || cp == NULL)
        return (__lt_err(NULL, EINVAL, "lt_cursor_open: NULL %s",
          s == NULL ? "session" : "cursor pointer"));
    n = s->node;
    if (table == NULL || !__lt_valid_name(table))
        return (__lt_err(s->cl, EINVAL, "lt_cursor_open on node %d: bad table name", n->id));
    overwrite = true;
    if (config != NULL && config[0] != '\0') {
        if (strcmp(config, "overwrite=false") == 0)
            overwrite = false;
        else if (strcmp(config, "overwrite=true") != 0)
            return (__lt_err(s->cl, EINVAL,
              "lt_cursor_open of table %s on node %d: unknown "
              "configuration '%s' (overwrite=true or overwrite=false)",
              table, n->id, config));
    }
    if ((rc = __lt_session_stale(s, "lt_cursor_open")) != 0 ||
      (rc = __lt_hook_probe(n, LT_OP_CURSOR_OPEN)) != 0) /* LT_FAULT_HOOK_AT_LOCK only */
        return (rc);
    if ((c = calloc(1, sizeof(*c))) == NULL)
        return (__lt_err(s->cl, ENOMEM, "lt_cursor_open: out of memory"));
    __lt_mutex_lock(s->cl, &n->catalog_lock, n->id);
    if ((e = __lt_entry_find_locked(n, table)) != NULL) {
        e->cursors++;
        e->refs++;
    }
    __lt_mutex_unlock(&n->catalog_lock);
    if (e == NULL) {
        free(c);
        /* Absent because a restart emptied the catalogue since the check above: ESTALE. */
        if ((rc = __lt_session_stale(s, "lt_cursor_open")) != 0)
            return (rc);
        return (__lt_err(s->cl, ENOENT, "lt_cursor_open: no table %s on node %d", table, n->id));
    }
    c->session = s;
    c->entry = e;
    c->overwrite = overwrite;
    c->next = s->cursors;
    s->cursors = c;
    *cp = c;
    return (0);
}

int
__lt_cursor_close_int(lt_cursor *c)
{
    lt_session *s = c->session;
    lt_node *n = s->node;
    lt_cursor **cp;

    lt_close_stable(c);
    if (c->ic != NULL)
        (void)c->ic->close(c->ic);
    __lt_mutex_lock(s->cl, &n->catalog_lock, n->id);
    c->entry->cursors--;
    __lt_entry_unref_locked(n, c->entry);
    __lt_mutex_unlock(&n->catalog_lock);
    for (cp = &s->cursors; *cp != NULL; cp = &(*cp)->next)
        if (*cp == c) {
            *cp = c->next;
            break;
        }
    free(c->pkey);
    free(c->kbuf);
    free(c->pvbuf);
    free(c->vbuf);
    free(c->wbuf);
    free(c->tbuf);
    free(c->cbuf);
    free(c->parkbuf);
    free(c);
    return (0);
}

int
lt_cursor_close(lt_cursor *c)
{
    __lt_api_enter();
    if (c == NULL)
        return (0);
    return (__lt_cursor_close_int(c));
}

void
lt_cursor_set_key(lt_cursor *c, const char *key)
{
    size_t len;

    if (c == NULL)
        return;
    (void)__lt_key_own(c); /* the position stays where it is, its key now owned */
    if (key == NULL || (len = strnlen(key, LT_KEY_MAX + 1)) > LT_KEY_MAX) {
        c->arg_error = EINVAL;
        c->arg_toolong = key != NULL;
        c->key_set = false;
        return;
    }
    if (__lt_buf_reserve(&c->kbuf, &c->kcap, len + 1) != 0) {
        c->arg_error = ENOMEM;
        return;
    }
    memcpy(c->kbuf, key, len + 1);
    c->key = c->kbuf;
    c->klen = len;
    c->key_set = true;
    c->arg_error = 0;
}

void
lt_cursor_set_value(lt_cursor *c, const void *data, size_t size)
{
    if (c == NULL)
        return;
    if ((data == NULL && size != 0) || size > LT_VALUE_MAX) {
        c->arg_error = EINVAL;
        c->arg_toolong = size > LT_VALUE_MAX;
        c->val_set = false;
        return;
    }
    if (__lt_buf_reserve(&c->vbuf, &c->vcap, size + 1) != 0) {
        c->arg_error = ENOMEM;
        return;
    }
    if (size != 0)
        memcpy(c->vbuf, data, size);
    c->val = c->vbuf;
    c->vlen = size;
    c->val_set = true;
}

int
lt_cursor_get_key(lt_cursor *c, const char **keyp)
{
    __lt_api_enter();
    if (c == NULL || keyp == NULL)
        return (__lt_err(NULL, EINVAL, "lt_cursor_get_key: NULL argument"));
    if (!c->key_set)
        return (__lt_err(c->session->cl, EINVAL, "lt_cursor_get_key on table %s: no key is set",
          c->entry->name));
    *keyp = c->key;
    return (0);
}

int
lt_cursor_get_value(lt_cursor *c, const void **datap, size_t *sizep)
{
    __lt_api_enter();
    if (c == NULL || datap == NULL || sizep == NULL)
        return (__lt_err(NULL, EINVAL, "lt_cursor_get_value: NULL argument"));
    if (!c->val_set)
        return (__lt_err(c->session->cl, EINVAL,
          "lt_cursor_get_value on table %s: the cursor "
          "has no value",
          c->entry->name));
    *datap = c->val;
    *sizep = c->vlen;
    return (0);
}

/* ---------------------------------------------------------------------------------------------
 * Operations.
 */

/*
 * __lt_cursor_enter --
 *     Enter an operation (the public call has begun: __lt_api_enter): checks, the gate and the
 *     view. On success the caller must __lt_op_exit.
 */
int
__lt_cursor_enter(lt_cursor *c, const lt_state **stp, bool write, bool need_key, bool need_value,
  const char *what)
{
    int rc;

    if (!write || !need_value || !c->overwrite) /* asked to read (lt_cursor.h), even if it fails */
        c->read_open = true;
    if (c->arg_error != 0) {
        rc = c->arg_error;
        c->arg_error = 0;
        return (__lt_err(c->session->cl, rc, "%s on table %s: the key or value set was %s", what,
          c->entry->name, c->arg_toolong ? "too long" : "invalid"));
    }
    if ((need_key || write) && (rc = __lt_key_own(c)) != 0)
        return (
          __lt_err(c->session->cl, rc, "%s on table %s: out of memory", what, c->entry->name));
    if (need_key && !c->key_set)
        return (
          __lt_err(c->session->cl, EINVAL, "%s on table %s: no key is set", what, c->entry->name));
    if (need_value && !c->val_set)
        return (__lt_err(c->session->cl, EINVAL, "%s on table %s: no value is set", what,
          c->entry->name));
    if ((rc = __lt_op_enter(c->session, stp, write, what, c->entry->name)) != 0) {
        __lt_cursor_unposition(c);
        return (rc);
    }
    if (!c->session->txn.active) {
        uint64_t epoch = __lt_epoch_read(c->session->node);

        if (epoch != c->session->epoch_seen) {
            __lt_session_release_snapshot(c->session);
            c->session->epoch_seen = epoch;
        }
    }
    if ((rc = __lt_cursor_view(c, *stp)) != 0) {
        __lt_op_exit();
        __lt_cursor_unposition(c);
        return (rc);
    }
    return (0);
}

static int
lt_cursor_move(lt_cursor *c, int dir)
{
    const lt_state *st;
    int rc;

    __lt_api_enter();
    if (c == NULL)
        return (__lt_err(NULL, EINVAL, "lt_cursor_%s: NULL cursor", dir > 0 ? "next" : "prev"));
    if ((rc = __lt_cursor_enter(c, &st, false, false, false, dir > 0 ? "next" : "prev")) != 0)
        return (rc);
    rc = __lt_merge_move(c, dir);
    __lt_op_exit();
    return (rc);
}

int
lt_cursor_next(lt_cursor *c)
{
    return (lt_cursor_move(c, 1));
}

int
lt_cursor_prev(lt_cursor *c)
{
    return (lt_cursor_move(c, -1));
}

int
lt_cursor_reset(lt_cursor *c)
{
    __lt_api_enter();
    if (c == NULL)
        return (__lt_err(NULL, EINVAL, "lt_cursor_reset: NULL cursor"));
    __lt_cursor_unposition(c);
    c->arg_error = 0;
    if (c->ic != NULL)
        (void)c->ic->reset(c->ic);
    /*
     * A reset cursor pins nothing: a follower view's checkpoint is released (the next operation
     * chooses the node's current one), so a reset cursor holds back neither the oldest timestamp
     * nor ingest GC; a positioned one keeps its view, and GC keeps what it reads. A leader view
     * reads the live stable table and pins nothing.
     */
    if (c->ckpt != NULL || c->bare_pin) {
        lt_close_stable(c);
        c->view_set = false;
    } else if (c->sc != NULL)
        (void)c->sc->reset(c->sc);
    return (0);
}

int
lt_cursor_largest_key(lt_cursor *c)
{
    int rc;

    __lt_api_enter();
    if ((rc = lt_cursor_reset(c)) != 0 || (rc = lt_cursor_prev(c)) != 0)
        return (rc);
    /* As upstream's: the largest key is the cursor's key, with no position and no value. */
    return (__lt_cursor_hold_key(c, c->key, c->klen));
}

int
lt_cursor_search(lt_cursor *c)
{
    const lt_state *st;
    const void *val;
    size_t vlen;
    int rc;

    __lt_api_enter();
    if (c == NULL)
        return (__lt_err(NULL, EINVAL, "lt_cursor_search: NULL cursor"));
    if ((rc = __lt_cursor_enter(c, &st, false, true, false, "search")) != 0)
        return (rc);
    rc = __lt_point_read(c, c->key, c->klen, &val, &vlen);
    if (rc == 0 && (rc = __lt_cursor_pos_at_key(c)) == 0) {
        c->val = val;
        c->vlen = vlen;
        c->val_set = true;
    }
    if (rc != 0) /* the key stays for a retry (a prepare conflict) or a write */
        (void)__lt_cursor_hold_key(c, c->key, c->klen);
    __lt_op_exit();
    return (rc);
}

int
lt_cursor_search_near(lt_cursor *c, int *exactp)
{
    const lt_state *st;
    int rc;

    __lt_api_enter();
    if (c == NULL || exactp == NULL)
        return (__lt_err(NULL, EINVAL, "lt_cursor_search_near: NULL argument"));
    if ((rc = __lt_cursor_enter(c, &st, false, true, false, "search_near")) != 0)
        return (rc);
    /* The seek overwrites the cursor's key: seek from a copy. */
    char target[LT_KEY_MAX + 1];
    size_t tlen = c->klen;

    memcpy(target, c->key, tlen + 1);
    rc = __lt_search_near(c, target, tlen, exactp);
    if (rc == WT_PREPARE_CONFLICT) /* the target stays the key: a retry searches it again */
        (void)__lt_cursor_hold_key(c, target, tlen);
    __lt_op_exit();
    return (rc);
}
