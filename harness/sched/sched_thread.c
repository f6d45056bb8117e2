/*
 * sched_thread.c -- a controlled thread's life: spawned into the scheduler's table, attached to
 * the library's scheduling operations, parked until it holds the token, ended with a last step.
 * The top of sched/: it uses the core (sched.c) and the blocking wrappers (sched_sync.c).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "layered.h"
#include "sched/sched_int.h"

/* __thread_main -- a controlled thread: attach, wait for the token, run, end. */
static void *
__thread_main(void *arg)
{
    lr_sthread *t = arg, *self;
    lr_sched *s = t->s;
    const uint64_t *rexits;
    const int *rdepth;
    void *ret;

    lr_sched_self = t;
    lt_sched_attach(__lr_sched_lib_ops);
    lt_sched_read_state(&rdepth, &rexits);
    (void)pthread_mutex_lock(&s->lk);
    t->rdepth = rdepth;
    t->rexits = rexits;
    while (s->running != t)
        (void)pthread_cond_wait(&t->cv, &s->lk);
    (void)pthread_mutex_unlock(&s->lk);

    ret = t->fn(t->arg);

    self = lr_sched_self;
    (void)pthread_mutex_lock(&s->lk);
    __lr_sched_held_settle(self, NULL);
    self->state = LR_TS_ENDED;
    self->verb = "end";
    self->point = "thread";
    self->idx = -1;
    __lr_sched_switch(s, self);
    (void)pthread_mutex_unlock(&s->lk);
    lt_sched_attach(NULL);
    lr_sched_self = NULL;
    return (ret);
}

void
lr_sched_daemon(void)
{
    lr_sthread *self = lr_sched_self;

    if (self == NULL)
        return;
    (void)pthread_mutex_lock(&self->s->lk);
    self->daemon = true;
    (void)pthread_mutex_unlock(&self->s->lk);
}

int
lr_sched_spawn(lr_sched *s, pthread_t *tp, const char *name, void *(*fn)(void *), void *arg)
{
    lr_sthread *t, **nt;
    int rc;

    if (s == NULL)
        return (pthread_create(tp, NULL, fn, arg));
    if ((t = calloc(1, sizeof(*t))) == NULL)
        return (ENOMEM);
    t->s = s;
    snprintf(t->name, sizeof(t->name), "%s", name);
    t->fn = fn;
    t->arg = arg;
    t->verb = "start";
    t->point = "thread";
    t->idx = -1;
    (void)pthread_cond_init(&t->cv, NULL);

    (void)pthread_mutex_lock(&s->lk);
    if (s->nt == s->tcap) {
        nt = realloc(s->t, (size_t)(s->tcap == 0 ? 16 : 2 * s->tcap) * sizeof(*nt));
        if (nt == NULL) {
            (void)pthread_mutex_unlock(&s->lk);
            free(t);
            return (ENOMEM);
        }
        s->t = nt;
        s->tcap = s->tcap == 0 ? 16 : 2 * s->tcap;
    }
    t->id = s->nt;
    s->t[s->nt++] = t;
    __lr_strategy_thread(s, t);
    (void)pthread_mutex_unlock(&s->lk);

    if ((rc = pthread_create(&t->pt, NULL, __thread_main, t)) != 0) {
        (void)pthread_mutex_lock(&s->lk);
        t->state = LR_TS_ENDED; /* never runs; stays in the table for the ids */
        (void)pthread_mutex_unlock(&s->lk);
        return (rc);
    }
    *tp = t->pt;
    /* A controlled spawner: the new thread may run from here on. */
    if (lr_sched_self != NULL)
        lr_sched_point_slow("spawn", t->id, 0);
    return (0);
}

void
lr_sched_go(lr_sched *s)
{
    (void)pthread_mutex_lock(&s->lk);
    s->started = true;
    __lr_sched_switch(s, NULL);
    (void)pthread_mutex_unlock(&s->lk);
}
