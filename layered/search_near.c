/*
 * search_near.c -- a layered cursor's search_near.
 *
 * A leader (and a node in step-up, whose ingest the drain is emptying) returns the key itself,
 * else the nearest larger key, else the nearest smaller one: what its stable table alone returns
 * once the drain is done.
 *
 * A follower compares the constituents as upstream's follower does. Each lands where its own
 * search_near lands: the key, else the nearest larger key, else the nearest smaller one (ingest:
 * a key whose newest version counts, a tombstone included). An exact match wins, ingest first.
 * When the two landed on opposite sides of the key, ingest moves one key to stable's side; if it
 * has none there, stable's key wins. On the same side the nearer key wins, ingest on a tie. So a
 * follower can return a smaller key although a larger one exists (ingest larger, stable smaller:
 * the larger of the two smaller keys wins). A winning tombstone gives way to the next visible key
 * after it, else the one before it. exact is the sign of the result against the key.
 */
#include "lt_merge.h"

/* The winner: a copy, since the candidates' memory moves with their cursors. */
typedef struct {
    char key[LT_KEY_MAX + 1];
    size_t klen;
    bool tomb;
} sn_win;

/* A candidate that is a key: neither the end nor an ingest walk paused beyond stable's key. */
static bool
sn_real(const lt_cand *x)
{
    return (!x->eof && !x->pending);
}

static int
sn_take(sn_win *w, const lt_cand *x)
{
    if (x->klen > LT_KEY_MAX)
        return (__lt_err(NULL, EINVAL, "search_near: a stored key of %zu bytes", x->klen));
    memcpy(w->key, x->key, x->klen);
    w->key[x->klen] = '\0';
    w->klen = x->klen;
    w->tomb = x->tomb;
    return (0);
}

/* The follower's choice between the constituents (see above); WT_NOTFOUND: both are empty. */
static int
sn_follower_pick(lt_cursor *c, const char *t, size_t tlen, sn_win *w)
{
    lt_cand s, i;
    int rc;

    if ((rc = __lt_merge_cand(c, false, t, tlen, 1, true, &s, NULL)) != 0)
        return (rc);
    if (!s.eof) {
        /* Stable at or after the key: ingest is too (at most to stable's key), or it moves
         * there and finds nothing. The nearer wins; a tie (an exact match) is ingest's. */
        if ((rc = __lt_merge_cand(c, true, t, tlen, 1, true, &i, &s)) != 0)
            return (rc);
        return (sn_take(w, sn_real(&i) && __lt_cmp(i.key, i.klen, s.key, s.klen) <= 0 ? &i : &s));
    }
    /* Stable lands before the key, or holds nothing. */
    if ((rc = __lt_merge_cand(c, false, t, tlen, -1, false, &s, NULL)) != 0 ||
      (rc = __lt_merge_cand(c, true, t, tlen, 1, true, &i, NULL)) != 0)
        return (rc);
    if (sn_real(&i) && (s.eof || __lt_cmp(i.key, i.klen, t, tlen) == 0))
        return (sn_take(w, &i));
    /* Ingest's key before the key (moved there from after it, or landed there): the larger. */
    if ((rc = __lt_merge_cand(c, true, t, tlen, -1, false, &i, &s)) != 0)
        return (rc);
    if (sn_real(&i) && (s.eof || __lt_cmp(i.key, i.klen, s.key, s.klen) >= 0))
        return (sn_take(w, &i));
    return (s.eof ? WT_NOTFOUND : sn_take(w, &s));
}

static int
sn_sign(const lt_cursor *c, const char *t, size_t tlen)
{
    return (__lt_cmp(c->key, c->klen, t, tlen));
}

int
__lt_search_near(lt_cursor *c, const char *t, size_t tlen, int *exactp)
{
    sn_win w;
    int rc;

    if (c->view_role == LT_LEADER) {
        if ((rc = __lt_merge_seek(c, t, tlen, 1, true)) == WT_NOTFOUND)
            rc = __lt_merge_seek(c, t, tlen, -1, true);
    } else {
        __lt_merge_invalidate(c);
        if ((rc = sn_follower_pick(c, t, tlen, &w)) != 0) {
            __lt_cursor_unposition(c);
            return (rc);
        }
        /* Position on the winner through the merge, so a step continues from it; a tombstone
         * (or a key a concurrent commit removed) gives way to the next key, else the previous. */
        if ((rc = __lt_merge_seek(c, w.key, w.klen, 1, !w.tomb)) == WT_NOTFOUND)
            rc = __lt_merge_seek(c, w.key, w.klen, -1, false);
    }
    if (rc == 0)
        *exactp = sn_sign(c, t, tlen);
    return (rc);
}
