/*
 * verify.c -- lt_verify: a schema operation that checks one layered table on the session's node.
 * Upstream's verify takes the checkpoint lock first; under the lock-based policies so does this
 * one (policy.c), and under the others it is admitted by the hook like any schema operation.
 */
#include "lt_wtfault.h"

int
lt_verify(lt_session *s, const char *name)
{
    WT_CURSOR *ic;
    WT_ITEM k;
    lt_cluster *cl;
    lt_ticket t;
    lt_entry *e;
    lt_node *n;
    lt_role role;
    char uri[LT_URI_MAX];
    uint64_t rows, ts;
    size_t klen;
    bool begun, past, stable;
    int rc;

    __lt_api_enter();
    if ((rc = __lt_schema_begin(s, name, LT_OP_VERIFY, &t, &begun)) != 0)
        goto done;
    cl = s->cl;
    n = s->node;
    __lt_rcu_read_lock();
    role = __lt_state_read(n)->role;
    __lt_rcu_read_unlock();
    (void)__lt_sx_epoch(n, &past);

    __lt_mutex_lock(cl, &n->catalog_lock, n->id);
    if ((e = __lt_entry_find_locked(n, name)) != NULL) {
        e->refs++; /* the entry outlives a concurrent drop until the walk ends */
        (void)snprintf(uri, sizeof(uri), "%s", e->ingest_uri);
        stable = e->stable != NULL;
    }
    __lt_mutex_unlock(&n->catalog_lock);
    if (e == NULL) {
        rc = __lt_err(cl, ENOENT, "verify of table %s on node %d: no such table", name, n->id);
        goto done;
    }
    rows = 0;
    if (role == LT_LEADER && !past && !stable)
        rc = __lt_err(cl, EINVAL,
          "verify of table %s on node %d: the leader's table has no stable constituent", name,
          n->id);
    else if ((rc = LT_WT(cl, "verify.open_cursor",
                s->wt_schema->open_cursor(s->wt_schema, uri, NULL, NULL, &ic))) != 0)
        rc = __lt_err(cl, rc, "verify of table %s on node %d: cannot open its ingest: %s", name,
          n->id, wiredtiger_strerror(rc));
    else {
        while ((rc = ic->next(ic)) == 0 && (rc = ic->get_key(ic, &k)) == 0) {
            if (!__lt_ing_decode_key(&k, &klen, &ts)) {
                rc = __lt_err(cl, EINVAL, "verify of table %s on node %d: corrupt ingest row", name,
                  n->id);
                break;
            }
            rows++;
        }
        (void)ic->close(ic);
        if (rc == WT_NOTFOUND)
            rc = 0;
        else if (rc != EINVAL)
            rc = __lt_err(cl, rc, "verify of table %s on node %d: reading its ingest: %s", name,
              n->id, wiredtiger_strerror(rc));
    }
    /* The verdict is the operation's effect: it describes the table at one point in time. */
    if (rc == 0)
        __lt_node_event(n, LT_EV_SCHEMA_EFFECT, LT_OP_VERIFY, name, t.opid, 0, rows, 0);
    __lt_mutex_lock(cl, &n->catalog_lock, n->id);
    __lt_entry_unref_locked(n, e);
    __lt_mutex_unlock(&n->catalog_lock);
done:
    if (begun)
        __lt_schema_end(s, &t, rc);
    return (rc);
}
