/*
 * truncate.c -- lt_truncate: remove every row of a layered table in the caller's transaction.
 * A schema operation (it goes through the Role Transition Isolation hook) that writes like a
 * data operation: a leader truncates the stable range, a follower writes a tombstone into its
 * ingest for every key it can see, every key the shared stable table holds and every key of a
 * checkpoint newer than its view.
 */
#include "lt_life.h"
#include "lt_wtfault.h"

/* A growable list of keys (the follower's truncate set). */
typedef struct {
    char **keys;
    size_t n, cap;
} lt_keylist;

static int
lt_keylist_add(lt_keylist *l, const char *key, size_t klen)
{
    char **k2;

    if (l->n == l->cap) {
        l->cap = l->cap == 0 ? 256 : l->cap * 2;
        if ((k2 = realloc(l->keys, l->cap * sizeof(*l->keys))) == NULL)
            return (ENOMEM);
        l->keys = k2;
    }
    if ((l->keys[l->n] = strndup(key, klen)) == NULL)
        return (ENOMEM);
    l->n++;
    return (0);
}

static void
lt_keylist_free(lt_keylist *l)
{
    size_t i;

    for (i = 0; i < l->n; i++)
        free(l->keys[i]);
    free(l->keys);
}

/*
 * lt_truncate_stable_keys --
 *     Add every key the shared stable incarnation the entry is bound to holds now. A follower's
 *     view can miss rows a leader committed after the checkpoint it reads (its own, before it
 *     stepped down, or a write whose copy has not reached its ingest); the truncate removes them
 *     too, or a later step-up of this node would drain its tombstones and leave them in stable.
 */
static int
lt_truncate_stable_keys(lt_session *s, lt_cursor *c, lt_keylist *l)
{
    lt_node *n = s->node;
    lt_stable *st;
    WT_CURSOR *sc;
    WT_ITEM k;
    int rc;

    __lt_mutex_lock(s->cl, &n->catalog_lock, n->id);
    if ((st = c->entry->stable) != NULL)
        __lt_stable_ref(s->cl, st);
    __lt_mutex_unlock(&n->catalog_lock);
    if (st == NULL)
        return (0); /* unbound: no leader's rows to know of */
    if ((rc = LT_WT(s->cl, "truncate.open_cursor",
           s->wt->open_cursor(s->wt, st->uri, NULL, NULL, &sc))) == 0) {
        while ((rc = sc->next(sc)) == 0 && (rc = sc->get_key(sc, &k)) == 0)
            if ((rc = lt_keylist_add(l, k.data, k.size - 1)) != 0) /* stored with its NUL */
                break;
        if (rc == WT_NOTFOUND)
            rc = 0;
        (void)sc->close(sc);
    } else if (rc == ENOENT)
        rc = 0; /* dropped meanwhile: nothing to remove */
    __lt_stable_unref(s->cl, st);
    return (rc);
}

/* Add the keys stable incarnation st holds in WiredTiger checkpoint ck (pinned). */
static int
lt_truncate_ckpt_keys(lt_session *s, lt_stable *st, const lt_ckpt *ck, lt_keylist *l)
{
    WT_CURSOR *sc;
    WT_ITEM k;
    char cfg[64];
    int rc;

    (void)snprintf(cfg, sizeof(cfg), "checkpoint=%s", ck->wt_name);
    if ((rc = s->wt->open_cursor(s->wt, st->uri, NULL, cfg, &sc)) == ENOENT)
        return (0); /* not in that checkpoint */
    if (rc != 0)
        return (rc);
    while ((rc = sc->next(sc)) == 0 && (rc = sc->get_key(sc, &k)) == 0)
        if ((rc = lt_keylist_add(l, k.data, k.size - 1)) != 0)
            break;
    (void)sc->close(sc);
    return (rc == WT_NOTFOUND ? 0 : rc);
}

/*
 * lt_truncate_newer_ckpt_keys --
 *     Add the keys of every checkpoint newer than the node's view that holds the entry's stable
 *     incarnation: the follower may pick one up later, taken before the leader truncated, with
 *     rows its view never showed (written while this node led, so not in its ingest). Its
 *     truncate came after them and must hide them then.
 */
static int
lt_truncate_newer_ckpt_keys(lt_session *s, lt_cursor *c, lt_keylist *l)
{
    lt_cluster *cl = s->cl;
    lt_node *n = s->node;
    lt_entry *e = c->entry;
    lt_stable *rec, *st;
    lt_ckpt *ck;
    uint64_t last;
    int rc;

    __lt_mutex_lock(cl, &cl->ckpt_lock, -1);
    last = n->view == NULL ? 0 : n->view->id;
    __lt_mutex_unlock(&cl->ckpt_lock);
    for (rc = 0; rc == 0;) {
        __lt_mutex_lock(cl, &cl->ckpt_lock, -1);
        for (ck = cl->ckpts; ck != NULL && ck->id <= last; ck = ck->next)
            ;
        if (ck != NULL)
            ck->pins++;
        __lt_mutex_unlock(&cl->ckpt_lock);
        if (ck == NULL)
            break;
        last = ck->id;
        __lt_mutex_lock(cl, &n->catalog_lock, n->id);
        st = e->stable;
        rec = __lt_ckpt_stable_for(ck, e->name);
        if (rec != NULL && (rec == st || (st == NULL && __lt_life_binds(cl, e, rec))))
            __lt_stable_ref(cl, rec); /* what a view of ck would bind (lt_view_stable) */
        else
            rec = NULL;
        __lt_mutex_unlock(&n->catalog_lock);
        if (rec != NULL) {
            rc = lt_truncate_ckpt_keys(s, rec, ck, l);
            __lt_stable_unref(cl, rec);
        }
        __lt_ckpt_unpin(cl, ck);
    }
    return (rc);
}

static int
lt_truncate_rows(lt_session *s, lt_cursor *c, const lt_state *st, uint64_t *countp)
{
    WT_SESSION *wt = s->wt;
    lt_keylist l;
    size_t i;
    int rc;

    *countp = 0;
    if (st->role == LT_LEADER) {
        if (c->sc == NULL)
            return (__lt_err(s->cl, ENOENT,
              "truncate of table %s on leader node %d: no stable "
              "constituent",
              c->entry->name, s->node->id));
        (void)c->sc->reset(c->sc);
        if ((rc = c->sc->next(c->sc)) == WT_NOTFOUND)
            return (0);
        if (rc == 0)
            rc = LT_WT(s->cl, "truncate.wt", wt->truncate(wt, NULL, c->sc, NULL, NULL));
        if (rc != 0)
            return (__lt_err(s->cl, rc, "truncate of table %s on node %d: %s", c->entry->name,
              s->node->id, wiredtiger_strerror(rc)));
        (void)c->sc->reset(c->sc);
        s->txn.wrote = true;
        __lt_txn_wrote_stable(s, c->stable); /* its high-water mark moves at commit */
        __lt_epoch_bump(s->node);
        *countp = 1;
        return (0);
    }

    /*
     * Follower: tombstone every key it can see and every key the shared stable holds (a key in
     * both gets the same tombstone twice: one ingest row).
     */
    memset(&l, 0, sizeof(l));
    for (rc = __lt_merge_seek(c, NULL, 0, 1, true); rc == 0; rc = __lt_merge_move(c, 1))
        if ((rc = lt_keylist_add(&l, c->key, strlen(c->key))) != 0)
            break;
    if (rc == WT_NOTFOUND && (rc = lt_truncate_stable_keys(s, c, &l)) == 0)
        rc = lt_truncate_newer_ckpt_keys(s, c, &l);
    for (i = 0; i < l.n && rc == 0; i++)
        rc = __lt_cursor_write(c, st, l.keys[i], strlen(l.keys[i]), NULL, 0, true);
    *countp = l.n;
    lt_keylist_free(&l);
    return (rc);
}

int
lt_truncate(lt_session *s, const char *name)
{
    const lt_state *st;
    lt_cursor *c;
    lt_ticket t;
    uint64_t count;
    bool begun;
    int rc;

    __lt_api_enter();
    if (s != NULL && s->txn.active == false && name != NULL && __lt_valid_name(name))
        return (__lt_err(s->cl, EINVAL,
          "truncate of table %s on node %d: needs an explicit "
          "transaction with a commit timestamp",
          name, s->node->id));
    if (s != NULL && s->txn.active && s->txn.commit_ts == 0)
        return (__lt_err(s->cl, EINVAL,
          "truncate of table %s on node %d: the transaction has "
          "no commit timestamp",
          name != NULL ? name : "-", s->node->id));
    if ((rc = __lt_schema_begin(s, name, LT_OP_TRUNCATE, &t, &begun)) != 0)
        goto done;
    LT_YIELD(s->cl, "truncate.after_admit", s->node->id);
    if ((rc = lt_cursor_open(s, name, NULL, &c)) != 0)
        goto done;
    if ((rc = __lt_cursor_enter(c, &st, true, false, false, "truncate")) == 0) {
        if ((rc = lt_truncate_rows(s, c, st, &count)) == 0)
            __lt_node_event(s->node, LT_EV_SCHEMA_EFFECT, LT_OP_TRUNCATE, name, t.opid, 0, count,
              0);
        __lt_op_exit();
    }
    (void)__lt_cursor_close_int(c); /* not the public close: it would clear the error */
done:
    if (begun)
        __lt_schema_end(s, &t, rc);
    return (rc);
}
