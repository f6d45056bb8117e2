/*
 * cursor_gen.c -- the generator: a seeded stream of cursor operations.
 *
 * The stream favours long chains on a positioned cursor: one cursor is "current" for a while
 * (several cursors are open at once and the current one changes now and then), next and prev
 * dominate, writes are mixed in and often positioned (no set_key: they act on the cursor's key),
 * reset and reopen are rare. Writes run in transactions that begin, commit or roll back in the
 * middle of the chain, with random isolation and read-timestamp views. Injections come at seeded
 * points, with the cursor positioned. The generator keeps only a rough shadow of the state (is a
 * transaction open, is a prepared one outstanding); the executor decides what applies.
 */
#include <stdlib.h>
#include <string.h>

#include "cursor/cursor_int.h"
#include "common/rng.h"

struct lr_cur_gen {
    lr_rng rng;
    uint32_t keys;
    unsigned inject;
    int cur;           /* the current cursor */
    bool in_txn;       /* shadow: the first session's transaction is open */
    bool s2_prep;      /* shadow: the second session holds a prepared transaction */
    bool no_leader;    /* shadow: a swap stepped the leader down; the next one steps up */
    bool ro;           /* shadow: the open transaction cannot write (isolation, read timestamp) */
    lr_cur_op pending; /* an injection held back for the commit emitted before it (type 0: none) */
    uint32_t s2_key;
    uint32_t failover;     /* operations left in a failover phase (0: none) */
    bool pending_failover; /* a failover phase begins after the bulk load just emitted */
    int parked;            /* a cursor left positioned and idle (-1: none) */
    uint32_t park_left;    /* operations it stays idle */
};

lr_cur_gen *
lr_cur_gen_new(const lr_cur_config *cfg)
{
    lr_cur_gen *g = calloc(1, sizeof(*g));

    if (g == NULL)
        return (NULL);
    lr_rng_init(&g->rng, cfg->seed, 0x6375);
    g->keys = cfg->keys == 0 ? 1 : cfg->keys;
    g->inject = cfg->inject;
    g->parked = -1;
    return (g);
}

void
lr_cur_gen_free(lr_cur_gen *g)
{
    free(g);
}

static uint32_t
__gen_key(lr_cur_gen *g)
{
    return ((uint32_t)lr_below(&g->rng, g->keys));
}

/* One in n. */
static bool
__gen_one_in(lr_cur_gen *g, uint64_t n)
{
    return (lr_below(&g->rng, n) == 0);
}

static bool
__gen_injection(lr_cur_gen *g, lr_cur_op *op)
{
    static const struct {
        int type;
        uint64_t one_in;
    } inj[] = {{LR_CUR_INJ_CKPT, 400}, {LR_CUR_INJ_GC, 250}, {LR_CUR_INJ_TOMB, 1800},
      {LR_CUR_INJ_TRUNC, 2200}, {LR_CUR_INJ_SWAP, 1500}, {LR_CUR_INJ_BULK, 24000}};
    size_t i;
    bool hold;

    for (i = 0; i < sizeof(inj) / sizeof(inj[0]); i++) {
        if (!(g->inject & LR_CUR_INJ_BIT(inj[i].type)) ||
          !__gen_one_in(g, inj[i].type == LR_CUR_INJ_SWAP && g->no_leader ? 60 : inj[i].one_in))
            continue;
        op->type = (uint8_t)inj[i].type;
        if (op->type == LR_CUR_INJ_SWAP && g->in_txn) { /* a swap needs no open transaction */
            op->type = LR_CUR_COMMIT;
            g->in_txn = false;
            return (true);
        }
        /* Rows removed or added need a transaction that can write: end a read-only one first. */
        hold = (op->type == LR_CUR_INJ_TOMB || op->type == LR_CUR_INJ_TRUNC ||
                 op->type == LR_CUR_INJ_BULK) &&
          g->in_txn && g->ro;
        if (op->type == LR_CUR_INJ_SWAP) {
            op->key = __gen_key(g); /* the node that steps up: key % 2 */
            g->no_leader = !g->no_leader;
        }
        if (op->type == LR_CUR_INJ_BULK) {
            op->key = __gen_key(g);
            g->pending_failover = (g->inject & LR_CUR_INJ_BIT(LR_CUR_INJ_SWAP)) != 0;
            /* Half outgrow the drain's in-place emptying (LT_SWAP_ROWS: the ingest is replaced). */
            op->arg = 1000 + (uint32_t)lr_below(&g->rng, 6000);
        }
        if (hold) {
            g->pending = *op;
            memset(op, 0, sizeof(*op));
            op->type = LR_CUR_COMMIT;
            g->in_txn = false;
        }
        return (true);
    }
    return (false);
}

/*
 * A long-lived reader: now and then one cursor other than the current one is left positioned and
 * idle for hundreds or thousands of operations, so that its view meets checkpoints, GC, bulk
 * growth and role round trips (a step-down and a step-up of the same node) before it moves again.
 */
static void
__gen_park(lr_cur_gen *g)
{
    if (g->parked >= 0 && --g->park_left == 0)
        g->parked = -1;
    if (g->parked < 0 && __gen_one_in(g, 1500)) {
        g->parked = (g->cur + 1 + (int)lr_below(&g->rng, LR_CUR_CURSORS - 1)) % LR_CUR_CURSORS;
        g->park_left = 300 + (uint32_t)lr_below(&g->rng, 4000);
    }
}

/*
 * A failover phase: role changes one operation in 25 (step-downs and step-ups, so that a node
 * often goes a round trip: down and up again, or up and down) among the usual reads and writes,
 * without the other injections and prepared transactions, so that cursors (the step-up check's
 * among them, cursor_inject.c) keep positions and views across them. It begins now and then, and
 * after every bulk load (a follower's ingest is then large: its step-up drain replaces the
 * ingest table). Returns true when op is the phase's own.
 */
static bool
__gen_failover(lr_cur_gen *g, lr_cur_op *op)
{
    bool last;

    if (g->failover == 0)
        return (false);
    last = g->failover == 1; /* the phase ends with a leader */
    if (!(last ? g->no_leader : __gen_one_in(g, 25))) {
        g->failover--;
        return (false);
    }
    if (g->in_txn) { /* a role change needs no open transaction */
        op->type = LR_CUR_COMMIT;
        g->in_txn = false;
        return (true);
    }
    op->type = LR_CUR_INJ_SWAP;
    op->key = __gen_key(g);
    g->no_leader = !g->no_leader;
    if (!last)
        g->failover--;
    return (true);
}

/* During a prepared window: point reads of the prepared key, transactions, resolution. */
static void
__gen_prepared(lr_cur_gen *g, lr_cur_op *op)
{
    uint64_t r = lr_below(&g->rng, 100);

    op->cur = (uint8_t)g->cur;
    if (r < 45) {
        op->type = LR_CUR_SEARCH;
        op->key = g->s2_key;
    } else if (r < 60) {
        op->type = g->in_txn ? LR_CUR_COMMIT : LR_CUR_BEGIN;
        op->iso = (uint8_t)lr_below(&g->rng, 3);
        op->arg = __gen_one_in(g, 2) ? 0 : 1 + (uint32_t)lr_below(&g->rng, 8);
        g->in_txn = !g->in_txn;
        g->ro = op->iso % 3 != LT_ISO_SNAPSHOT || op->arg != 0;
    } else if (g->in_txn) {
        /* The executor resolves the prepared transaction only outside the first session's. */
        op->type = LR_CUR_COMMIT;
        g->in_txn = false;
    } else {
        op->type = r < 85 ? LR_CUR_S2_COMMIT : LR_CUR_S2_ROLLBACK;
        g->s2_prep = false;
    }
}

void
lr_cur_gen_next(lr_cur_gen *g, lr_cur_op *op)
{
    uint64_t r;

    memset(op, 0, sizeof(*op));
    if (g->s2_prep) {
        __gen_prepared(g, op);
        return;
    }
    if (g->pending.type != 0) { /* the injection a commit made room for */
        *op = g->pending;
        g->pending.type = 0;
        return;
    }
    if (__gen_failover(g, op))
        return;
    if (g->pending_failover ||
      ((g->inject & LR_CUR_INJ_BIT(LR_CUR_INJ_SWAP)) && __gen_one_in(g, 4000))) {
        g->pending_failover = false;
        g->failover = 200 + (uint32_t)lr_below(&g->rng, 600);
    }
    if (g->failover == 0 && __gen_injection(g, op))
        return;
    if ((g->inject & LR_CUR_INJ_PREPARE) && g->failover == 0 && !g->in_txn &&
      __gen_one_in(g, 300)) {
        op->type = LR_CUR_S2_PREPARE;
        op->key = g->s2_key = __gen_key(g);
        op->val = (uint32_t)lr_below(&g->rng, 100000);
        g->s2_prep = true;
        return;
    }
    __gen_park(g);
    if (__gen_one_in(g, 12))
        do
            g->cur = (int)lr_below(&g->rng, LR_CUR_CURSORS);
        while (g->cur == g->parked);
    op->cur = (uint8_t)g->cur;
    r = lr_below(&g->rng, 1000);
    if (r < 200)
        op->type = LR_CUR_NEXT;
    else if (r < 340)
        op->type = LR_CUR_PREV;
    else if (r < 420)
        op->type = LR_CUR_SEARCH;
    else if (r < 500)
        op->type = LR_CUR_SEARCH_NEAR;
    else if (r < 580)
        op->type = LR_CUR_INSERT;
    else if (r < 670)
        op->type = LR_CUR_UPDATE;
    else if (r < 770)
        op->type = LR_CUR_REMOVE;
    else if (r < 820)
        op->type = LR_CUR_MODIFY;
    else if (r < 830)
        op->type = LR_CUR_RESET;
    else if (r < 833)
        op->type = LR_CUR_REOPEN;
    else if (r < 900) {
        op->type = g->in_txn ? LR_CUR_COMMIT : LR_CUR_BEGIN;
        g->in_txn = !g->in_txn;
    } else if (r < 915 && g->in_txn) {
        op->type = LR_CUR_ROLLBACK;
        g->in_txn = false;
    } else
        op->type = LR_CUR_NEXT;
    if (op->type >= LR_CUR_INSERT && op->type <= LR_CUR_MODIFY && !g->in_txn) {
        op->type = LR_CUR_BEGIN; /* writes need a transaction: open one first */
        g->in_txn = true;
    }
    switch (op->type) {
    case LR_CUR_SEARCH:
    case LR_CUR_SEARCH_NEAR:
    case LR_CUR_INSERT:
        op->key = __gen_key(g);
        break;
    case LR_CUR_UPDATE:
    case LR_CUR_REMOVE:
    case LR_CUR_MODIFY:
        op->pos = __gen_one_in(g, 2);
        if (!op->pos)
            op->key = __gen_key(g);
        break;
    case LR_CUR_BEGIN: {
        uint64_t iso = lr_below(&g->rng, 10);

        op->iso = (uint8_t)(iso < 6 ? LT_ISO_SNAPSHOT :
            iso < 9                 ? LT_ISO_READ_COMMITTED :
                                      LT_ISO_READ_UNCOMMITTED);
        op->arg = __gen_one_in(g, 3) ? 1 + (uint32_t)lr_below(&g->rng, 12) : 0;
        g->ro = op->iso != LT_ISO_SNAPSHOT || op->arg != 0;
        break;
    }
    default:
        break;
    }
    op->val = (uint32_t)lr_below(&g->rng, 100000);
}
