/*
 * sched_order.c -- recording a free run's order (sched_order.h).
 *
 * Protocol: a track belongs to its thread, which appends with plain stores; the global number
 * is one relaxed fetch-add (its modification order is a total order consistent with each
 * thread's program order and with every happens-before edge). Tracks are linked into the order
 * under o->lk; the writer reads them only after the threads were joined.
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "sched/sched.h"
#include "sched/sched_order.h"

typedef struct {
    uint64_t seq;
    uint64_t leave; /* when the thread went on from the point (after a sleep or delay) */
    uint64_t detail;
    const char *name; /* static text of the library or the harness */
    int32_t idx;
    int32_t verb;
} __oitem;

struct lr_otrack {
    lr_order *o;
    __oitem *v;
    size_t n, cap; /* the owner's */
    bool full;
};

struct lr_order {
    _Atomic uint64_t seq;
    _Atomic uint64_t lost;
    size_t max;
    pthread_mutex_t lk;
    struct lr_otrack *t[LR_ORDER_THREADS]; /* lk */
};

_Thread_local struct lr_otrack *lr_order_self;

static const char *const __verbs[] = {NULL, "at", "lock", "rdlock", "wrlock", "sleep", "event",
  "mark"};

const char *
lr_order_verb_name(int verb)
{
    return (verb > 0 && verb < (int)(sizeof(__verbs) / sizeof(__verbs[0])) ? __verbs[verb] : NULL);
}

lr_order *
lr_order_new(size_t max)
{
    lr_order *o;

    if ((o = calloc(1, sizeof(*o))) == NULL)
        return (NULL);
    o->max = max;
    (void)pthread_mutex_init(&o->lk, NULL);
    return (o);
}

void
lr_order_free(lr_order *o)
{
    int i;

    if (o == NULL)
        return;
    for (i = 0; i < LR_ORDER_THREADS; i++)
        if (o->t[i] != NULL) {
            free(o->t[i]->v);
            free(o->t[i]);
        }
    (void)pthread_mutex_destroy(&o->lk);
    free(o);
}

void
lr_order_attach(lr_order *o, int id)
{
    struct lr_otrack *t;

    lr_order_self = NULL;
    if (o == NULL || id < 0 || id >= LR_ORDER_THREADS || (t = calloc(1, sizeof(*t))) == NULL)
        return;
    t->o = o;
    (void)pthread_mutex_lock(&o->lk);
    if (o->t[id] == NULL)
        o->t[id] = t;
    else { /* the id is taken: not recorded */
        free(t);
        t = NULL;
    }
    (void)pthread_mutex_unlock(&o->lk);
    lr_order_self = t;
}

void
lr_order_note_slow(int verb, const char *name, int idx, uint64_t detail)
{
    struct lr_otrack *t = lr_order_self;
    __oitem *nv, *it;
    size_t cap;

    if (t->n == t->cap) {
        cap = t->cap == 0 ? 4096 : 2 * t->cap;
        if (cap > t->o->max)
            cap = t->o->max;
        if (t->full || cap <= t->cap || (nv = realloc(t->v, cap * sizeof(*nv))) == NULL) {
            t->full = true;
            atomic_fetch_add_explicit(&t->o->lost, 1, memory_order_relaxed);
            return;
        }
        t->v = nv;
        t->cap = cap;
    }
    it = &t->v[t->n];
    it->seq = it->leave = atomic_fetch_add_explicit(&t->o->seq, 1, memory_order_relaxed) + 1;
    it->detail = detail;
    it->name = name;
    it->idx = idx;
    it->verb = verb;
    t->n++;
}

void
lr_order_leave_slow(void)
{
    struct lr_otrack *t = lr_order_self;

    if (t->n > 0 && !t->full)
        t->v[t->n - 1].leave = atomic_fetch_add_explicit(&t->o->seq, 1, memory_order_relaxed) + 1;
}

uint64_t
lr_order_count(const lr_order *o)
{
    return (o == NULL ? 0 : atomic_load_explicit(&o->seq, memory_order_relaxed));
}

uint64_t
lr_order_lost(const lr_order *o)
{
    return (o == NULL ? 0 : atomic_load_explicit(&o->lost, memory_order_relaxed));
}

int
lr_order_write(const lr_order *o, const char *path, const char *header)
{
    const struct lr_otrack *t;
    const __oitem *it;
    uint64_t total = 0;
    size_t j;
    FILE *fp;
    int i, err;

    if ((fp = fopen(path, "w")) == NULL)
        return (errno);
    fprintf(fp,
      "# layerace order: %s\n"
      "# per thread: 'thread ID ITEMS [truncated]', then 'SEQ VERB NAME IDX DETAIL LEAVE' per "
      "item\n",
      header);
    for (i = 0; i < LR_ORDER_THREADS; i++) {
        if ((t = o->t[i]) == NULL)
            continue;
        fprintf(fp, "thread %d %zu%s\n", i, t->n, t->full ? " truncated" : "");
        for (j = 0; j < t->n; j++) {
            it = &t->v[j];
            fprintf(fp, "%" PRIu64 " %s %s %d %" PRIx64 " %" PRIu64 "\n", it->seq,
              __verbs[it->verb], it->name, it->idx, it->detail, it->leave);
        }
        total += t->n;
    }
    fprintf(fp, "end %" PRIu64 "\n", total);
    err = ferror(fp) ? EIO : 0;
    if (fclose(fp) != 0 && err == 0)
        err = errno;
    return (err);
}
