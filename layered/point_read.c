/*
 * point_read.c -- a layered cursor's point read of one key: the newest ingest version above the
 * view's cut, else stable's row (the search and the write paths' lookups).
 */
#include "lt_wtfault.h"
#include "lt_merge.h"

/*
 * point_read --
 *     The visible value of one key: the newest ingest version above the cut (a tombstone means
 *     absent), else (with_stable) stable's row. Leaves the merge candidates invalid.
 */
static int
point_read(lt_cursor *c, const char *key, size_t klen, bool with_stable, const void **valp,
  size_t *vlenp)
{
    WT_CURSOR *ic = c->ic, *sc = c->sc;
    WT_ITEM k, v;
    const char *ukey;
    size_t uklen;
    uint64_t ts;
    int exact, rc;

    __lt_merge_invalidate(c);
    if (c->use_ingest && ic != NULL &&
      !(c->view_role == LT_LEADER && LT_FAULT(c->session->cl, LT_FAULT_POINT_NO_INGEST))) {
        if ((rc = __lt_ing_encode_key(&c->wbuf, &c->wcap, key, klen, UINT64_MAX, &k)) != 0)
            return (rc);
        ic->set_key(ic, &k);
        rc = LT_WT(c->session->cl, "read.ingest_search", ic->search_near(ic, &exact));
        if (rc == 0 && exact < 0)
            rc = ic->next(ic);
        if (rc == 0) {
            if ((rc = __lt_ing_key(ic, &ukey, &uklen, &ts)) != 0)
                return (rc);
            if (__lt_cmp(ukey, uklen, key, klen) == 0 && ts > c->cut) {
                if ((rc = ic->get_value(ic, &v)) != 0)
                    return (rc);
                if (v.size < 1 || ((const char *)v.data)[0] == 'T')
                    return (WT_NOTFOUND);
                *valp = (const char *)v.data + 1;
                *vlenp = v.size - 1;
                return (0);
            }
        } else if (rc != WT_NOTFOUND)
            return (rc);
    }
    if (sc == NULL || !with_stable)
        return (WT_NOTFOUND);
    memset(&k, 0, sizeof(k));
    k.data = key;
    k.size = klen + 1;
    sc->set_key(sc, &k);
    if ((rc = LT_WT(c->session->cl, "read.stable_search", sc->search(sc))) != 0)
        return (rc);
    if ((rc = sc->get_value(sc, &v)) != 0)
        return (rc);
    *valp = v.data;
    *vlenp = v.size;
    return (0);
}

int
__lt_point_read(lt_cursor *c, const char *key, size_t klen, const void **valp, size_t *vlenp)
{
    return (point_read(c, key, klen, true, valp, vlenp));
}

int
__lt_ingest_read(lt_cursor *c, const char *key, size_t klen, const void **valp, size_t *vlenp)
{
    return (point_read(c, key, klen, false, valp, vlenp));
}
