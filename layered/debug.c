/*
 * debug.c -- lt_debug_key: where a key of a layered table lives on one node, for forensics.
 *
 * When a checker finds a row that should not be there (or one that is missing), the question is
 * which constituent served it: the node's catalogue entry (incarnation, binding, drop mark), the
 * checkpoint its view reads and whether that checkpoint holds the entry's stable incarnation,
 * the read cut, the stable incarnation's high-water mark, the key in live stable and in the
 * checkpoint, and every ingest version of the key. The description is read with a private
 * WiredTiger session outside any transaction; call it when the cluster is quiescent.
 */
#include "lt_restart.h"

typedef struct {
    char *buf;
    size_t len, off;
} lt_out;

static void lt_outf(lt_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
lt_outf(lt_out *o, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (o->off >= o->len)
        return;
    va_start(ap, fmt);
    n = vsnprintf(o->buf + o->off, o->len - o->off, fmt, ap);
    va_end(ap);
    if (n > 0)
        o->off = o->off + (size_t)n >= o->len ? o->len - 1 : o->off + (size_t)n;
}

/* The stable row of key in uri (cfg: NULL for live, "checkpoint=..." for a checkpoint). */
static void
lt_debug_stable(lt_out *o, WT_SESSION *wt, const char *what, const char *uri, const char *cfg,
  const char *key)
{
    WT_CURSOR *c;
    WT_ITEM k, v;
    int rc;

    if ((rc = wt->open_cursor(wt, uri, NULL, cfg, &c)) != 0) {
        lt_outf(o, "; %s: %s", what, rc == ENOENT ? "no such object" : wiredtiger_strerror(rc));
        return;
    }
    memset(&k, 0, sizeof(k));
    k.data = key;
    k.size = strlen(key) + 1; /* stable keys are stored with their NUL */
    c->set_key(c, &k);
    if ((rc = c->search(c)) == 0 && (rc = c->get_value(c, &v)) == 0)
        lt_outf(o, "; %s: \"%.*s\"", what, (int)v.size, (const char *)v.data);
    else
        lt_outf(o, "; %s: %s", what, rc == WT_NOTFOUND ? "absent" : wiredtiger_strerror(rc));
    (void)c->close(c);
}

/* Every ingest version of key, newest first. */
static void
lt_debug_ingest(lt_out *o, WT_SESSION *wt, const char *uri, const char *key)
{
    WT_CURSOR *c;
    WT_ITEM k, v;
    char *buf = NULL;
    size_t cap = 0, klen, want = strlen(key);
    uint64_t ts;
    int n, rc, exact;

    if ((rc = wt->open_cursor(wt, uri, NULL, NULL, &c)) != 0) {
        lt_outf(o, "; ingest %s: %s", uri, wiredtiger_strerror(rc));
        return;
    }
    lt_outf(o, "; ingest %s:", uri);
    if (__lt_ing_encode_key(&buf, &cap, key, want, UINT64_MAX, &k) != 0) {
        (void)c->close(c);
        return;
    }
    c->set_key(c, &k);
    n = 0;
    rc = c->search_near(c, &exact);
    if (rc == 0 && exact < 0)
        rc = c->next(c);
    for (; rc == 0; rc = c->next(c), n++) {
        if ((rc = c->get_key(c, &k)) != 0 || !__lt_ing_decode_key(&k, &klen, &ts) || klen != want ||
          memcmp(k.data, key, want) != 0)
            break;
        if ((rc = c->get_value(c, &v)) != 0 || v.size == 0)
            break;
        if (((const char *)v.data)[0] == 'T')
            lt_outf(o, " %" PRIu64 ":tombstone", ts);
        else
            lt_outf(o, " %" PRIu64 ":\"%.*s\"", ts, (int)v.size - 1, (const char *)v.data + 1);
    }
    if (n == 0)
        lt_outf(o, " none");
    free(buf);
    (void)c->close(c);
}

int
lt_debug_key(lt_session *s, const char *name, const char *key, char *out, size_t len)
{
    const lt_state *st;
    lt_state snap;
    lt_node *n;
    lt_entry *e;
    lt_ckpt *ck;
    lt_stable *rec, *stable;
    WT_SESSION *wt;
    lt_out o;
    char uri[LT_URI_MAX], icfg[64];
    uint64_t inc, min_id, mark, cut;
    int rc;

    __lt_api_enter();
    if (s == NULL || name == NULL || key == NULL || out == NULL || len == 0)
        return (__lt_err(s == NULL ? NULL : s->cl, EINVAL, "lt_debug_key: NULL argument"));
    if ((rc = __lt_session_stale(s, "lt_debug_key")) != 0)
        return (rc);
    n = s->node;
    o.buf = out;
    o.len = len;
    o.off = 0;
    out[0] = '\0';
    __lt_rcu_read_lock();
    st = __lt_state_read(n);
    snap = *st;
    __lt_rcu_read_unlock();
    lt_outf(&o, "node %d %s, checkpoint %" PRIu64 " (ts %" PRIu64 ")", n->id,
      lt_role_name(snap.role), snap.ckpt_id, snap.ckpt_ts);

    __lt_mutex_lock(s->cl, &n->catalog_lock, n->id);
    mark = __lt_drop_mark_locked(n, name);
    if ((e = __lt_entry_find_locked(n, name)) == NULL) {
        __lt_mutex_unlock(&n->catalog_lock);
        lt_outf(&o, ": no table %s (drop mark %" PRIu64 ")", name, mark);
        return (0);
    }
    inc = e->inc;
    min_id = e->min_id;
    (void)snprintf(uri, sizeof(uri), "%s", e->ingest_uri);
    if ((stable = e->stable) != NULL)
        __lt_stable_ref(s->cl, stable);
    __lt_mutex_unlock(&n->catalog_lock);

    lt_outf(&o, ": entry incarnation %" PRIu64 ", min_id %" PRIu64 ", drop mark %" PRIu64, inc,
      min_id, mark);
    if (stable != NULL)
        lt_outf(&o, ", bound to stable %" PRIu64 " (hw %" PRIu64 ", held %" PRIu64 ")", stable->id,
          atomic_load_explicit(&stable->hw, memory_order_acquire), __lt_entry_cut(stable));
    else
        lt_outf(&o, ", unbound");
    ck = snap.ckpt_id == 0 ? NULL : __lt_ckpt_pin(s->cl, snap.ckpt_id);
    rec = ck == NULL ? NULL : __lt_ckpt_stable_for(ck, name);
    if (ck == NULL)
        lt_outf(&o, "; no checkpoint record");
    else if (rec == NULL)
        lt_outf(&o, "; checkpoint %" PRIu64 " does not name %s", ck->id, name);
    else
        lt_outf(&o, "; checkpoint %" PRIu64 " names stable %" PRIu64 "%s", ck->id, rec->id,
          rec == stable ? " (the entry's)" : " (not the entry's)");
    cut = __lt_entry_cut(stable);
    lt_outf(&o, "; drain cut %" PRIu64, cut);

    if ((rc = __lt_wt_open_session(s->cl, &wt)) != 0) {
        lt_outf(&o, "; no session: %s", wiredtiger_strerror(rc));
        goto done;
    }
    if (stable != NULL)
        lt_debug_stable(&o, wt, "live stable", stable->uri, NULL, key);
    if (ck != NULL && rec != NULL) {
        (void)snprintf(icfg, sizeof(icfg), "checkpoint=%s", ck->wt_name);
        lt_debug_stable(&o, wt, "stable at checkpoint", rec->uri, icfg, key);
    }
    lt_debug_ingest(&o, wt, uri, key);
    (void)wt->close(wt, NULL);
done:
    __lt_ckpt_unpin(s->cl, ck);
    if (stable != NULL)
        __lt_stable_unref(s->cl, stable);
    return (0);
}
