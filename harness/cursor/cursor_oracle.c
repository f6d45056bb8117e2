/*
 * cursor_oracle.c -- the cursor stress's oracle side: every operation on a plain WiredTiger
 * table, with the normalisations described at the top of cursor_exec.c.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

#include "cursor/cursor_int.h"

/* The modify entry an operation's value seed stands for, the same on every side. */
void
lr_cur_modify_entry(uint32_t val, WT_MODIFY *m, char *buf, size_t len)
{
    int n = snprintf(buf, len, "m%" PRIu32, val % 1000);

    memset(m, 0, sizeof(*m));
    m->data.data = buf;
    m->data.size = (size_t)n;
    m->offset = val % 9;
    m->size = (val / 9) % 4;
}

static void
__o_fill(WT_CURSOR *c, lr_cur_res *r)
{
    const char *k;
    WT_ITEM v;

    if (r->rc != 0 || c->get_key(c, &k) != 0 || c->get_value(c, &v) != 0)
        return;
    r->haskey = true;
    (void)snprintf(r->key, sizeof(r->key), "%s", k);
    r->vlen = v.size;
    memcpy(r->val, v.data, v.size < LR_CUR_VAL_MAX ? v.size : LR_CUR_VAL_MAX);
}

/*
 * lr_cur_oracle_park --
 *     Release every oracle position, remembering its key: the next move re-seeks from it, as a
 *     layered cursor does. Before a transaction ends (WiredTiger resets the session's cursors
 *     when it rolls back) and, outside transactions, after data moved.
 */
void
lr_cur_oracle_park(lr_cur_ctx *x)
{
    lr_cur_oside *o = &x->o;
    const char *k;
    int j;

    for (j = 0; j < LR_CUR_CURSORS; j++) {
        if (o->positioned[j] && !o->virt[j] && o->c[j]->get_key(o->c[j], &k) == 0) {
            (void)snprintf(o->vkey[j], sizeof(o->vkey[j]), "%s", k);
            o->virt[j] = true;
        }
        (void)o->c[j]->reset(o->c[j]);
    }
}

/* Outside a transaction, after data moved: release every position (see the file comment). */
void
lr_cur_oracle_release(lr_cur_ctx *x)
{
    if (x->in_txn || x->seen == x->moved)
        return;
    x->seen = x->moved;
    lr_cur_oracle_park(x);
}

int
lr_cur_oracle_move_from(WT_CURSOR *c, const char *vkey, int dir)
{
    int exact, rc;

    c->set_key(c, vkey);
    if ((rc = c->search_near(c, &exact)) != 0)
        return (rc);
    if (dir > 0 && exact <= 0)
        return (c->next(c));
    if (dir < 0 && exact >= 0)
        return (c->prev(c));
    return (0);
}

void
lr_cur_oracle_op(lr_cur_ctx *x, const lr_cur_op *op, const char *key, const char *val, size_t vlen,
  lr_cur_res *r)
{
    lr_cur_oside *o = &x->o;
    WT_CURSOR *c = o->c[op->cur];
    const char *okey;
    WT_ITEM v;
    WT_MODIFY m;
    char mbuf[16];
    bool virt = o->virt[op->cur], removed = o->removed[op->cur];
    int j = op->cur;

    memset(r, 0, sizeof(*r));
    o->virt[j] = o->removed[j] = false;
    /* As a layered cursor: every operation but a reset and an overwrite cursor's insert or
     * update asks it to read. */
    if (op->type != LR_CUR_RESET && op->type != LR_CUR_REOPEN &&
      ((op->type != LR_CUR_INSERT && op->type != LR_CUR_UPDATE) || j == 2))
        o->read_open[j] = true;
    v.data = val;
    v.size = vlen;
    switch (op->type) {
    case LR_CUR_SEARCH:
        c->set_key(c, key);
        r->rc = c->search(c);
        __o_fill(c, r);
        o->positioned[j] = r->rc == 0;
        break;
    case LR_CUR_SEARCH_NEAR:
        c->set_key(c, key);
        r->rc = c->search_near(c, &r->exact);
        if (r->rc == 0 && r->exact < 0) {
            /* 3.2.1 may return the smaller neighbour although a larger key exists. */
            if (c->next(c) == 0)
                r->exact = 1;
            else {
                c->set_key(c, key);
                r->rc = c->search_near(c, &r->exact);
            }
        }
        if (r->rc == 0)
            r->exact = r->exact < 0 ? -1 : r->exact > 0 ? 1 : 0;
        __o_fill(c, r);
        o->positioned[j] = r->rc == 0;
        break;
    case LR_CUR_NEXT:
    case LR_CUR_PREV:
        if (virt)
            r->rc = lr_cur_oracle_move_from(c, o->vkey[j], op->type == LR_CUR_NEXT ? 1 : -1);
        else
            r->rc = op->type == LR_CUR_NEXT ? c->next(c) : c->prev(c);
        __o_fill(c, r);
        o->positioned[j] = r->rc == 0;
        break;
    case LR_CUR_RESET:
        r->rc = c->reset(c);
        o->positioned[j] = false;
        break;
    case LR_CUR_INSERT:
        c->set_key(c, key);
        c->set_value(c, &v);
        r->rc = c->insert(c);
        o->positioned[j] = false;
        break;
    case LR_CUR_UPDATE:
    case LR_CUR_MODIFY:
        if (!op->pos)
            c->set_key(c, key);
        else if (virt)
            c->set_key(c, o->vkey[j]);
        else if (c->get_key(c, &okey) == 0) {
            /* By key: 3.2.1 modifies a key another cursor removed from its cached value. */
            (void)snprintf(o->vkey[j], sizeof(o->vkey[j]), "%s", okey);
            (void)c->reset(c);
            c->set_key(c, o->vkey[j]);
        }
        if (op->type == LR_CUR_UPDATE) {
            c->set_value(c, &v);
            r->rc = c->update(c);
        } else {
            lr_cur_modify_entry(op->val, &m, mbuf, sizeof(mbuf));
            r->rc = c->modify(c, &m, 1);
        }
        /* A blind update (the cursor never read) leaves a layered cursor unpositioned. */
        if (r->rc == 0 && !o->read_open[j])
            (void)c->reset(c);
        o->positioned[j] = r->rc == 0 && o->read_open[j];
        break;
    case LR_CUR_REMOVE:
        if (op->pos) {
            /* By the cursor's key: a positioned 3.2.1 remove of a removed key succeeds. */
            if (!virt && c->get_key(c, &okey) == 0)
                (void)snprintf(o->vkey[j], sizeof(o->vkey[j]), "%s", okey);
            else if (!virt)
                o->vkey[j][0] = '\0';
            (void)c->reset(c);
            c->set_key(c, o->vkey[j]);
        } else
            c->set_key(c, key);
        if (op->pos && !removed) {
            /* From a position the cursor read: no lookup; a key removed since is no error. */
            if ((r->rc = c->remove(c)) == WT_NOTFOUND)
                r->rc = 0;
        } else if ((r->rc = c->search(c)) == 0) /* by key: an absent key is WT_NOTFOUND */
            r->rc = c->remove(c);
        (void)c->reset(c);
        o->virt[j] = r->rc == 0 && op->pos; /* a positioned remove stays where it was */
        o->removed[j] = o->virt[j];
        o->positioned[j] = false;
        break;
    case LR_CUR_REOPEN:
        o->read_open[j] = false;
        (void)c->close(c);
        r->rc = o->s->open_cursor(o->s, "table:lr_cur_oracle", NULL,
          op->cur == 2 ? "overwrite=false" : NULL, &o->c[j]);
        o->positioned[j] = false;
        break;
    }
}

bool
lr_cur_oracle_where(lr_cur_ctx *x, int j, char *buf, size_t len)
{
    const char *k;

    if (x->o.virt[j]) {
        (void)snprintf(buf, len, "%s", x->o.vkey[j]);
        return (true);
    }
    if (!x->o.positioned[j] || x->o.c[j]->get_key(x->o.c[j], &k) != 0)
        return (false);
    (void)snprintf(buf, len, "%s", k);
    return (true);
}

int
lr_cur_oracle_asof(lr_cur_ctx *x, const char *from, int dir, uint64_t ts, lr_cur_res *r)
{
    WT_SESSION *s = x->o.sh;
    WT_CURSOR *c = x->o.ch;
    char cfg[64];
    int rc;

    (void)snprintf(cfg, sizeof(cfg), "isolation=snapshot,read_timestamp=%" PRIx64, ts);
    if ((rc = s->begin_transaction(s, cfg)) != 0)
        return (rc);
    memset(r, 0, sizeof(*r));
    r->rc = lr_cur_oracle_move_from(c, from, dir);
    __o_fill(c, r);
    (void)c->reset(c);
    (void)s->rollback_transaction(s, NULL);
    return (0);
}
