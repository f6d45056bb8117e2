/*
 * cursor_pos.c -- a layered cursor's position: making its key its own before a constituent
 * cursor moves, positioning on the operation key, unpositioning, releasing a session's
 * constituent snapshots, and a held view's GC pin. Below the merge (merge.c), the gate (gate.c)
 * and the cursor API.
 */
#include "lt_internal.h"

/*
 * __lt_key_own --
 *     Make the position's key the cursor's own (pkey) before a constituent cursor moves.
 */
int
__lt_key_own(lt_cursor *c)
{
    if (!c->key_in_wt)
        return (0);
    c->key_in_wt = false;
    if (__lt_buf_reserve(&c->pkey, &c->pkcap, c->klen + 1) != 0) {
        c->positioned = c->key_set = c->val_set = false;
        return (ENOMEM);
    }
    memcpy(c->pkey, c->key, c->klen);
    c->pkey[c->klen] = '\0';
    c->pklen = c->klen;
    c->key = c->pkey;
    if (c->val_set) { /* the value was in the constituent's memory too */
        if (__lt_buf_reserve(&c->pvbuf, &c->pvcap, c->vlen + 1) != 0) {
            c->val_set = false;
            return (ENOMEM);
        }
        if (c->vlen != 0)
            memcpy(c->pvbuf, c->val, c->vlen);
        c->val = c->pvbuf;
    }
    return (0);
}

/*
 * __lt_cursor_pos_at_key --
 *     Position the cursor on its operation key (after a search or an update). The candidates of
 *     the merge are not valid there: the next move seeks from the key.
 */
int
__lt_cursor_pos_at_key(lt_cursor *c)
{
    if (c->key != c->pkey) {
        if (__lt_buf_reserve(&c->pkey, &c->pkcap, c->klen + 1) != 0)
            return (ENOMEM);
        memcpy(c->pkey, c->key, c->klen + 1);
        c->pklen = c->klen;
        c->key = c->pkey;
    }
    c->positioned = true;
    c->gap = 0;
    __lt_merge_invalidate(c);
    return (0);
}

/* Forget the position, the key and the value (a failed operation, or the end of a scan). */
void
__lt_cursor_unposition(lt_cursor *c)
{
    c->key_in_wt = false;
    c->positioned = false;
    c->gap = 0;
    c->key_set = false;
    c->val_set = false;
    __lt_merge_invalidate(c);
}

/*
 * __lt_cursor_hold_key --
 *     Forget the position and the value, keeping (key, klen) as the cursor's set key (see
 *     lt_cursor.h). The key may point into a constituent cursor's memory or the cursor's own.
 */
int
__lt_cursor_hold_key(lt_cursor *c, const char *key, size_t klen)
{
    if (key != c->kbuf) {
        if (__lt_buf_reserve(&c->kbuf, &c->kcap, klen + 1) != 0) {
            __lt_cursor_unposition(c);
            return (ENOMEM);
        }
        memmove(c->kbuf, key, klen);
        c->kbuf[klen] = '\0';
    }
    __lt_cursor_unposition(c);
    c->key = c->kbuf;
    c->klen = klen;
    c->key_set = true;
    return (0);
}

/*
 * __lt_session_release_snapshot --
 *     Outside a transaction, a positioned WiredTiger cursor keeps its session's snapshot, and so
 *     would hide commits made since (the drain's, another session's). When the node's data moved,
 *     unposition every constituent of the session's cursors; each re-seeks from its own key.
 *     A follower cursor last stepped outside a transaction keeps its ingest candidate, a copy
 *     (merge.c, "Parked"). Also called before the session's WiredTiger transaction begins or
 *     resolves: a rollback resets every WiredTiger cursor of the session, which the merge's
 *     candidates must not outlive.
 */
void
__lt_session_release_snapshot(lt_session *s)
{
    lt_cursor *x;

    for (x = s->cursors; x != NULL; x = x->next) {
        (void)__lt_key_own(x);
        /* Before the resets: a parked candidate is copied from its cursor's memory. */
        if (!__lt_merge_park(x))
            __lt_merge_invalidate(x);
        if (x->ic != NULL)
            (void)x->ic->reset(x->ic);
        if (x->sc != NULL)
            (void)x->sc->reset(x->sc);
    }
}

/*
 * __lt_cursor_bare_pin --
 *     Take or release the GC pin of a follower view with no checkpoint: the node's ingest is
 *     all such a view reads, so GC may not remove from it while the view is held.
 */
void
__lt_cursor_bare_pin(lt_cursor *c, bool take)
{
    lt_cluster *cl = c->session->cl;
    lt_node *n = c->session->node;

    if (c->bare_pin == take)
        return;
    __lt_mutex_lock(cl, &cl->ckpt_lock, -1);
    n->bare_views += take ? 1 : -1;
    __lt_mutex_unlock(&cl->ckpt_lock);
    c->bare_pin = take;
}
