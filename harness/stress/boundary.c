/*
 * boundary.c -- two verdicts over the sorted history, run beside lr_check_history
 * (docs/CONTRACT.md#boundary, docs/CONTRACT.md#i9).
 *
 * boundary. A step-down sets a boundary (event BOUNDARY: a new schema epoch). Every schema
 * operation takes effect wholly on one side of it: no boundary of its node lies between its
 * admission and its effect. Nothing is published past it: from a node's boundary to its next
 * step-up flip no publish takes effect there, and a publish never carries an entry of an older
 * epoch than its node's. No stable write is committed there either: a write transaction open
 * across an asynchronous step-down lands wholly before the boundary or rolls back.
 *
 * I9. The hook is for schema operations only: a refusal (REJECT) or a wait (WAIT_BEGIN) of any
 * other kind of operation (a cursor open, an information or statistics call, a checkpoint, the
 * library's own work) is a false positive of the enforcement.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "stress/checker.h"

#define LR_BOUNDARY_THREADS 1024

/* The operation kinds that pass through the hook (include/layered.h). */
static bool
__is_schema_kind(int op)
{
    switch (op) {
    case LT_OP_CREATE:
    case LT_OP_DROP:
    case LT_OP_DROP_NOWAIT:
    case LT_OP_DROP_CKPT:
    case LT_OP_TRUNCATE:
    case LT_OP_VERIFY:
    case LT_OP_PUBLISH:
        return (true);
    default:
        return (false);
    }
}

void
lr_check_boundary(const lr_rec *recs, size_t n, int nnodes, lr_check_carry *carry, lr_result *res)
{
    lr_check_carry fresh;
    uint64_t *bseq, *epoch;
    bool *past;
    const lr_rec **admit, *r, *a;
    size_t i;
    int t;

    if ((admit = calloc(LR_BOUNDARY_THREADS + 1, sizeof(*admit))) == NULL)
        return;
    if (carry == NULL) {
        memset(&fresh, 0, sizeof(fresh));
        carry = &fresh;
    }
    bseq = carry->bseq;
    epoch = carry->epoch;
    past = carry->past;
    for (i = 0; i < n; i++) {
        r = &recs[i];
        t = r->thread < 0 || r->thread >= LR_BOUNDARY_THREADS ? LR_BOUNDARY_THREADS : r->thread;
        if ((r->kind == LT_EV_REJECT || r->kind == LT_EV_WAIT_BEGIN) && !__is_schema_kind(r->op))
            lr_result_violation(res, "I9", r, NULL, r->node, NULL,
              "the hook %s a %s on node %d, which is no schema operation",
              r->kind == LT_EV_REJECT ? "refused" : "made wait", lt_op_name((lt_op)r->op), r->node);
        if (r->node < 0 || r->node >= nnodes)
            continue;
        switch (r->kind) {
        case LT_EV_BOUNDARY:
            bseq[r->node] = r->seq;
            epoch[r->node] = r->id;
            past[r->node] = true;
            break;
        case LT_EV_TRANSITION_FLIP:
            if (r->op == LT_OP_STEP_UP)
                past[r->node] = false;
            break;
        case LT_EV_ADMIT:
            admit[t] = r;
            break;
        case LT_EV_STABLE_WRITE:
            if (past[r->node])
                lr_result_violation(res, "boundary", r, NULL, r->node, NULL,
                  "a transaction committed stable writes on node %d at ts %" PRIu64
                  " past the node's step-down boundary (seq %" PRIu64 ")",
                  r->node, r->ts, bseq[r->node]);
            break;
        case LT_EV_SCHEMA_EFFECT:
            a = admit[t] != NULL && admit[t]->id == r->id ? admit[t] : NULL;
            if (a != NULL && bseq[r->node] > a->seq)
                lr_result_violation(res, "boundary", a, r, r->node, r->table,
                  "%s of table %s on node %d straddled the node's step-down boundary (admitted at "
                  "seq %" PRIu64 ", boundary at seq %" PRIu64 ", effect at seq %" PRIu64 ")",
                  lt_op_name((lt_op)r->op), r->table, r->node, a->seq, bseq[r->node], r->seq);
            if (r->op == LT_OP_PUBLISH && (past[r->node] || r->count < epoch[r->node]))
                lr_result_violation(res, "boundary", r, NULL, r->node, r->table,
                  "publish of table %s on node %d took effect %s (entry of schema epoch %" PRIu64
                  ", node at %" PRIu64 ")",
                  r->table, r->node,
                  past[r->node] ? "past the node's step-down boundary" : "with an older entry",
                  r->count, epoch[r->node]);
            break;
        default:
            break;
        }
    }
    free(admit);
}
