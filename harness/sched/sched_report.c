/*
 * sched_report.c -- what the controlled scheduler says about its threads: strategy names, a
 * thread's point and wait as text, the dump of every thread, and stopping a run from inside.
 * The bottom of sched/: it reads the scheduler's state and calls nothing else of it.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "layered.h"
#include "sched/sched_int.h"

_Thread_local lr_sthread *lr_sched_self;

static const char *const __kind_names[] = {"free", "random", "pct", "pos", "urw", "follow"};
#define NKINDS ((int)(sizeof(__kind_names) / sizeof(__kind_names[0])))

const char *
lr_sched_kind_name(int kind)
{
    return (kind >= 0 && kind < NKINDS ? __kind_names[kind] : NULL);
}

int
lr_sched_kind_parse(const char *s, int *kindp)
{
    int i;

    for (i = 0; i < NKINDS; i++)
        if (strcmp(s, __kind_names[i]) == 0) {
            *kindp = i;
            return (0);
        }
    return (-1);
}

/* __where -- a thread's point as "verb name@idx". */
const char *
__lr_sched_where(const lr_sthread *t, char *buf, size_t len)
{
    if (t->state == LR_TS_ENDED)
        snprintf(buf, len, "end");
    else if (t->idx >= 0)
        snprintf(buf, len, "%s %s@%d", t->verb, t->point, t->idx);
    else
        snprintf(buf, len, "%s %s", t->verb, t->point);
    return (buf);
}

/* __wait_text -- where a thread is and, if blocked, for what (lk held). */
static void
__wait_text(lr_sched *s, const lr_sthread *t, char *buf, size_t len)
{
    char where[128];
    size_t n;
    int i, j;

    if (t->state == LR_TS_ENDED) {
        snprintf(buf, len, "ended");
        return;
    }
    snprintf(buf, len, "%s %s", t->state == LR_TS_RUNNABLE ? "runnable at" : "blocked:",
      __lr_sched_where(t, where, sizeof(where)));
    if (t->state == LR_TS_BLOCKED &&
      (t->wait == LR_W_LOCK || t->wait == LR_W_RDLOCK || t->wait == LR_W_WRLOCK))
        for (i = 0; i < s->nt; i++)
            for (j = 0; j < s->t[i]->nheld; j++)
                if (s->t[i] != t && s->t[i]->held[j].obj == t->obj) {
                    n = strlen(buf);
                    snprintf(buf + n, len - n, ", held by thread %d (%s)", s->t[i]->id,
                      s->t[i]->name);
                }
    if (t->state == LR_TS_BLOCKED && t->wait == LR_W_GRACE)
        for (i = 0; i < t->ngsnap; i++) {
            n = strlen(buf);
            snprintf(buf + n, len - n, "%s thread %d%s", i == 0 ? " (readers:" : ",",
              t->gsnap[i].t->id, i == t->ngsnap - 1 ? ")" : "");
        }
    if (t->state == LR_TS_BLOCKED && t->wait == LR_W_JOIN) {
        n = strlen(buf);
        snprintf(buf + n, len - n, " (thread %d)", t->target->id);
    }
    for (i = 0; i < t->nheld; i++) {
        n = strlen(buf);
        snprintf(buf + n, len - n, "%s%s", i == 0 ? "; holds " : ", ", t->held[i].name);
        if (t->held[i].idx >= 0) {
            n = strlen(buf);
            snprintf(buf + n, len - n, "@%d", t->held[i].idx);
        }
    }
}

/* Print every thread's state (lk held): for divergence reports. */
void
__lr_sched_dump(lr_sched *s, const char *title)
{
    char what[512];
    int i;

    fprintf(stderr, "%s\n", title);
    for (i = 0; i < s->nt; i++) {
        __wait_text(s, s->t[i], what, sizeof(what));
        fprintf(stderr, "  thread %d (%s): %s\n", s->t[i]->id, s->t[i]->name, what);
    }
}

/*
 * __lr_sched_fail --
 *     Stop the run from inside (lk held): the schedule so far stays on disk for a replay; the
 *     other threads stay parked until the process exits.
 */
void
__lr_sched_fail(lr_sched *s, int code)
{
    if (s->rec != NULL)
        (void)fflush(s->rec);
    if (s->cfg.record != NULL)
        fprintf(stderr, "layerace: the schedule so far is in %s\n", s->cfg.record);
    (void)fflush(stdout);
    (void)fflush(stderr);
    if (s->cfg.on_fail != NULL)
        s->cfg.on_fail(s->cfg.on_fail_arg, code);
    _exit(code);
}

/* ---------------------------------------------------------------------------------------------
 * The wait-for graph of a deadlock: an edge from a blocked thread to each thread it waits for.
 */
#define LR_WF_MAX 64

/* __edges -- whom blocked thread t waits for (lk held); *weak: a condition wait (anyone may
 * broadcast), else a known holder, reader or thread. Returns the count. */
static int
__edges(lr_sched *s, const lr_sthread *t, int *to, bool *weak)
{
    int i, j, n = 0;

    *weak = false;
    if (t->state != LR_TS_BLOCKED)
        return (0);
    for (i = 0; i < s->nt && n < LR_WF_MAX; i++) {
        const lr_sthread *u = s->t[i];
        bool e = false;

        if (u == t || u->state == LR_TS_ENDED)
            continue;
        switch (t->wait) {
        case LR_W_LOCK:
        case LR_W_RDLOCK:
        case LR_W_WRLOCK:
            for (j = 0; j < u->nheld; j++)
                e = e || u->held[j].obj == t->obj;
            break;
        case LR_W_GRACE:
            for (j = 0; j < t->ngsnap; j++)
                e = e || (t->gsnap[j].t == u && *u->rexits == t->gsnap[j].exits);
            break;
        case LR_W_JOIN:
            e = t->target == u;
            break;
        case LR_W_COND:
        case LR_W_PRED:
            e = *weak = true; /* a broadcast or a change may come from any thread */
            break;
        default:
            break;
        }
        if (e)
            to[n++] = i;
    }
    return (n);
}

/*
 * __lr_sched_waitfor --
 *     Print the wait-for graph of a deadlocked run and one cycle in it (lk held): the cycle with
 *     the fewest condition-wait edges, then the shortest (a breadth-first search from each
 *     thread, over the edges of known holders first).
 */
void
__lr_sched_waitfor(lr_sched *s)
{
    int to[LR_WF_MAX][LR_WF_MAX], nto[LR_WF_MAX], prev[LR_WF_MAX], dist[LR_WF_MAX];
    int q[LR_WF_MAX], best[LR_WF_MAX], cur[LR_WF_MAX], nbest = 0, bestweak = LR_WF_MAX + 1;
    bool weak[LR_WF_MAX];
    int nt = s->nt < LR_WF_MAX ? s->nt : LR_WF_MAX, i, j, k, head, tail, a, b, len, w;
    int weakmax;

    fprintf(stderr, "wait-for graph (thread -> the threads it waits for):\n");
    for (i = 0; i < nt; i++) {
        nto[i] = __edges(s, s->t[i], to[i], &weak[i]);
        if (s->t[i]->state != LR_TS_BLOCKED)
            continue;
        fprintf(stderr, "  thread %d (%s) --%s %s%s-->", s->t[i]->id, s->t[i]->name, s->t[i]->verb,
          s->t[i]->point, weak[i] ? " (a broadcast from any)" : "");
        for (j = 0; j < nto[i]; j++)
            fprintf(stderr, " %d", s->t[to[i][j]]->id);
        fprintf(stderr, "%s\n", nto[i] == 0 ? " nobody (no thread can end it)" : "");
    }
    /* Allow no condition edge, then one, ...: the first level with a cycle gives the answer. */
    for (weakmax = 0; weakmax <= nt && nbest == 0; weakmax++)
        for (i = 0; i < nt; i++) {
            for (j = 0; j < nt; j++)
                dist[j] = -1;
            head = tail = 0;
            q[tail++] = i;
            dist[i] = 0;
            while (head < tail) {
                a = q[head++];
                if (weak[a] && weakmax == 0)
                    continue;
                for (k = 0; k < nto[a]; k++) {
                    b = to[a][k];
                    if (b == i) { /* a cycle back to i: a -> i */
                        len = w = 0;
                        for (j = a; j != i; j = prev[j]) {
                            cur[len++] = j;
                            w += weak[j];
                        }
                        cur[len++] = i;
                        w += weak[i];
                        if (w <= weakmax &&
                          (nbest == 0 || w < bestweak || (w == bestweak && len < nbest))) {
                            nbest = len;
                            bestweak = w;
                            memcpy(best, cur, (size_t)len * sizeof(int));
                        }
                        continue;
                    }
                    if (dist[b] < 0) {
                        dist[b] = dist[a] + 1;
                        prev[b] = a;
                        q[tail++] = b;
                    }
                }
            }
        }
    if (nbest == 0) {
        fprintf(stderr, "no cycle: a thread waits for something no thread can give\n");
        return;
    }
    /* best holds the cycle from its last thread back to its first. */
    fprintf(stderr, "cycle:");
    for (j = nbest - 1; j >= 0; j--) {
        const lr_sthread *t = s->t[best[j]];

        fprintf(stderr, " thread %d (%s) waits at %s %s", t->id, t->name, t->verb, t->point);
        if (t->idx >= 0)
            fprintf(stderr, "@%d", t->idx);
        fprintf(stderr, " for ->");
    }
    fprintf(stderr, " thread %d\n", s->t[best[nbest - 1]]->id);
}
