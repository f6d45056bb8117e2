/*
 * truncate.c -- lt_truncate: remove every row of a layered table in the caller's transaction.
 * A schema operation (it goes through the Role Transition Isolation hook) that writes like a
 * data operation: a leader truncates the stable range, a follower writes a tombstone for every
 * visible key into its ingest.
 */
#include "lt_internal.h"

static int
lt_truncate_rows(lt_session *s, lt_cursor *c, const lt_state *st, uint64_t *countp)
{
    WT_SESSION *wt = s->wt;
    char **keys, **k2;
    size_t n, cap, i;
    int rc;

    *countp = 0;
    if (st->role == LT_LEADER) {
        if (c->sc == NULL)
            return (__lt_err(s->cl, ENOENT, "truncate of table %s on leader node %d: no stable "
              "constituent", c->entry->name, s->node->id));
        (void)c->sc->reset(c->sc);
        if ((rc = c->sc->next(c->sc)) == WT_NOTFOUND)
            return (0);
        if (rc == 0)
            rc = wt->truncate(wt, NULL, c->sc, NULL, NULL);
        if (rc != 0)
            return (__lt_err(s->cl, rc, "truncate of table %s on node %d: %s", c->entry->name,
              s->node->id, wiredtiger_strerror(rc)));
        (void)c->sc->reset(c->sc);
        s->txn.wrote = true;
        __lt_txn_wrote_stable(s, c->stable); /* its high-water mark moves at commit */
        atomic_fetch_add(&s->node->epoch, 1);
        *countp = 1;
        return (0);
    }

    /* Follower: collect the visible keys, then tombstone each. */
    keys = NULL;
    n = cap = 0;
    for (rc = __lt_merge_seek(c, NULL, 0, 1, true); rc == 0; rc = __lt_merge_move(c, 1)) {
        if (n == cap) {
            cap = cap == 0 ? 256 : cap * 2;
            if ((k2 = realloc(keys, cap * sizeof(*keys))) == NULL) {
                rc = ENOMEM;
                break;
            }
            keys = k2;
        }
        if ((keys[n] = strdup(c->key)) == NULL) {
            rc = ENOMEM;
            break;
        }
        n++;
    }
    if (rc == WT_NOTFOUND)
        rc = 0;
    for (i = 0; i < n && rc == 0; i++)
        rc = __lt_cursor_write(c, st, keys[i], strlen(keys[i]), NULL, 0, true);
    for (i = 0; i < n; i++)
        free(keys[i]);
    free(keys);
    *countp = n;
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

    if (s != NULL && s->txn.active == false && name != NULL && __lt_valid_name(name))
        return (__lt_err(s->cl, EINVAL, "truncate of table %s on node %d: needs an explicit "
          "transaction with a commit timestamp", name, s->node->id));
    if (s != NULL && s->txn.active && s->txn.commit_ts == 0)
        return (__lt_err(s->cl, EINVAL, "truncate of table %s on node %d: the transaction has "
          "no commit timestamp", name != NULL ? name : "-", s->node->id));
    if ((rc = __lt_schema_begin(s, name, LT_OP_TRUNCATE, &t, &begun)) != 0)
        goto done;
    LT_YIELD(s->cl, "truncate.after_admit", s->node->id);
    if ((rc = lt_cursor_open(s, name, NULL, &c)) != 0)
        goto done;
    if ((rc = __lt_cursor_enter(c, &st, true, false, false, "truncate")) == 0) {
        if ((rc = lt_truncate_rows(s, c, st, &count)) == 0)
            __lt_node_event(s->node, LT_EV_SCHEMA_EFFECT, LT_OP_TRUNCATE, name, t.opid, 0,
              count, 0);
        __lt_op_exit();
    }
    (void)lt_cursor_close(c);
done:
    if (begun)
        __lt_schema_end(s, &t, rc);
    return (rc);
}
