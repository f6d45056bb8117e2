/*
 * merge.c -- the layered cursor's read path: seeks in each constituent and their merge.
 *
 * Each constituent offers a candidate: the nearest key in the cursor's direction. The stable
 * candidate is a row of the stable table (live on a leader, a checkpoint on a follower). The
 * ingest candidate is a user key whose newest visible version is above the view's cut: a value,
 * or a tombstone that hides the key. Ingest versions at or below the cut (a follower's from
 * before its binding, a new leader's already in stable) are skipped. The merge returns the nearer
 * candidate; on equal keys ingest wins.
 *
 * Candidates point into their WiredTiger cursor's memory and stay valid until that cursor moves.
 * They are reused by the next next/prev in the same direction when nothing moved underneath
 * (the node's epoch is unchanged); otherwise both constituents seek again from the position's
 * key, so a cursor survives any change below it and continues from where it was.
 *
 * The ingest candidate is settled lazily, never past the stable candidate: a run of ingest rows
 * at or below the cut (versions the checkpoint holds, not yet collected) would otherwise be
 * walked to its end at every seek. The walk pauses on the first row whose user key lies beyond
 * the stable candidate (a pending candidate: no visible ingest key comes before that key) and
 * resumes from that row when the stable side catches up. The merge's result is the same.
 *
 * Parked (upstream's alternate constituent): on a follower, between two steps that both run
 * outside a transaction, a position that came from stable alone keeps its ingest candidate across
 * commits (any session's, this one's included): the next step merges stable's next row with that
 * candidate as it was. A step inside a transaction (an isolation boundary) or a change beyond
 * rows (the view epoch: pickup, GC, role change, drop, restart; a truncate writes rows) seeks
 * afresh. So a scan outside transactions reads its ingest side as of the step that computed the
 * candidate (test_layered96's auto_auto: "a consistent scan"). The candidate is copied (parkbuf)
 * when the session releases its constituents, and settled at the step itself (within LT_PARK_SETTLE
 * keys; a candidate still paused then is not kept): a later settle would read later data.
 *
 * Backwards, the ingest cursor meets a key's oldest version first and steps back to its newest;
 * the step that leaves the key shows which version was the newest. That version is copied
 * before the step (the cursor's cbuf), and the candidate is the copy, with the cursor already
 * on the previous key (ahead): the next step costs no move.
 */
#include "lt_wtfault.h"
#include "lt_merge.h"

static void
lt_cand_eof(lt_cand *cand)
{
    memset(cand, 0, sizeof(*cand));
    cand->valid = true;
    cand->eof = true;
}

/* ---------------------------------------------------------------------------------------------
 * Stable.
 */
static int
st_fill(lt_cursor *c, int rc, lt_cand *cand)
{
    WT_CURSOR *sc = c->sc;
    WT_ITEM k, v;

    if (rc == WT_NOTFOUND) {
        lt_cand_eof(cand);
        return (0);
    }
    if (rc != 0 || (rc = sc->get_key(sc, &k)) != 0 || (rc = sc->get_value(sc, &v)) != 0)
        return (rc);
    cand->valid = true;
    cand->eof = false;
    cand->tomb = false;
    if (k.size < 1)
        return (__lt_err(NULL, EINVAL, "corrupt stable key in %s", c->entry->name));
    cand->key = k.data;
    cand->klen = k.size - 1; /* stable keys are stored with their NUL */
    cand->val = v.data;
    cand->vlen = v.size;
    return (0);
}

static int
st_seek(lt_cursor *c, const char *key, size_t klen, int dir, bool incl, lt_cand *cand)
{
    WT_CURSOR *sc = c->sc;
    WT_ITEM k;
    int exact, rc;

    if (sc == NULL) {
        lt_cand_eof(cand);
        return (0);
    }
    if (key == NULL) {
        (void)sc->reset(sc);
        rc = LT_WT(c->session->cl, "read.stable_first", dir > 0 ? sc->next(sc) : sc->prev(sc));
        return (st_fill(c, rc, cand));
    }
    memset(&k, 0, sizeof(k));
    k.data = key;
    k.size = klen + 1; /* with the NUL: the key is a C string */
    sc->set_key(sc, &k);
    if ((rc = LT_WT(c->session->cl, "read.stable_seek", sc->search_near(sc, &exact))) == 0) {
        if (dir > 0 && (exact < 0 || (exact == 0 && !incl)))
            rc = sc->next(sc);
        else if (dir < 0 && (exact > 0 || (exact == 0 && !incl)))
            rc = sc->prev(sc);
    }
    return (st_fill(c, rc, cand));
}

static int
st_step(lt_cursor *c, int dir, lt_cand *cand)
{
    int rc;

    rc = dir > 0 ? c->sc->next(c->sc) : c->sc->prev(c->sc);
    return (st_fill(c, rc, cand));
}

/* ---------------------------------------------------------------------------------------------
 * Ingest.
 */
int
__lt_ing_key(WT_CURSOR *ic, const char **keyp, size_t *klenp, uint64_t *tsp)
{
    WT_ITEM k;
    int rc;

    if ((rc = ic->get_key(ic, &k)) != 0)
        return (rc);
    if (!__lt_ing_decode_key(&k, klenp, tsp))
        return (__lt_err(NULL, EINVAL, "corrupt ingest key of %zu bytes", k.size));
    *keyp = k.data;
    return (0);
}

/*
 * ing_past --
 *     Move the ingest cursor forward past every row of user key (key, klen), on which it stands:
 *     a few steps, then a seek past the key's oldest possible version, so a key with many
 *     versions costs a search rather than a walk. Returns the move's result; on 0 the cursor is
 *     on another key's row, decoded into (*nkeyp, *nklenp, *ntsp).
 */
static int
ing_past(lt_cursor *c, const char *key, size_t klen, const char **nkeyp, size_t *nklenp,
  uint64_t *ntsp)
{
    WT_CURSOR *ic = c->ic;
    WT_ITEM k;
    int exact, i, rc;

    /* Copy the key first: its memory is the cursor's and goes away when the cursor moves. */
    if ((rc = __lt_ing_encode_key(&c->wbuf, &c->wcap, key, klen, 0, &k)) != 0)
        return (rc);
    key = c->wbuf;
    for (i = 0;; i++) {
        if (i == 4) {
            ic->set_key(ic, &k);
            if ((rc = ic->search_near(ic, &exact)) != 0)
                return (rc);
            if (exact > 0)
                return (__lt_ing_key(ic, nkeyp, nklenp, ntsp));
        }
        if ((rc = ic->next(ic)) != 0)
            return (rc);
        if ((rc = __lt_ing_key(ic, nkeyp, nklenp, ntsp)) != 0)
            return (rc);
        if (__lt_cmp(*nkeyp, *nklenp, key, klen) != 0)
            return (0);
    }
}

/*
 * ing_copy --
 *     Copy the ingest row the cursor stands on (user key key, klen) into the cursor's cbuf: the
 *     key with its NUL, then the tagged value. The candidate ing_back makes of it outlives the
 *     step that leaves the row.
 */
static int
ing_copy(lt_cursor *c, const char *key, size_t klen, size_t *vsizep)
{
    WT_ITEM v;
    int rc;

    if ((rc = c->ic->get_value(c->ic, &v)) != 0)
        return (rc);
    if (v.size < 1)
        return (__lt_err(NULL, EINVAL, "corrupt ingest value in %s", c->entry->name));
    if ((rc = __lt_buf_reserve(&c->cbuf, &c->ccap, klen + 1 + v.size)) != 0)
        return (rc);
    memcpy(c->cbuf, key, klen);
    c->cbuf[klen] = '\0';
    memcpy(c->cbuf + klen + 1, v.data, v.size);
    *vsizep = v.size;
    return (0);
}

/*
 * ing_back --
 *     Moving backwards, the ingest cursor has arrived on the oldest version of a user key: find
 *     its newest version, stepping back over a few versions first (then a search). Returns 0
 *     on the key's newest version; 0 with *skipp set when that version is at or below the cut,
 *     with the cursor and (key, klen, ts) on a row of the previous key; WT_NOTFOUND when the key
 *     is the first and at or below the cut. When the step that leaves the key shows the version
 *     before it was the newest, and above the cut, that version was copied before the step
 *     (ing_copy) and is the candidate (ahead): 0 with *filledp set, the cursor staying where the
 *     step took it (the next backward step costs no move, a skiplist's most expensive one).
 */
static int
ing_back(lt_cursor *c, const char **keyp, size_t *klenp, uint64_t *tsp, bool *skipp, lt_cand *cand,
  bool *filledp)
{
    WT_CURSOR *ic = c->ic;
    WT_ITEM k;
    const char *key, *k2;
    size_t klen = *klenp, k2len, vsize = 0;
    uint64_t newest = *tsp, ts2;
    int exact, i, rc;

    *skipp = *filledp = false;
    /* Copy the key first: its memory is the cursor's and goes away when the cursor moves. */
    if ((rc = __lt_ing_encode_key(&c->wbuf, &c->wcap, *keyp, klen, UINT64_MAX, &k)) != 0)
        return (rc);
    key = c->wbuf;
    for (i = 0; i < 4; i++) {
        if (newest > c->cut && (rc = ing_copy(c, key, klen, &vsize)) != 0)
            return (rc);
        if ((rc = ic->prev(ic)) == WT_PREPARE_CONFLICT)
            break; /* maybe the previous key's: the search below reads only this key's rows */
        if (rc != 0 && rc != WT_NOTFOUND)
            return (rc);
        if (rc == 0 && (rc = __lt_ing_key(ic, &k2, &k2len, &ts2)) != 0)
            return (rc);
        if (rc == WT_NOTFOUND || __lt_cmp(k2, k2len, key, klen) != 0) {
            if (newest > c->cut) { /* the copy is the key's newest version: the candidate */
                cand->valid = true;
                cand->eof = cand->pending = false;
                cand->ahead = true;
                cand->ahead_rc = rc;
                cand->tomb = c->cbuf[klen + 1] == 'T';
                cand->key = c->cbuf;
                cand->klen = klen;
                cand->val = c->cbuf + klen + 2;
                cand->vlen = vsize - 1;
                *filledp = true;
                return (0);
            }
            if (rc == WT_NOTFOUND)
                return (WT_NOTFOUND);
            *keyp = k2;
            *klenp = k2len;
            *tsp = ts2;
            *skipp = true;
            return (0);
        }
        newest = ts2;
    }
    ic->set_key(ic, &k);
    if ((rc = ic->search_near(ic, &exact)) == 0 && exact < 0)
        rc = ic->next(ic);
    if (rc != 0)
        return (rc);
    return (__lt_ing_key(ic, keyp, klenp, tsp));
}

/* The candidate is the ingest cursor's row: user key (key, klen), a version above the cut. */
static int
ing_fill(lt_cursor *c, const char *key, size_t klen, lt_cand *cand)
{
    WT_ITEM v;
    int rc;

    if ((rc = c->ic->get_value(c->ic, &v)) != 0)
        return (rc);
    if (v.size < 1)
        return (__lt_err(NULL, EINVAL, "corrupt ingest value in %s", c->entry->name));
    cand->valid = true;
    cand->eof = cand->pending = cand->ahead = cand->parked = false;
    cand->tomb = ((const char *)v.data)[0] == 'T';
    cand->key = key;
    cand->klen = klen;
    cand->val = (const char *)v.data + 1;
    cand->vlen = v.size - 1;
    return (0);
}

/*
 * ing_settle --
 *     The ingest cursor has just moved in direction dir (rc is the move's result) onto some row
 *     of a user key. Find that key's newest visible version; if it is above the cut it is the
 *     candidate, otherwise skip the key and continue in the same direction.
 */
static int
ing_settle(lt_cursor *c, int rc, int dir, lt_cand *cand, bool have, const char *key, size_t klen,
  uint64_t ts, const lt_cand *bound)
{
    WT_CURSOR *ic = c->ic;
    bool filled, skip;

    cand->parked = false;
    for (;;) {
        if (rc == WT_NOTFOUND) {
            lt_cand_eof(cand);
            return (0);
        }
        if (rc != 0 || (!have && (rc = __lt_ing_key(ic, &key, &klen, &ts)) != 0))
            return (rc);
        have = false;
        if ((bound != NULL && !bound->eof &&
              __lt_cmp(key, klen, bound->key, bound->klen) * dir > 0) ||
          (c->settle_left > 0 && --c->settle_left == 0)) {
            /* Beyond the stable candidate (or an eager settle's last key): pause on this row
             * (backwards: the key's oldest). */
            cand->valid = true;
            cand->eof = cand->ahead = false;
            cand->pending = true;
            cand->tomb = false;
            cand->key = key;
            cand->klen = klen;
            cand->val = NULL;
            cand->vlen = 0;
            return (0);
        }
        if (dir < 0) {
            /* Backwards we arrive at the oldest version: go to the key's newest one. */
            if ((rc = ing_back(c, &key, &klen, &ts, &skip, cand, &filled)) != 0)
                continue; /* WT_NOTFOUND: the end */
            if (filled)
                return (0);
            if (skip) {
                have = true; /* on a row of the previous key */
                continue;
            }
        }
        if (ts > c->cut)
            return (ing_fill(c, key, klen, cand));
        if (dir < 0)
            rc = ic->prev(ic);
        else if ((rc = ing_past(c, key, klen, &key, &klen, &ts)) == 0)
            have = true; /* past the key's older versions, on the next key's row */
    }
}

static int
ing_seek(lt_cursor *c, const char *key, size_t klen, int dir, bool incl, lt_cand *cand,
  const lt_cand *bound)
{
    WT_CURSOR *ic = c->ic;
    WT_ITEM k;
    uint64_t ts;
    int exact, rc;

    if (!c->use_ingest || ic == NULL) {
        lt_cand_eof(cand);
        return (0);
    }
    if (key == NULL) {
        (void)ic->reset(ic);
        rc = dir > 0 ? ic->next(ic) : ic->prev(ic);
        return (ing_settle(c, rc, dir, cand, false, NULL, 0, 0, bound));
    }
    /*
     * Forward: from the key's first row (incl) or past its last. Backward: before the key's first
     * row; inclusive, the key's first row is its newest version, the candidate when it is above
     * the cut (the search reads no row of the previous key, whose prepared version would
     * conflict: its conflict belongs to the step after this key).
     */
    ts = dir > 0 && !incl ? 0 : UINT64_MAX;
    if ((rc = __lt_ing_encode_key(&c->wbuf, &c->wcap, key, klen, ts, &k)) != 0)
        return (rc);
    ic->set_key(ic, &k);
    if ((rc = ic->search_near(ic, &exact)) == 0) {
        if (dir > 0 && (exact < 0 || (exact == 0 && !incl)))
            rc = ic->next(ic);
        else if (dir < 0) {
            const char *rkey;
            size_t rklen;

            if (exact < 0) /* the smaller neighbour: the key's first row may follow it */
                rc = ic->next(ic);
            if (rc == 0 && (rc = __lt_ing_key(ic, &rkey, &rklen, &ts)) != 0)
                return (rc);
            if (rc == 0 && incl && ts > c->cut && __lt_cmp(rkey, rklen, key, klen) == 0)
                return (ing_fill(c, rkey, rklen, cand));
            if (rc == 0 || rc == WT_NOTFOUND) /* after the end: prev starts from the last row */
                rc = ic->prev(ic);
        }
    }
    return (ing_settle(c, rc, dir, cand, false, NULL, 0, 0, bound));
}

/* Move past a settled candidate (not a pending one) and settle the next, up to bound. */
static int
ing_step(lt_cursor *c, int dir, lt_cand *cand, const lt_cand *bound)
{
    WT_CURSOR *ic = c->ic;
    const char *key;
    size_t klen;
    uint64_t ts;
    int rc;

    if (cand->parked) { /* a copy: its cursor is elsewhere; seek past its key, afresh */
        cand->parked = false;
        return (ing_seek(c, cand->key, cand->klen, dir, false, cand, bound));
    }
    /* The cursor is on the candidate key's newest version, or (ahead) already past it. */
    if (dir < 0)
        return (ing_settle(c, cand->ahead ? cand->ahead_rc : ic->prev(ic), dir, cand, false, NULL,
          0, 0, bound));
    if ((rc = ing_past(c, cand->key, cand->klen, &key, &klen, &ts)) == 0)
        return (ing_settle(c, 0, dir, cand, true, key, klen, ts, bound));
    return (ing_settle(c, rc, dir, cand, false, NULL, 0, 0, bound));
}

/* One constituent's candidate alone (lt_merge.h). */
int
__lt_merge_cand(lt_cursor *c, bool ingest, const char *key, size_t klen, int dir, bool incl,
  lt_cand *cand, const lt_cand *bound)
{
    return (ingest ? ing_seek(c, key, klen, dir, incl, cand, bound) :
                     st_seek(c, key, klen, dir, incl, cand));
}

/* ---------------------------------------------------------------------------------------------
 * The merge.
 */
/*
 * lt_set_pos --
 *     Position on a candidate. The key is not copied: it stays in the constituent cursor's
 *     memory (a C string: both constituents store the NUL) until something moves that cursor;
 *     __lt_key_own copies it first.
 */
static int
lt_set_pos(lt_cursor *c, const char *key, size_t klen, const void *val, size_t vlen)
{
    c->key = key;
    c->klen = klen;
    c->key_in_wt = true;
    c->key_set = true;
    c->positioned = true;
    c->gap = 0;
    c->val = val;
    c->vlen = vlen;
    c->val_set = true;
    return (0);
}

/*
 * lt_merge_pick --
 *     Return the nearest visible key among the candidates, skipping keys an ingest tombstone
 *     hides.
 */
static int
lt_merge_pick(lt_cursor *c, int dir)
{
    lt_cand *ci = &c->ci, *cs = &c->cs;
    int cmp, rc;

    for (;;) {
        if (ci->pending && (cs->eof || __lt_cmp(ci->key, ci->klen, cs->key, cs->klen) * dir <= 0)) {
            /* The stable side caught up with the paused ingest walk: resume it, from its row. */
            if ((rc = ing_settle(c, 0, dir, ci, false, NULL, 0, 0, cs)) != 0)
                return (rc);
            continue;
        }
        if (ci->eof && cs->eof) {
            __lt_cursor_unposition(c);
            return (WT_NOTFOUND);
        }
        if (ci->eof || ci->pending) /* pending: its first possible key is beyond stable's */
            cmp = 1;
        else if (cs->eof)
            cmp = -1;
        else
            cmp = __lt_cmp(ci->key, ci->klen, cs->key, cs->klen) *
              (dir < 0 && c->use_ingest && LT_FAULT(c->session->cl, LT_FAULT_PREV_ORDER) ? 1 : dir);
        if (cmp <= 0 && ci->tomb) {
            if (cmp == 0 && (rc = st_step(c, dir, cs)) != 0)
                return (rc);
            if ((rc = ing_step(c, dir, ci, cs)) != 0)
                return (rc);
            continue;
        }
        if (cmp > 0 && ci->pending && __lt_park_view(c)) {
            /* Settle now, under this step's reads, what a later step may reuse parked. */
            c->settle_left = LT_PARK_SETTLE;
            rc = ing_settle(c, 0, dir, ci, false, NULL, 0, 0, NULL);
            c->settle_left = 0;
            if (rc == WT_PREPARE_CONFLICT)
                ci->valid =
                  false; /* a prepared row ahead: this step's row stands, the next seeks */
            else if (rc != 0)
                return (rc);
        }
        c->dir = dir;
        c->epoch = __lt_epoch_read(c->session->node);
        c->vepoch = __lt_vepoch_read(c->session->node);
        c->pick_auto = !c->session->txn.active;
        c->from = cmp < 0 ? LT_FROM_INGEST :
          cmp > 0         ? LT_FROM_STABLE :
                            LT_FROM_INGEST | LT_FROM_STABLE;
        if (cmp <= 0)
            return (lt_set_pos(c, ci->key, ci->klen, ci->val, ci->vlen));
        return (lt_set_pos(c, cs->key, cs->klen, cs->val, cs->vlen));
    }
}

int
__lt_merge_seek(lt_cursor *c, const char *key, size_t klen, int dir, bool incl)
{
    int rc;

    __lt_merge_invalidate(c);
    if ((rc = st_seek(c, key, klen, dir, incl, &c->cs)) != 0 ||
      (rc = ing_seek(c, key, klen, dir, incl, &c->ci, &c->cs)) != 0 ||
      (rc = lt_merge_pick(c, dir)) != 0)
        __lt_cursor_unposition(c); /* key may be pkey: it stays intact */
    return (rc);
}

/*
 * lt_merge_gap --
 *     A step from a position returned WT_PREPARE_CONFLICT: stay positioned just past pkey (the
 *     position's key, owned) in direction dir, with no key to get, so a retry resumes there.
 */
static void
lt_merge_gap(lt_cursor *c, int dir)
{
    c->key_in_wt = false;
    c->positioned = true;
    c->gap = dir;
    c->key_set = c->val_set = false;
    __lt_merge_invalidate(c);
}

int
__lt_merge_move(lt_cursor *c, int dir)
{
    int rc;

    if (!c->positioned)
        return (__lt_merge_seek(c, NULL, 0, dir, true));
    if (dir > 0 && c->dir == 0 && c->gap == 0 &&
      LT_FAULT(c->session->cl, LT_FAULT_SEARCH_NEXT_RESTART))
        return (__lt_merge_seek(c, NULL, 0, dir, true)); /* defect: restart from the start */
    /* The position's key outlives the constituents' moves: a conflict keeps it (pkey). */
    if ((rc = __lt_key_own(c)) != 0)
        return (rc);
    if (c->gap == 0 && c->dir == dir && c->ci.valid && c->ci.parked && !c->cs.valid &&
      __lt_park_holds(c)) {
        /* Parked: stable (a checkpoint, unchanged by writes) seeks past the position again. */
        if ((rc = st_seek(c, c->pkey, c->pklen, dir, false, &c->cs)) == 0)
            rc = lt_merge_pick(c, dir);
        if (rc != 0 && rc != WT_NOTFOUND && rc != WT_PREPARE_CONFLICT)
            __lt_cursor_unposition(c);
    } else if (c->gap != 0 || c->dir != dir || !c->ci.valid || !c->cs.valid ||
      c->epoch != __lt_epoch_read(c->session->node)) {
        /* A parked candidate that may not serve this step lands here too: a transaction's begin
         * and a view epoch's bump each release the constituents (cs invalid) or move the epoch. */
        /* From a gap: the other way, pkey itself comes first. */
        rc = __lt_merge_seek(c, c->pkey, c->pklen, dir, c->gap == -dir);
    } else {
        /* Advance the constituents that produced the current key: stable first, ingest's bound. */
        rc = 0;
        if (c->from & LT_FROM_STABLE)
            rc = st_step(c, dir, &c->cs);
        if (rc == 0 && (c->from & LT_FROM_INGEST))
            rc = ing_step(c, dir, &c->ci, &c->cs);
        if (rc == 0)
            rc = lt_merge_pick(c, dir);
        if (rc != 0 && rc != WT_NOTFOUND && rc != WT_PREPARE_CONFLICT)
            __lt_cursor_unposition(c);
    }
    if (rc == WT_PREPARE_CONFLICT)
        lt_merge_gap(c, dir);
    return (rc);
}
