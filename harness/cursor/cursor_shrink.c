/*
 * cursor_shrink.c -- reduce a failing operation sequence to a 1-minimal one.
 *
 * Every candidate runs from a fresh database (lr_cur_run). A candidate "fails" if it diverges
 * anywhere; a run stops at its first divergence, so the operations after it are cut at once.
 * First the longest removable prefix, by bisection; then passes, each repeated while it makes
 * progress:
 *   1. whole transactions (BEGIN .. COMMIT/ROLLBACK) and injections;
 *   2. delta debugging over chunks (halves, quarters, ... down to single operations);
 *   3. single operations, until none can be removed (1-minimal);
 *   4. simpler keys and values (key 0, 1, ...; value 0), cursor 0.
 */
#include <string.h>
#include <stdlib.h>

#include "common/clock.h"
#include "cursor/cursor_int.h"

typedef struct {
    const lr_cur_config *cfg;
    unsigned runs;
} lr_cur_shr;

unsigned lr_cur_shrink_runs; /* candidates the last lr_cur_shrink ran */

/* Does the candidate fail? On success, cut it after the diverging operation. */
static bool
__shr_fails(lr_cur_shr *sh, lr_cur_seq *cand)
{
    lr_cur_config c = *sh->cfg;
    lr_cur_result res;

    c.trace = NULL;
    c.listing = NULL;
    sh->runs++;
    if (lr_cur_run(&c, cand, false, &res) != 0 || res.setup_error || !res.diverged)
        return (false);
    if (res.fail_index + 1 < cand->n)
        cand->n = res.fail_index + 1;
    return (true);
}

/* cand := cur without [lo, hi). */
static void
__shr_without(const lr_cur_seq *cur, size_t lo, size_t hi, lr_cur_seq *cand)
{
    cand->n = 0;
    memcpy(cand->ops, cur->ops, lo * sizeof(lr_cur_op));
    memcpy(cand->ops + lo, cur->ops + hi, (cur->n - hi) * sizeof(lr_cur_op));
    cand->n = cur->n - (hi - lo);
}

static void
__shr_take(lr_cur_seq *cur, const lr_cur_seq *cand)
{
    memcpy(cur->ops, cand->ops, cand->n * sizeof(lr_cur_op));
    cur->n = cand->n;
}

/* Try removing [lo, hi): keep the removal if the candidate still fails. */
static bool
__shr_try(lr_cur_shr *sh, lr_cur_seq *cur, lr_cur_seq *cand, size_t lo, size_t hi)
{
    __shr_without(cur, lo, hi, cand);
    if (!__shr_fails(sh, cand))
        return (false);
    __shr_take(cur, cand);
    return (true);
}

static bool
__shr_transactions(lr_cur_shr *sh, lr_cur_seq *cur, lr_cur_seq *cand)
{
    size_t i, j;
    bool progress = false;

    for (i = cur->n; i-- > 0;) {
        if (i >= cur->n)
            continue;
        if (cur->ops[i].type >= LR_CUR_INJ_GC) {
            progress |= __shr_try(sh, cur, cand, i, i + 1);
            continue;
        }
        if (cur->ops[i].type != LR_CUR_BEGIN)
            continue;
        for (j = i + 1; j < cur->n && cur->ops[j].type != LR_CUR_COMMIT &&
             cur->ops[j].type != LR_CUR_ROLLBACK && cur->ops[j].type != LR_CUR_BEGIN;
             j++)
            ;
        if (j < cur->n && cur->ops[j].type != LR_CUR_BEGIN)
            j++;
        progress |= __shr_try(sh, cur, cand, i, j);
    }
    return (progress);
}

/*
 * The cheapest first cut: the longest removable prefix, by bisection (a divergence usually
 * depends on recent state, and every candidate re-runs from a fresh database, so a long sequence
 * costs the most). A heuristic: failing is not monotone in the prefix length, so each step only
 * keeps a cut that still fails.
 */
static bool
__shr_prefix(lr_cur_shr *sh, lr_cur_seq *cur, lr_cur_seq *cand)
{
    lr_cur_seq base, best;
    size_t lo = 0, hi = cur->n, mid; /* cutting [0, lo) fails; cutting [0, hi) is not known to */
    bool found = false;

    base.n = best.n = 0;
    base.cap = best.cap = cur->n + 1;
    base.ops = malloc(base.cap * sizeof(lr_cur_op));
    best.ops = malloc(best.cap * sizeof(lr_cur_op));
    if (base.ops == NULL || best.ops == NULL) {
        free(base.ops);
        free(best.ops);
        return (false);
    }
    __shr_take(&base, cur);
    while (hi - lo > 1) {
        mid = lo + (hi - lo) / 2;
        __shr_without(&base, 0, mid, cand);
        if (__shr_fails(sh, cand)) {
            lo = mid;
            __shr_take(&best, cand);
            found = true;
        } else
            hi = mid;
    }
    if (found)
        __shr_take(cur, &best);
    free(base.ops);
    free(best.ops);
    return (found);
}

static bool
__shr_ddmin(lr_cur_shr *sh, lr_cur_seq *cur, lr_cur_seq *cand)
{
    size_t n = 2, chunk, lo;
    bool progress = false, removed;

    while (cur->n >= 2) {
        chunk = (cur->n + n - 1) / n;
        removed = false;
        for (lo = 0; lo < cur->n; lo += chunk) {
            size_t hi = lo + chunk < cur->n ? lo + chunk : cur->n;

            if (__shr_try(sh, cur, cand, lo, hi)) {
                removed = progress = true;
                n = n > 2 ? n - 1 : 2;
                break;
            }
        }
        if (removed)
            continue;
        if (n >= cur->n)
            break;
        n = n * 2 < cur->n ? n * 2 : cur->n;
    }
    return (progress);
}

static bool
__shr_singles(lr_cur_shr *sh, lr_cur_seq *cur, lr_cur_seq *cand)
{
    size_t i;
    bool progress = false;

    for (i = cur->n; i-- > 0;)
        if (i < cur->n)
            progress |= __shr_try(sh, cur, cand, i, i + 1);
    return (progress);
}

/* Simpler keys, values and cursors, one field at a time. */
static void
__shr_simplify(lr_cur_shr *sh, lr_cur_seq *cur, lr_cur_seq *cand)
{
    size_t i;
    uint32_t k;
    lr_cur_op save;

    for (i = 0; i < cur->n; i++) {
        save = cur->ops[i];
        for (k = 0; k < 3 && k < save.key; k++) {
            __shr_take(cand, cur);
            cand->ops[i].key = k;
            if (__shr_fails(sh, cand)) {
                __shr_take(cur, cand);
                break;
            }
        }
        if (i < cur->n && cur->ops[i].val != 0) {
            __shr_take(cand, cur);
            cand->ops[i].val = 0;
            if (__shr_fails(sh, cand))
                __shr_take(cur, cand);
        }
    }
}

int
lr_cur_shrink(const lr_cur_config *cfg, const lr_cur_seq *in, lr_cur_seq *out, double *secondsp)
{
    lr_cur_shr sh;
    lr_cur_seq cand;
    double start = lr_now_s();
    bool progress;

    memset(&sh, 0, sizeof(sh));
    sh.cfg = cfg;
    memset(&cand, 0, sizeof(cand));
    out->n = 0;
    if ((out->ops = malloc((in->n + 1) * sizeof(lr_cur_op))) == NULL ||
      (cand.ops = malloc((in->n + 1) * sizeof(lr_cur_op))) == NULL) {
        free(out->ops);
        out->ops = NULL;
        return (-1);
    }
    out->cap = cand.cap = in->n + 1;
    __shr_take(out, in);
    if (!__shr_fails(&sh, out)) {
        free(cand.ops);
        *secondsp = lr_now_s() - start;
        return (1); /* does not fail again from a fresh database */
    }
    (void)__shr_prefix(&sh, out, &cand);
    do {
        progress = __shr_transactions(&sh, out, &cand);
        progress |= __shr_ddmin(&sh, out, &cand);
        progress |= __shr_singles(&sh, out, &cand);
    } while (progress);
    __shr_simplify(&sh, out, &cand);
    while (__shr_singles(&sh, out, &cand))
        ;
    free(cand.ops);
    lr_cur_shrink_runs = sh.runs;
    *secondsp = lr_now_s() - start;
    return (0);
}
