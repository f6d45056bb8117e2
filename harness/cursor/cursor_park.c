/*
 * cursor_park.c -- a follower's parked step against the oracle.
 *
 * Between two steps outside a transaction, a follower's layered cursor whose position came from
 * its stable constituent alone keeps its ingest candidate as it was (layered/merge.c, "Parked";
 * upstream's test_layered96 auto_auto). Such a step reads the ingest side as of the step that
 * computed the candidate, not as of now, so it may differ from the oracle's step.
 *
 * The executor keeps, per test cursor, the clock at each of its steps outside a transaction since
 * it last read afresh: the states the candidate may date from. Every timestamp handed out after
 * such a step is larger than the clock then (moves are skipped while a prepared transaction is
 * outstanding, and no first-session transaction is open at such a step), so the oracle read at
 * read timestamp = that clock is the state then. A differing step is accepted when it equals
 * the oracle's step, from the same position, as of one of those states; the follower cursor then
 * reads the oracle's row afresh (a search of its key, compared in turn), so the sides stay in step.
 *
 * Reading afresh: a search, a reset, a reopen, any operation of the cursor inside a transaction,
 * a write through it, and a step that ends unpositioned. The states are kept across injections:
 * a pickup, GC or role change makes the follower seek afresh (its step then agrees with the
 * oracle's), but an injection may be a no-op for it (a checkpoint with no leader), and which
 * nodes a swap touches is the library's business.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cursor/cursor_int.h"

/* After an operation of a test cursor (rl: the follower's result, or NULL). */
void
lr_cur_park_note(lr_cur_ctx *x, const lr_cur_op *op, const lr_cur_res *rl)
{
    unsigned *n = &x->nhist[op->cur];
    bool step =
      op->type == LR_CUR_NEXT || op->type == LR_CUR_PREV || op->type == LR_CUR_SEARCH_NEAR;

    if (x->in_txn || !step || (rl != NULL && rl->rc != 0)) {
        *n = 0;
        return;
    }
    if (*n > 0 && x->hist[op->cur][*n - 1] == x->clock)
        return;
    if (*n == LR_CUR_HIST) { /* the oldest goes: 64 commits between fresh reads are not expected */
        memmove(&x->hist[op->cur][0], &x->hist[op->cur][1], sizeof(uint64_t) * (LR_CUR_HIST - 1));
        --*n;
    }
    x->hist[op->cur][(*n)++] = x->clock;
}

/*
 * lr_cur_park_accept --
 *     The follower's step rl differs from the oracle's ro. True when rl is the oracle's step from
 *     the same position (from) as of a state the cursor's parked candidate may date from, and the
 *     follower then reads the oracle's row afresh; else false with why.
 */
bool
lr_cur_park_accept(lr_cur_ctx *x, lr_cur_lside *L, const lr_cur_op *op, const char *from,
  const lr_cur_res *ro, const lr_cur_res *rl, char *why, size_t wlen)
{
    lt_cursor *c = L->c[op->cur];
    lr_cur_res ra, rs;
    unsigned i, n = x->nhist[op->cur];
    bool match = false;

    why[0] = '\0';
    if (x->in_txn || (op->type != LR_CUR_NEXT && op->type != LR_CUR_PREV) || from == NULL || n == 0)
        return (false);
    for (i = n; i-- > 0 && !match;)
        match = lr_cur_oracle_asof(x, from, op->type == LR_CUR_NEXT ? 1 : -1, x->hist[op->cur][i],
                  &ra) == 0 &&
          lr_cur_res_equal(op->type, &ra, rl);
    if (!match) {
        (void)snprintf(why, wlen,
          "\n  (not a parked step either: no state since the cursor last read afresh, %u of "
          "them from timestamp %" PRIu64 ", reads so)",
          n, x->hist[op->cur][0]);
        return (false);
    }
    /* In step again: the oracle's row, read afresh. */
    memset(&rs, 0, sizeof(rs));
    if (ro->rc == 0) {
        lt_cursor_set_key(c, ro->key);
        rs.rc = lt_cursor_search(c);
        lr_cur_l_fill(c, &rs);
        if (!lr_cur_res_equal(LR_CUR_SEARCH, ro, &rs)) {
            (void)snprintf(why, wlen,
              "\n  (a parked step; then a search of the oracle's key \"%s\" returned rc=%s)",
              ro->key, lt_strerror(rs.rc));
            return (false);
        }
    } else if (lt_cursor_reset(c) != 0) {
        (void)snprintf(why, wlen, "\n  (a parked step; then a reset failed: %s)", lt_last_error());
        return (false);
    }
    x->parked++;
    return (true); /* the caller forgets the states: both followers (no leader) may need them */
}
