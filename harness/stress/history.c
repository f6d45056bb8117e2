/*
 * history.c -- per-thread record buffers and their merge (see history.h).
 *
 * Protocol: a buffer belongs to one thread, which appends to its current chunk and counts the
 * record with a plain increment: nothing reads a chunk concurrently, as lr_history_collect runs
 * only once the writers are quiescent (joined). Buffers and chunks are linked into the history
 * under h->lock.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "stress/history.h"
#include "trace/trace.h"

#define LR_CHUNK 8192

typedef struct lr_chunk {
    lr_rec recs[LR_CHUNK];
    size_t n;
    struct lr_chunk *next;
} lr_chunk;

typedef struct lr_hbuf {
    lr_history *h;
    lr_chunk *first, *cur;
    struct lr_hbuf *next;
} lr_hbuf;

struct lr_history {
    pthread_mutex_t lock;
    lr_hbuf *bufs; /* lock */
    _Atomic uint64_t seq;
    uint64_t hid; /* unique per history: the thread-local cache never outlives its history */
};

static _Thread_local int lr_tid = -1;
static _Thread_local uint64_t lr_last_seq;
static _Thread_local lr_hbuf *lr_tbuf;
static _Thread_local uint64_t lr_thid;
static _Atomic uint64_t lr_hist_ids;

lr_history *
lr_history_new(void)
{
    lr_history *h;

    if ((h = calloc(1, sizeof(*h))) == NULL)
        return (NULL);
    (void)pthread_mutex_init(&h->lock, NULL);
    h->hid = atomic_fetch_add(&lr_hist_ids, 1) + 1;
    return (h);
}

void
lr_history_free(lr_history *h)
{
    lr_hbuf *b, *bn;
    lr_chunk *c, *cn;

    if (h == NULL)
        return;
    for (b = h->bufs; b != NULL; b = bn) {
        bn = b->next;
        for (c = b->first; c != NULL; c = cn) {
            cn = c->next;
            free(c);
        }
        free(b);
    }
    (void)pthread_mutex_destroy(&h->lock);
    free(h);
}

void
lr_history_thread(int id)
{
    lr_tid = id;
    lr_trace_thread(id);
}

int
lr_history_thread_id(void)
{
    return (lr_tid);
}

/* The calling thread's buffer in h, created on first use. */
static lr_rec *
__slot(lr_history *h)
{
    lr_hbuf *b;
    lr_chunk *c;

    if (lr_thid != h->hid || lr_tbuf == NULL) {
        if ((b = calloc(1, sizeof(*b))) == NULL)
            return (NULL);
        b->h = h;
        (void)pthread_mutex_lock(&h->lock);
        b->next = h->bufs;
        h->bufs = b;
        (void)pthread_mutex_unlock(&h->lock);
        lr_tbuf = b;
        lr_thid = h->hid;
    }
    b = lr_tbuf;
    if (b->cur == NULL || b->cur->n == LR_CHUNK) {
        if ((c = calloc(1, sizeof(*c))) == NULL)
            return (NULL);
        (void)pthread_mutex_lock(&h->lock); /* the collector walks the chunk list */
        if (b->cur == NULL)
            b->first = c;
        else
            b->cur->next = c;
        b->cur = c;
        (void)pthread_mutex_unlock(&h->lock);
    }
    return (&b->cur->recs[b->cur->n]);
}

static void
__commit_slot(void)
{
    lr_tbuf->cur->n++;
}

static void
__set_table(lr_rec *r, const char *table)
{
    if (table == NULL)
        r->table[0] = '\0';
    else {
        strncpy(r->table, table, sizeof(r->table) - 1);
        r->table[sizeof(r->table) - 1] = '\0';
    }
}

void
lr_history_observe(void *arg, const lt_event *ev)
{
    lr_history *h = arg;
    lr_rec *r;

    if ((r = __slot(h)) == NULL)
        return;
    r->seq = lr_last_seq = atomic_fetch_add(&h->seq, 1) + 1;
    r->id = ev->id;
    r->ts = ev->ts;
    r->count = ev->count;
    r->generation = (uint32_t)ev->generation;
    r->rc = ev->rc;
    r->thread = (int16_t)lr_tid;
    r->kind = (uint8_t)ev->type;
    r->op = (uint8_t)ev->op;
    r->node = (int8_t)ev->node;
    r->role = (uint8_t)ev->role;
    r->injected = ev->rc != 0 && lt_wtfault_last() != 0; /* the observer runs in the call */
    __set_table(r, ev->table);
    __commit_slot();
    lr_trace_event(ev);
}

void
lr_history_note(lr_history *h, int kind, lt_op op, int node, const char *table, int rc, uint64_t id)
{
    lr_rec *r;

    if (h == NULL || (r = __slot(h)) == NULL)
        return;
    memset(r, 0, sizeof(*r));
    r->seq = atomic_fetch_add(&h->seq, 1) + 1;
    r->id = id;
    r->rc = rc;
    r->thread = (int16_t)lr_tid;
    r->kind = (uint8_t)kind;
    r->op = (uint8_t)op;
    r->node = (int8_t)node;
    __set_table(r, table);
    __commit_slot();
    lr_trace_note(kind == LR_REC_REQUEST, op, node, table, rc);
}

uint64_t
lr_history_count(lr_history *h)
{
    return (h == NULL ? 0 : atomic_load(&h->seq));
}

static int
__rec_cmp(const void *a, const void *b)
{
    const lr_rec *x = a, *y = b;

    return (x->seq < y->seq ? -1 : x->seq > y->seq ? 1 : 0);
}

int
lr_history_collect(lr_history *h, lr_rec **recsp, size_t *np)
{
    lr_hbuf *b;
    lr_chunk *c;
    lr_rec *all;
    size_t n, i;

    *recsp = NULL;
    *np = 0;
    (void)pthread_mutex_lock(&h->lock);
    for (n = 0, b = h->bufs; b != NULL; b = b->next)
        for (c = b->first; c != NULL; c = c->next)
            n += c->n;
    if ((all = malloc((n + 1) * sizeof(*all))) == NULL) {
        (void)pthread_mutex_unlock(&h->lock);
        return (ENOMEM);
    }
    for (i = 0, b = h->bufs; b != NULL; b = b->next)
        for (c = b->first; c != NULL; c = c->next) {
            memcpy(all + i, c->recs, c->n * sizeof(*all));
            i += c->n;
        }
    (void)pthread_mutex_unlock(&h->lock);
    qsort(all, n, sizeof(*all), __rec_cmp);
    *recsp = all;
    *np = n;
    return (0);
}

int
lr_history_cut(lr_history *h, lr_rec **recsp, size_t *np)
{
    lr_hbuf *b;
    lr_chunk *c, *cn;
    int ret;

    if ((ret = lr_history_collect(h, recsp, np)) != 0)
        return (ret);
    (void)pthread_mutex_lock(&h->lock);
    for (b = h->bufs; b != NULL; b = b->next) {
        if (b->first == NULL)
            continue;
        for (c = b->first->next; c != NULL; c = cn) {
            cn = c->next;
            free(c);
        }
        b->first->next = NULL;
        b->first->n = 0;
        b->cur = b->first;
    }
    (void)pthread_mutex_unlock(&h->lock);
    return (0);
}

uint64_t
lr_history_last_seq(void)
{
    return (lr_last_seq);
}
