/*
 * cursor_shrink.c -- reduce a failing operation sequence to a 1-minimal one.
 *
 * Every candidate runs from a fresh database (lrc_run). A candidate "fails" if it diverges
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
#include <time.h>

#include "cursor/cursor_int.h"

typedef struct {
    const lrc_config *cfg;
    unsigned runs;
} lrc_shr;

unsigned lrc_shrink_runs; /* candidates the last lrc_shrink ran */

static double
shr_now(void)
{
    struct timespec ts;

    (void)clock_gettime(CLOCK_MONOTONIC, &ts);
    return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

/* Does the candidate fail? On success, cut it after the diverging operation. */
static bool
shr_fails(lrc_shr *sh, lrc_seq *cand)
{
    lrc_config c = *sh->cfg;
    lrc_result res;

    c.trace = NULL;
    sh->runs++;
    if (lrc_run(&c, cand, false, &res) != 0 || res.setup_error || !res.diverged)
        return (false);
    if (res.fail_index + 1 < cand->n)
        cand->n = res.fail_index + 1;
    return (true);
}

/* cand := cur without [lo, hi). */
static void
shr_without(const lrc_seq *cur, size_t lo, size_t hi, lrc_seq *cand)
{
    cand->n = 0;
    memcpy(cand->ops, cur->ops, lo * sizeof(lrc_op));
    memcpy(cand->ops + lo, cur->ops + hi, (cur->n - hi) * sizeof(lrc_op));
    cand->n = cur->n - (hi - lo);
}

static void
shr_take(lrc_seq *cur, const lrc_seq *cand)
{
    memcpy(cur->ops, cand->ops, cand->n * sizeof(lrc_op));
    cur->n = cand->n;
}

/* Try removing [lo, hi): keep the removal if the candidate still fails. */
static bool
shr_try(lrc_shr *sh, lrc_seq *cur, lrc_seq *cand, size_t lo, size_t hi)
{
    shr_without(cur, lo, hi, cand);
    if (!shr_fails(sh, cand))
        return (false);
    shr_take(cur, cand);
    return (true);
}

static bool
shr_transactions(lrc_shr *sh, lrc_seq *cur, lrc_seq *cand)
{
    size_t i, j;
    bool progress = false;

    for (i = cur->n; i-- > 0;) {
        if (i >= cur->n)
            continue;
        if (cur->ops[i].type >= LRC_INJ_GC) {
            progress |= shr_try(sh, cur, cand, i, i + 1);
            continue;
        }
        if (cur->ops[i].type != LRC_BEGIN)
            continue;
        for (j = i + 1; j < cur->n && cur->ops[j].type != LRC_COMMIT &&
             cur->ops[j].type != LRC_ROLLBACK && cur->ops[j].type != LRC_BEGIN;
             j++)
            ;
        if (j < cur->n && cur->ops[j].type != LRC_BEGIN)
            j++;
        progress |= shr_try(sh, cur, cand, i, j);
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
shr_prefix(lrc_shr *sh, lrc_seq *cur, lrc_seq *cand)
{
    lrc_seq base, best;
    size_t lo = 0, hi = cur->n, mid; /* cutting [0, lo) fails; cutting [0, hi) is not known to */
    bool found = false;

    base.n = best.n = 0;
    base.cap = best.cap = cur->n + 1;
    base.ops = malloc(base.cap * sizeof(lrc_op));
    best.ops = malloc(best.cap * sizeof(lrc_op));
    if (base.ops == NULL || best.ops == NULL) {
        free(base.ops);
        free(best.ops);
        return (false);
    }
    shr_take(&base, cur);
    while (hi - lo > 1) {
        mid = lo + (hi - lo) / 2;
        shr_without(&base, 0, mid, cand);
        if (shr_fails(sh, cand)) {
            lo = mid;
            shr_take(&best, cand);
            found = true;
        } else
            hi = mid;
    }
    if (found)
        shr_take(cur, &best);
    free(base.ops);
    free(best.ops);
    return (found);
}

static bool
shr_ddmin(lrc_shr *sh, lrc_seq *cur, lrc_seq *cand)
{
    size_t n = 2, chunk, lo;
    bool progress = false, removed;

    while (cur->n >= 2) {
        chunk = (cur->n + n - 1) / n;
        removed = false;
        for (lo = 0; lo < cur->n; lo += chunk) {
            size_t hi = lo + chunk < cur->n ? lo + chunk : cur->n;

            if (shr_try(sh, cur, cand, lo, hi)) {
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
shr_singles(lrc_shr *sh, lrc_seq *cur, lrc_seq *cand)
{
    size_t i;
    bool progress = false;

    for (i = cur->n; i-- > 0;)
        if (i < cur->n)
            progress |= shr_try(sh, cur, cand, i, i + 1);
    return (progress);
}

/* Simpler keys, values and cursors, one field at a time. */
static void
shr_simplify(lrc_shr *sh, lrc_seq *cur, lrc_seq *cand)
{
    size_t i;
    uint32_t k;
    lrc_op save;

    for (i = 0; i < cur->n; i++) {
        save = cur->ops[i];
        for (k = 0; k < 3 && k < save.key; k++) {
            shr_take(cand, cur);
            cand->ops[i].key = k;
            if (shr_fails(sh, cand)) {
                shr_take(cur, cand);
                break;
            }
        }
        if (i < cur->n && cur->ops[i].val != 0) {
            shr_take(cand, cur);
            cand->ops[i].val = 0;
            if (shr_fails(sh, cand))
                shr_take(cur, cand);
        }
    }
}

int
lrc_shrink(const lrc_config *cfg, const lrc_seq *in, lrc_seq *out, double *secondsp)
{
    lrc_shr sh;
    lrc_seq cand;
    double start = shr_now();
    bool progress;

    memset(&sh, 0, sizeof(sh));
    sh.cfg = cfg;
    memset(&cand, 0, sizeof(cand));
    out->n = 0;
    if ((out->ops = malloc((in->n + 1) * sizeof(lrc_op))) == NULL ||
      (cand.ops = malloc((in->n + 1) * sizeof(lrc_op))) == NULL) {
        free(out->ops);
        out->ops = NULL;
        return (-1);
    }
    out->cap = cand.cap = in->n + 1;
    shr_take(out, in);
    if (!shr_fails(&sh, out)) {
        free(cand.ops);
        *secondsp = shr_now() - start;
        return (1); /* does not fail again from a fresh database */
    }
    (void)shr_prefix(&sh, out, &cand);
    do {
        progress = shr_transactions(&sh, out, &cand);
        progress |= shr_ddmin(&sh, out, &cand);
        progress |= shr_singles(&sh, out, &cand);
    } while (progress);
    shr_simplify(&sh, out, &cand);
    while (shr_singles(&sh, out, &cand))
        ;
    free(cand.ops);
    lrc_shrink_runs = sh.runs;
    *secondsp = shr_now() - start;
    return (0);
}
