/*
 * cursor_write.c -- the layered cursor's writes: insert, update, remove and modify, routed by
 * the node's role (stable on a leader, a version row in ingest on a follower).
 */
#include "lt_wtfault.h"
#include "lt_merge.h"

/*
 * __lt_cursor_write --
 *     Write one key by the node's role: a leader updates or removes the stable row; a follower
 *     writes a version row (a tombstone for a remove) into its ingest, at the commit timestamp.
 */
int
__lt_cursor_write(lt_cursor *c, const lt_state *st, const char *key, size_t klen, const void *val,
  size_t vlen, bool tomb)
{
    lt_session *s = c->session;
    lt_cluster *cl = s->cl;
    lt_node *n = s->node;
    WT_CURSOR *wc;
    WT_ITEM k, v;
    lt_role role;
    int rc;

    role = st->role;
    if (LT_FAULT(cl, LT_FAULT_WRITE_ROLE_REREAD)) {
        /* Upstream's window (test-only): the write is routed outside the gate. */
        __lt_op_exit();
        LT_YIELD(cl, "write.after_role_check", n->id);
        __lt_rcu_read_lock();
        role = __lt_state_read(n)->role;
    } else
        LT_YIELD(cl, "write.after_role_check", n->id);
    __lt_merge_invalidate(c);
    memset(&k, 0, sizeof(k));
    memset(&v, 0, sizeof(v));
    if (role == LT_LEADER) {
        if ((wc = c->sc) == NULL)
            return (__lt_err(cl, ENOENT,
              "write to table %s on leader node %d: no stable "
              "constituent",
              c->entry->name, n->id));
        (void)wc->reset(wc);
        k.data = key;
        k.size = klen + 1; /* stable keys keep their NUL (key is a C string) */
        wc->set_key(wc, &k);
        if (tomb)
            rc = LT_WT(cl, "write.stable_remove", wc->remove(wc));
        else {
            v.data = val;
            v.size = vlen;
            wc->set_value(wc, &v);
            rc = LT_WT(cl, "write.stable_insert", wc->insert(wc));
        }
        if (rc == WT_NOTFOUND && tomb)
            rc = 0;
        if (rc == 0)
            __lt_txn_wrote_stable(s, c->stable);
    } else {
        if ((rc = __lt_cursor_ic(c)) != 0)
            return (rc);
        wc = c->ic;
        if ((rc = __lt_ing_encode_key(&c->wbuf, &c->wcap, key, klen, s->txn.commit_ts, &k)) != 0 ||
          (rc = __lt_buf_reserve(&c->tbuf, &c->tcap, vlen + 1)) != 0)
            return (__lt_err(cl, ENOMEM, "write to table %s: out of memory", c->entry->name));
        c->tbuf[0] = tomb ? 'T' : 'V';
        if (!tomb && vlen != 0)
            memcpy(c->tbuf + 1, val, vlen);
        v.data = c->tbuf;
        v.size = tomb ? 1 : vlen + 1;
        (void)wc->reset(wc);
        wc->set_key(wc, &k);
        wc->set_value(wc, &v);
        rc = LT_WT(cl, "write.ingest_insert", wc->insert(wc));
    }
    if (rc != 0)
        return (
          __lt_err(cl, rc, "%s of a key in table %s on node %d (%s): %s", tomb ? "remove" : "write",
            c->entry->name, n->id, lt_role_name(role), wiredtiger_strerror(rc)));
    s->txn.wrote = true;
    __lt_epoch_bump(n);
    return (0);
}

/* Is the cursor's key visible? 0 yes, WT_NOTFOUND no, else an error. */
static int
lt_exists(lt_cursor *c, const void **valp, size_t *vlenp)
{
    return (__lt_point_read(c, c->key, c->klen, valp, vlenp));
}

int
lt_cursor_insert(lt_cursor *c)
{
    const lt_state *st;
    const void *val;
    size_t vlen;
    bool dup, dup_val;
    int rc;

    __lt_api_enter();
    dup = dup_val = false;
    if (c == NULL)
        return (__lt_err(NULL, EINVAL, "lt_cursor_insert: NULL cursor"));
    if ((rc = __lt_cursor_enter(c, &st, true, true, true, "insert")) != 0)
        return (rc);
    /* A follower checks only its own writes: as upstream's, it leaves the rest to the leader. */
    if (!c->overwrite &&
      (rc = st->role == LT_FOLLOWER ? __lt_ingest_read(c, c->key, c->klen, &val, &vlen) :
                                      lt_exists(c, &val, &vlen)) != WT_NOTFOUND) {
        if (rc == 0) {
            /* As WiredTiger does: the existing value becomes the cursor's value (the key stays). */
            dup = true;
            if (__lt_buf_reserve(&c->vbuf, &c->vcap, vlen + 1) == 0) {
                if (vlen != 0)
                    memcpy(c->vbuf, val, vlen);
                c->vlen = vlen;
                dup_val = true;
            }
            rc = __lt_err(c->session->cl, WT_DUPLICATE_KEY,
              "insert into table %s on node %d: "
              "the key exists (overwrite=false)",
              c->entry->name, c->session->node->id);
        }
        goto done;
    }
    rc = __lt_cursor_write(c, st, c->key, c->klen, c->vbuf, c->vlen, false);
done:
    __lt_op_exit();
    __lt_cursor_unposition(c); /* insert never keeps a position, like WiredTiger's */
    if (dup) {
        c->key_set = true;
        c->val = c->vbuf;
        c->val_set = dup_val;
    }
    return (rc);
}

static int
lt_update_to(lt_cursor *c, const lt_state *st, const void *val, size_t vlen)
{
    int rc;

    if ((rc = __lt_cursor_write(c, st, c->key, c->klen, val, vlen, false)) != 0)
        return (rc);
    if (val != c->vbuf) {
        if (__lt_buf_reserve(&c->vbuf, &c->vcap, vlen + 1) != 0)
            return (ENOMEM);
        if (vlen != 0)
            memmove(c->vbuf, val, vlen);
    }
    /* A blind update (the cursor never read) holds its key but no position (lt_cursor.h). */
    if ((c->read_open ? __lt_cursor_pos_at_key(c) : __lt_cursor_hold_key(c, c->key, c->klen)) != 0)
        return (ENOMEM);
    c->val = c->vbuf;
    c->vlen = vlen;
    c->val_set = true;
    return (0);
}

int
lt_cursor_update(lt_cursor *c)
{
    const lt_state *st;
    const void *val;
    size_t vlen;
    int rc;

    __lt_api_enter();
    if (c == NULL)
        return (__lt_err(NULL, EINVAL, "lt_cursor_update: NULL cursor"));
    if ((rc = __lt_cursor_enter(c, &st, true, true, true, "update")) != 0)
        return (rc);
    if (!c->overwrite && (rc = lt_exists(c, &val, &vlen)) != 0) {
        if (rc == WT_NOTFOUND)
            (void)__lt_err(c->session->cl, rc,
              "update of table %s on node %d: no such key "
              "(overwrite=false)",
              c->entry->name, c->session->node->id);
        goto err;
    }
    vlen = c->vlen;
    if ((rc = lt_update_to(c, st, c->vbuf, vlen)) != 0)
        goto err;
    __lt_op_exit();
    return (0);
err:
    __lt_op_exit();
    __lt_cursor_unposition(c);
    return (rc);
}

int
lt_cursor_remove(lt_cursor *c)
{
    const lt_state *st;
    const void *val;
    size_t vlen;
    bool blind, stay;
    int rc;

    __lt_api_enter();
    if (c == NULL)
        return (__lt_err(NULL, EINVAL, "lt_cursor_remove: NULL cursor"));
    if ((rc = __lt_cursor_enter(c, &st, true, true, false, "remove")) != 0)
        return (rc);
    /*
     * A positioned remove (no set_key since the cursor moved) leaves the cursor where it was; a
     * remove by a set key does not keep a position, even on the same key, like WiredTiger's.
     */
    stay = c->positioned && c->key == c->pkey;
    /*
     * A position with a value was read: the remove writes without a lookup, as upstream's
     * positioned remove (a key another transaction removed since is no error). By key, or from
     * the position of this cursor's own remove, an absent key is WT_NOTFOUND.
     */
    blind = stay && c->val_set;
    if (stay && LT_FAULT(c->session->cl, LT_FAULT_REMOVE_OTHER_KEY) && __lt_merge_move(c, 1) == 0 &&
      __lt_key_own(c) == 0) {
        c->key = c->pkey; /* defect: the remove acts on the key after the position */
        c->klen = c->pklen;
    }
    rc = blind ? 0 : lt_exists(c, &val, &vlen);
    if (rc == WT_NOTFOUND)
        (void)__lt_err(c->session->cl, rc, "remove from table %s on node %d: no such key",
          c->entry->name, c->session->node->id);
    else if (rc == 0)
        rc = __lt_cursor_write(c, st, c->key, c->klen, NULL, 0, true);
    __lt_op_exit();
    c->val_set = false;
    __lt_merge_invalidate(c);
    if (rc != 0 && !stay) /* by key: the key stays set, as after a failed search */
        return (__lt_cursor_hold_key(c, c->key, c->klen) != 0 ? ENOMEM : rc);
    if (rc != 0 || !stay)
        c->positioned = false;
    if (rc != 0)
        c->key_set = false;
    return (rc);
}

/* Apply one WiredTiger modify entry to buf[0..*lenp) as value_format=u does: pad with NUL. */
static int
lt_apply_modify(lt_cursor *c, size_t *lenp, const WT_MODIFY *m)
{
    size_t len = *lenp, tail, newlen;

    if (m->offset > len) {
        if (__lt_buf_reserve(&c->tbuf, &c->tcap, m->offset + 1) != 0)
            return (ENOMEM);
        memset(c->tbuf + len, 0, m->offset - len);
        len = m->offset;
    }
    tail = m->offset + m->size < len ? m->offset + m->size : len;
    newlen = m->offset + m->data.size + (len - tail);
    if (__lt_buf_reserve(&c->tbuf, &c->tcap, newlen + 1) != 0)
        return (ENOMEM);
    memmove(c->tbuf + m->offset + m->data.size, c->tbuf + tail, len - tail);
    if (m->data.size != 0)
        memcpy(c->tbuf + m->offset, m->data.data, m->data.size);
    *lenp = newlen;
    return (0);
}

int
lt_cursor_modify(lt_cursor *c, WT_MODIFY *entries, int nentries)
{
    const lt_state *st;
    const void *val;
    size_t vlen;
    int i, rc;
    bool key_set;

    __lt_api_enter();
    if (c == NULL || (entries == NULL && nentries != 0) || nentries < 0)
        return (__lt_err(NULL, EINVAL, "lt_cursor_modify: bad arguments"));
    if ((rc = __lt_cursor_enter(c, &st, true, true, false, "modify")) != 0)
        return (rc);
    if ((rc = lt_exists(c, &val, &vlen)) != 0)
        goto err;
    if (LT_FAULT(c->session->cl, LT_FAULT_MODIFY_STABLE)) {
        WT_CURSOR *sc = c->sc; /* defect: only ingest is searched for the key */
        const void *v2;
        size_t v2len;

        c->sc = NULL;
        rc = __lt_point_read(c, c->key, c->klen, &v2, &v2len);
        c->sc = sc;
        if (rc == WT_NOTFOUND)
            goto err;
        if ((rc = lt_exists(c, &val, &vlen)) != 0)
            goto err;
    }
    if ((rc = __lt_buf_reserve(&c->tbuf, &c->tcap, vlen + 1)) != 0)
        goto err;
    if (vlen != 0)
        memcpy(c->tbuf, val, vlen);
    for (i = 0; i < nentries; i++)
        if ((rc = lt_apply_modify(c, &vlen, &entries[i])) != 0)
            goto err;
    if (vlen > LT_VALUE_MAX) {
        rc = __lt_err(c->session->cl, EINVAL,
          "modify of table %s: the value would exceed %d "
          "bytes",
          c->entry->name, LT_VALUE_MAX);
        goto err;
    }
    /* The write reuses tbuf for the tagged value: move the result to vbuf first. */
    if ((rc = __lt_buf_reserve(&c->vbuf, &c->vcap, vlen + 1)) != 0)
        goto err;
    if (vlen != 0)
        memcpy(c->vbuf, c->tbuf, vlen);
    if ((rc = lt_update_to(c, st, c->vbuf, vlen)) != 0)
        goto err;
    __lt_op_exit();
    return (0);
err:
    __lt_op_exit();
    key_set = c->key_set;
    __lt_cursor_unposition(c);
    /* As WiredTiger: a modify of an absent key leaves the cursor unpositioned, its key set. */
    c->key_set = rc == WT_NOTFOUND && key_set;
    return (rc);
}
