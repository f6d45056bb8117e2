/*
 * sched_strategy.c -- who runs next when more than one thread could: the seeded strategies, and
 * the step-count estimate they learn from an earlier run.
 *
 *   random  a runnable thread, uniformly.
 *   pct     PCT: every thread gets a random priority above depth-1 (d); at d-1 steps drawn in
 *           [1, k] (k: the estimate's step count) the running thread's priority drops to 1..d-1,
 *           below every other. The highest-priority runnable thread runs. Finds a bug of depth d
 *           with probability at least 1/(n k^(d-1)) per run.
 *   pos     POS: random priorities; after a thread is chosen, its priority and those of the
 *           threads whose next point interferes (the same lock, or the same node for yield
 *           points: lr_sched_key) are drawn again.
 *   urw     URW: a thread with probability proportional to its estimated remaining steps (its
 *           step count in the estimate run minus the steps it took), which makes interleavings
 *           of uneven threads about equally likely. Without an estimate: uniform.
 *   follow  a free run's recorded order (sched_follow.c).
 *
 * The estimate file (one per configuration, written after each controlled run):
 *     k STEPS
 *     thread ID STEPS
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sched/sched_int.h"

/* A double in [0, 1) from the strategy's stream. */
static double
__unit(lr_sched *s)
{
    return ((double)(lr_rand(&s->rng) >> 11) / 9007199254740992.0);
}

static int
__estimate_read(lr_sched *s, char *err, size_t errlen)
{
    char line[256];
    uint64_t *nest, v;
    FILE *fp;
    int id, lineno;

    if (s->cfg.estimate == NULL || (fp = fopen(s->cfg.estimate, "r")) == NULL)
        return (0); /* no earlier run: no estimate */
    for (lineno = 1; fgets(line, sizeof(line), fp) != NULL; lineno++) {
        if (line[0] == '#' || line[0] == '\n')
            continue;
        if (sscanf(line, "k %" SCNu64, &v) == 1)
            s->k_est = v;
        else if (sscanf(line, "thread %d %" SCNu64, &id, &v) == 2 && id >= 0 && id < 100000) {
            if (id >= s->nest) {
                if ((nest = realloc(s->est, (size_t)(id + 1) * sizeof(*nest))) == NULL) {
                    fclose(fp);
                    snprintf(err, errlen, "out of memory");
                    return (-1);
                }
                memset(nest + s->nest, 0, (size_t)(id + 1 - s->nest) * sizeof(*nest));
                s->est = nest;
                s->nest = id + 1;
            }
            s->est[id] = v;
        } else {
            fclose(fp);
            snprintf(err, errlen, "%s:%d: expected 'k STEPS' or 'thread ID STEPS'", s->cfg.estimate,
              lineno);
            return (-1);
        }
    }
    fclose(fp);
    return (0);
}

int
__lr_strategy_init(lr_sched *s, char *err, size_t errlen)
{
    uint64_t step, tmp[LR_SCHED_DEPTH_MAX];
    int d, i, j, prio[LR_SCHED_DEPTH_MAX], t;

    lr_rng_init(&s->rng, s->cfg.seed, UINT64_C(0x73636865) /* "sche" */);
    if (__estimate_read(s, err, errlen) != 0)
        return (-1);
    if (s->k_est == 0)
        s->k_est = s->cfg.k_guess != 0 ? s->cfg.k_guess : 1000;
    if (s->cfg.kind == LR_SCHED_FOLLOW && s->cfg.replay == NULL)
        return (__lr_follow_open(s, err, errlen));
    if (s->cfg.kind != LR_SCHED_PCT)
        return (0);
    d = s->cfg.depth;
    if (d < 1 || d > LR_SCHED_DEPTH_MAX) {
        snprintf(err, errlen, "PCT's depth must be 1..%d, not %d", LR_SCHED_DEPTH_MAX, d);
        return (-1);
    }
    /* d-1 distinct change points; the i-th drawn gets priority i+1. Sorted by step. */
    for (i = 0; i < d - 1; i++) {
        do {
            step = 1 + lr_below(&s->rng, s->k_est);
            for (j = 0; j < i && tmp[j] != step; j++)
                ;
        } while (j < i && (uint64_t)(d - 1) <= s->k_est);
        tmp[i] = step;
        prio[i] = i + 1;
    }
    for (i = 1; i < d - 1; i++)
        for (j = i; j > 0 && tmp[j - 1] > tmp[j]; j--) {
            step = tmp[j];
            tmp[j] = tmp[j - 1];
            tmp[j - 1] = step;
            t = prio[j];
            prio[j] = prio[j - 1];
            prio[j - 1] = t;
        }
    for (i = 0; i < d - 1; i++) {
        s->change[i] = tmp[i];
        s->change_prio[i] = prio[i];
    }
    s->nchange = d - 1;
    return (0);
}

/* A new thread's priority. */
void
__lr_strategy_thread(lr_sched *s, lr_sthread *t)
{
    if (s->cfg.kind == LR_SCHED_PCT)
        t->prio = (double)s->cfg.depth + __unit(s); /* above every change point's */
    else if (s->cfg.kind == LR_SCHED_POS)
        t->prio = __unit(s);
}

/* self took step s->step: PCT's change points. */
void
__lr_strategy_step(lr_sched *s, lr_sthread *self)
{
    while (s->next_change < s->nchange && s->change[s->next_change] <= s->step) {
        if (s->change[s->next_change] == s->step)
            self->prio = s->change_prio[s->next_change];
        s->next_change++;
    }
}

lr_sthread *
__lr_strategy_choose(lr_sched *s, lr_sthread **r, int nr)
{
    lr_sthread *best;
    uint64_t total, x, w;
    int i;

    switch (s->cfg.kind) {
    case LR_SCHED_PCT:
    case LR_SCHED_POS:
        best = r[0];
        for (i = 1; i < nr; i++)
            if (r[i]->prio > best->prio)
                best = r[i];
        return (best);
    case LR_SCHED_URW:
        total = 0;
        for (i = 0; i < nr; i++) {
            w = r[i]->id < s->nest && s->est[r[i]->id] > r[i]->steps ?
              s->est[r[i]->id] - r[i]->steps :
              1;
            total += w;
        }
        x = lr_below(&s->rng, total);
        for (i = 0; i < nr - 1; i++) {
            w = r[i]->id < s->nest && s->est[r[i]->id] > r[i]->steps ?
              s->est[r[i]->id] - r[i]->steps :
              1;
            if (x < w)
                break;
            x -= w;
        }
        return (r[i]);
    default:
        return (r[lr_below(&s->rng, (uint64_t)nr)]);
    }
}

/* chosen runs now: POS draws its priority again, and those of the threads it interferes with. */
void
__lr_strategy_ran(lr_sched *s, lr_sthread *chosen)
{
    int i;

    if (s->cfg.kind != LR_SCHED_POS)
        return;
    for (i = 0; i < s->nt; i++)
        if (s->t[i] != chosen && s->t[i]->state != LR_TS_ENDED && chosen->key != 0 &&
          s->t[i]->key == chosen->key)
            s->t[i]->prio = __unit(s);
    chosen->prio = __unit(s);
}

/* The run is over: write this run's counts as the next run's estimate; free. */
void
__lr_strategy_end(lr_sched *s)
{
    char tmp[4200];
    FILE *fp;
    int i;

    if (s->cfg.estimate != NULL && s->cfg.estimate_write && s->step > 0 &&
      strlen(s->cfg.estimate) < sizeof(tmp) - 8) {
        snprintf(tmp, sizeof(tmp), "%s.tmp", s->cfg.estimate);
        if ((fp = fopen(tmp, "w")) != NULL) {
            fprintf(fp, "# layerace: step counts of a controlled run (PCT's k, URW's weights)\n");
            fprintf(fp, "k %" PRIu64 "\n", s->step);
            for (i = 0; i < s->nt; i++)
                fprintf(fp, "thread %d %" PRIu64 "\n", s->t[i]->id, s->t[i]->steps);
            if (fclose(fp) == 0)
                (void)rename(tmp, s->cfg.estimate);
        }
    }
    free(s->est);
    s->est = NULL;
    s->nest = 0;
    __lr_follow_free(s);
}

/* The strategy's part of the summary line (lk held). */
void
__lr_strategy_summary(lr_sched *s, char *buf, size_t len)
{
    double k = (double)(s->step > 0 ? s->step : 1), n = (double)(s->nt > 0 ? s->nt : 1);
    int d = s->cfg.depth;

    buf[0] = '\0';
    if (s->cfg.kind == LR_SCHED_PCT)
        snprintf(buf, len,
          ", depth %d (change points over k estimate %" PRIu64
          "), bound 1/(n k^(d-1)) = 1/(%d*%" PRIu64 "^%d) = %.3g",
          d, s->k_est, s->nt, s->step, d - 1, 1.0 / (n * pow(k, d - 1)));
    else if (s->cfg.kind == LR_SCHED_FOLLOW)
        __lr_follow_summary(s, buf, len);
    else if (s->cfg.kind == LR_SCHED_URW)
        snprintf(buf, len, ", %s",
          s->nest > 0 ? "weights from the estimate run" : "no estimate yet (uniform)");
}
