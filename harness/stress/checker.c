/*
 * checker.c -- checks over the history (see checker.h; I5: docs/CONTRACT.md#i5).
 *
 * I5. A transition on node n is the interval between its TRANSITION_BEGIN and TRANSITION_END
 * events (the library emits the begin after the grace period that drains admitted schema
 * operations, and the end before a new schema operation can be admitted). A schema operation
 * with an effect is the interval from its admission to its effect. The two must not intersect on
 * the same node. Transitions on one node never overlap each other, so only the last transition
 * that began before the effect can intersect.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stress/checker.h"

void
lr_result_tally(lr_result *res, const char *invariant)
{
    int i;

    for (i = 0; i < LR_VIOL_KINDS - 1 && res->tally[i].invariant[0] != '\0'; i++)
        if (strcmp(res->tally[i].invariant, invariant) == 0)
            break;
    if (res->tally[i].invariant[0] == '\0')
        (void)snprintf(res->tally[i].invariant, sizeof(res->tally[i].invariant), "%s",
          i == LR_VIOL_KINDS - 1 ? "other" : invariant);
    res->tally[i].n++;
}

void
lr_result_violation(lr_result *res, const char *invariant, const lr_rec *a, const lr_rec *b,
  int node, const char *table, const char *fmt, ...)
{
    lr_violation *v;
    va_list ap;

    lr_result_tally(res, invariant);
    if (res->nviolations++ >= LR_VIOL_MAX)
        return;
    v = &res->v[res->nviolations - 1];
    memset(v, 0, sizeof(*v));
    (void)snprintf(v->invariant, sizeof(v->invariant), "%s", invariant);
    va_start(ap, fmt);
    (void)vsnprintf(v->what, sizeof(v->what), fmt, ap);
    va_end(ap);
    v->seq[0] = a == NULL ? 0 : a->seq;
    v->seq[1] = b == NULL ? 0 : b->seq;
    v->thread[0] = a == NULL ? -1 : a->thread;
    v->thread[1] = b == NULL ? -1 : b->thread;
    v->node = node;
    if (table != NULL)
        (void)snprintf(v->table, sizeof(v->table), "%s", table);
}

typedef struct {
    const lr_rec *begin, *end; /* end NULL: never ended */
} lr_interval;

typedef struct {
    lr_interval *iv;
    size_t n, cap;
} lr_ivlist;

static int
__iv_add(lr_ivlist *l, const lr_rec *begin)
{
    lr_interval *p;

    if (l->n == l->cap) {
        l->cap = l->cap == 0 ? 64 : l->cap * 2;
        if ((p = realloc(l->iv, l->cap * sizeof(*p))) == NULL)
            return (-1);
        l->iv = p;
    }
    l->iv[l->n].begin = begin;
    l->iv[l->n].end = NULL;
    l->n++;
    return (0);
}

/* The last transition on the list that began before seq, or NULL. */
static const lr_interval *
__iv_before(const lr_ivlist *l, uint64_t seq)
{
    size_t lo = 0, hi = l->n;

    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (l->iv[mid].begin->seq < seq)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (lo == 0 ? NULL : &l->iv[lo - 1]);
}

#define LR_MAX_THREADS 1024

void
lr_check_history(const lr_rec *recs, size_t n, int nnodes, lr_check_carry *carry, lr_result *res)
{
    lr_check_carry fresh;
    lr_ivlist tr[LT_NODES_MAX];
    bool async[LT_NODES_MAX] = {false};
    uint32_t *gen; /* each node's role generation, from its flips (0: none yet) */
    const lr_rec **admit;
    const lr_interval *iv;
    const lr_rec *r;
    size_t i;
    int node, t;

    memset(tr, 0, sizeof(tr));
    if (carry == NULL) {
        memset(&fresh, 0, sizeof(fresh));
        carry = &fresh;
    }
    gen = carry->gen;
    if ((admit = calloc(LR_MAX_THREADS + 1, sizeof(*admit))) == NULL)
        return;

    /* Pass 1: the transitions of each node. */
    for (i = 0; i < n; i++) {
        r = &recs[i];
        if (r->node < 0 || r->node >= nnodes)
            continue;
        /* An asynchronous step-down admits schema operations: the boundary verdict's. */
        if (r->kind == LT_EV_TRANSITION_BEGIN && r->count != 0)
            async[r->node] = true;
        else if (r->kind == LT_EV_TRANSITION_BEGIN)
            (void)__iv_add(&tr[r->node], r);
        else if (r->kind == LT_EV_TRANSITION_END && async[r->node])
            async[r->node] = false;
        else if (r->kind == LT_EV_TRANSITION_END && tr[r->node].n > 0)
            tr[r->node].iv[tr[r->node].n - 1].end = r;
    }

    /* Pass 2: schema operations, stable writes, failed transitions. */
    for (i = 0; i < n; i++) {
        r = &recs[i];
        node = r->node;
        t = r->thread < 0 || r->thread >= LR_MAX_THREADS ? LR_MAX_THREADS : r->thread;
        switch (r->kind) {
        case LT_EV_ADMIT:
            admit[t] = r;
            break;
        case LT_EV_SCHEMA_EFFECT:
            if (node < 0 || node >= nnodes)
                break;
            if (admit[t] == NULL || admit[t]->id != r->id)
                break; /* not admitted through the hook on this thread */
            iv = __iv_before(&tr[node], r->seq);
            if (iv != NULL && (iv->end == NULL || iv->end->seq > admit[t]->seq))
                lr_result_violation(res, "I5", iv->begin, r, node, r->table,
                  "%s of table %s on node %d (admitted at seq %" PRIu64 ", effect at seq %" PRIu64
                  ") overlapped the node's %s (seq %" PRIu64 " to %s)",
                  lt_op_name((lt_op)r->op), r->table, node, admit[t]->seq, r->seq,
                  lt_op_name((lt_op)iv->begin->op), iv->begin->seq,
                  iv->end == NULL ? "never ended" : "its end");
            break;
        case LT_EV_TRANSITION_FLIP:
            if (node >= 0 && node < nnodes)
                gen[node] = r->generation;
            break;
        case LT_EV_STABLE_WRITE:
            if (r->role != LT_LEADER)
                lr_result_violation(res, "I4", r, NULL, node, NULL,
                  "a transaction committed stable writes on node %d while it was a follower "
                  "(it began at generation %u)",
                  node, r->generation);
            /* A leader again, but not the leader it wrote as: it stepped down in between. */
            else if (node >= 0 && node < nnodes && gen[node] != 0 && r->generation != gen[node])
                lr_result_violation(res, "I4", r, NULL, node, NULL,
                  "a transaction of role generation %u committed stable writes on node %d at "
                  "generation %u: it was open across the node's step-down",
                  r->generation, node, gen[node]);
            break;
        case LT_EV_PICKUP:
            if (r->rc != 0)
                lr_result_violation(res, "config", r, NULL, node, NULL,
                  "node %d refused checkpoint %" PRIu64 ": a table's configuration there differs "
                  "from the one the node's table was created with (%s)",
                  node, r->id, lt_strerror(r->rc));
            break;
        case LT_EV_CHECKPOINT:
            /* A checkpoint writes the shared stable state: the leader's alone (I4). */
            if (r->role != LT_LEADER)
                lr_result_violation(res, "I4", r, NULL, node, NULL,
                  "node %d published checkpoint %" PRIu64 " at ts %" PRIu64
                  " while it was a follower",
                  node, r->id, r->ts);
            break;
        case LT_EV_TRANSITION_END:
            if (r->rc != 0 && !r->injected)
                lr_result_violation(res, "transition", r, NULL, node, NULL,
                  "%s of node %d failed: %s", lt_op_name((lt_op)r->op), node, lt_strerror(r->rc));
            break;
        case LT_EV_DRAIN_TABLE:
            if (r->rc != 0 && !r->injected)
                lr_result_violation(res, "transition", r, NULL, node, r->table,
                  "the step-up of node %d failed to drain a table: %s", node, lt_strerror(r->rc));
            break;
        default:
            break;
        }
    }
    for (node = 0; node < LT_NODES_MAX; node++)
        free(tr[node].iv);
    free(admit);
}

void
lr_hook_event_counts(const lr_rec *recs, size_t n, uint64_t counts[3])
{
    size_t i;

    for (i = 0; i < n; i++)
        switch (recs[i].kind) {
        case LT_EV_ADMIT:
            counts[0]++;
            break;
        case LT_EV_REJECT:
            counts[1]++;
            break;
        case LT_EV_WAIT_END:
            counts[2]++;
            break;
        default:
            break;
        }
}

void
lr_check_hook_counts(const lr_rec *recs, size_t n, const uint64_t before[3],
  const lt_hook_stats *hs, lr_result *res)
{
    uint64_t c[3];
    uint64_t admitted, rejected, waited;

    memcpy(c, before, sizeof(c));
    lr_hook_event_counts(recs, n, c);
    admitted = c[0];
    rejected = c[1];
    waited = c[2];
    if (admitted != hs->admitted || rejected != hs->rejected || waited != hs->waited)
        lr_result_violation(res, "hook", NULL, NULL, -1, NULL,
          "the hook's counters disagree with its events: admitted %" PRIu64 "/%" PRIu64
          ", rejected %" PRIu64 "/%" PRIu64 ", waited %" PRIu64 "/%" PRIu64 " (counter/events)",
          hs->admitted, admitted, hs->rejected, rejected, hs->waited, waited);
}

void
lr_check_annotate(const lr_rec *recs, size_t n, lr_result *res)
{
    const lr_rec *eff, *flip;
    lr_violation *v;
    size_t j, len;
    int i;

    for (i = 0; i < res->nviolations && i < LR_VIOL_MAX; i++) {
        v = &res->v[i];
        if (v->seq[0] != 0 || v->table[0] == '\0' ||
          (strcmp(v->invariant, "I1") != 0 && strcmp(v->invariant, "I7") != 0))
            continue;
        eff = flip = NULL;
        for (j = n; j-- > 0 && (eff == NULL || flip == NULL);) {
            if (v->before_seq != 0 && recs[j].seq >= v->before_seq)
                continue; /* after the quiescent check that found it */
            if (eff == NULL && recs[j].kind == LT_EV_SCHEMA_EFFECT &&
              strcmp(recs[j].table, v->table) == 0)
                eff = &recs[j];
            if (flip == NULL && recs[j].kind == LT_EV_TRANSITION_FLIP && recs[j].node == v->node)
                flip = &recs[j];
        }
        len = strlen(v->what);
        if (eff != NULL) {
            v->seq[0] = eff->seq;
            v->thread[0] = eff->thread;
            (void)snprintf(v->what + len, sizeof(v->what) - len,
              " [last schema effect on the table: #%" PRIu64 " %s on node %d", eff->seq,
              lt_op_name((lt_op)eff->op), eff->node);
            len = strlen(v->what);
        }
        if (flip != NULL) {
            v->seq[1] = flip->seq;
            v->thread[1] = flip->thread;
            (void)snprintf(v->what + len, sizeof(v->what) - len,
              "%s last role flip of node %d: #%" PRIu64 " %s]", eff != NULL ? ";" : " [", v->node,
              flip->seq, lt_op_name((lt_op)flip->op));
        } else if (eff != NULL)
            (void)snprintf(v->what + len, sizeof(v->what) - len, "]");
    }
}
