/*
 * park.c -- a follower cursor's parked ingest candidate (merge.c's file comment, "Parked"): when
 * it may be kept, and its copy at a release of the session's constituents.
 */
#include "lt_merge.h"

/* A follower's view outside a transaction: where a step may leave a candidate parked. */
bool
__lt_park_view(lt_cursor *c)
{
    return (
      c->view_role == LT_FOLLOWER && c->use_ingest && c->ic != NULL && !c->session->txn.active);
}

/* The position's pick ran outside a transaction, and nothing beyond rows changed since. */
static bool
lt_park_keep(lt_cursor *c)
{
    return (c->view_role == LT_FOLLOWER && c->use_ingest && c->pick_auto &&
      c->vepoch == __lt_vepoch_read(c->session->node));
}

/* A step outside a transaction may use the parked candidate. */
bool
__lt_park_holds(lt_cursor *c)
{
    return (lt_park_keep(c) && !c->session->txn.active);
}

bool
__lt_merge_park(lt_cursor *c)
{
    lt_cand *ci = &c->ci;

    if (!c->positioned || c->gap != 0 || c->dir == 0 || !ci->valid || ci->pending ||
      (!ci->parked && !c->cs.valid) || c->from != LT_FROM_STABLE || !lt_park_keep(c))
        return (false);
    if (!ci->parked && !ci->eof) {
        if (__lt_buf_reserve(&c->parkbuf, &c->parkcap, ci->klen + 1 + ci->vlen) != 0)
            return (false);
        memcpy(c->parkbuf, ci->key, ci->klen);
        c->parkbuf[ci->klen] = '\0';
        if (ci->vlen != 0)
            memcpy(c->parkbuf + ci->klen + 1, ci->val, ci->vlen);
        ci->key = c->parkbuf;
        ci->val = c->parkbuf + ci->klen + 1;
    }
    ci->parked = true;
    ci->ahead = false;
    c->cs.valid = false;
    return (true);
}
