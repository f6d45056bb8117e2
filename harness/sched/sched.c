/*
 * sched.c -- the controlled scheduler's core: threads and the token, the switch at a scheduling
 * point, blocking predicates and wake-ups, virtual time, deadlock (see sched.h and sched_int.h).
 *
 * A step: the running thread reaches a scheduling point (or blocks, or ends). The scheduler
 * re-evaluates the predicates of the blocked threads, collects the runnable ones and, if more
 * than one could run, asks the replayed schedule or the strategy which one runs next (a choice,
 * recorded). Virtual time advances LR_SCHED_STEP_NS a step; when nothing can run but a sleep or
 * a timed wait is pending, it jumps to the earliest deadline. Nothing runnable and nothing
 * pending is a deadlock: a report of every thread's wait, and exit 1.
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

static const char *const __kind_names[] = {"free", "random", "pct", "pos", "urw"};
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

int
lr_sched_new(const lr_sched_config *cfg, lr_sched **sp, char *err, size_t errlen)
{
    lr_sched *s;

    *sp = NULL;
    if (cfg->kind <= LR_SCHED_FREE || cfg->kind >= NKINDS) {
        snprintf(err, errlen, "no controlled strategy %d", cfg->kind);
        return (-1);
    }
    if ((s = calloc(1, sizeof(*s))) == NULL) {
        snprintf(err, errlen, "out of memory");
        return (-1);
    }
    s->cfg = *cfg;
    (void)pthread_mutex_init(&s->lk, NULL);
    s->vnow = 1000ull * 1000000000u; /* far from 0: no deadline computed from it is "none" */
    s->trace.hash = 0xcbf29ce484222325ull;
    if (__lr_strategy_init(s, err, errlen) != 0 || __lr_record_open(s, err, errlen) != 0) {
        __lr_strategy_end(s);
        if (s->rec != NULL)
            fclose(s->rec);
        free(s->replay);
        free(s);
        return (-1);
    }
    *sp = s;
    return (0);
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

/* __ready -- whether blocked thread t may run now (lk held); sets t runnable if so. */
static bool
__ready(lr_sched *s, lr_sthread *t)
{
    bool ok = false;
    int i;

    switch (t->wait) {
    case LR_W_NONE:
        ok = true;
        break;
    case LR_W_LOCK:
    case LR_W_RDLOCK:
    case LR_W_WRLOCK:
        break; /* only a release wakes it (__lr_sched_wake) */
    case LR_W_COND:
        if (t->wake_at != 0 && s->vnow >= t->wake_at)
            ok = t->timed_out = true;
        break;
    case LR_W_SLEEP:
        ok = s->vnow >= t->wake_at;
        break;
    case LR_W_GRACE:
        ok = true;
        for (i = 0; i < t->ngsnap; i++)
            if (t->gsnap[i].t->state != LR_TS_ENDED && *t->gsnap[i].t->rexits == t->gsnap[i].exits)
                ok = false;
        break;
    case LR_W_JOIN:
        ok = t->target->state == LR_TS_ENDED;
        break;
    }
    if (ok) {
        t->state = LR_TS_RUNNABLE;
        t->wait = LR_W_NONE;
    }
    return (ok);
}

/* __lr_sched_wake -- obj was released or broadcast: its waiters may run (lk held). */
void
__lr_sched_wake(lr_sched *s, const void *obj)
{
    lr_sthread *t;
    int i;

    for (i = 0; i < s->nt; i++) {
        t = s->t[i];
        if (t->state == LR_TS_BLOCKED && t->obj == obj &&
          (t->wait == LR_W_LOCK || t->wait == LR_W_RDLOCK || t->wait == LR_W_WRLOCK ||
            t->wait == LR_W_COND)) {
            t->state = LR_TS_RUNNABLE;
            t->wait = LR_W_NONE;
            t->timed_out = false;
        }
    }
}

/* __lr_sched_held_settle -- a lock self tried is now held, unless it still waits for it. */
void
__lr_sched_held_settle(lr_sthread *self, const void *next_obj)
{
    if (self->acquiring == NULL || self->acquiring == next_obj)
        return;
    if (self->nheld < LR_HELD_MAX) {
        self->held[self->nheld].obj = self->acquiring;
        self->held[self->nheld].name = self->acq_name;
        self->held[self->nheld].idx = self->acq_idx;
        self->nheld++;
    }
    self->acquiring = NULL;
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
    if (t->state == LR_TS_BLOCKED && (t->wait == LR_W_LOCK || t->wait == LR_W_RDLOCK ||
                                       t->wait == LR_W_WRLOCK))
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

/* __deadlock -- nothing can run and nothing will: report every thread and stop (lk held). */
static void
__deadlock(lr_sched *s) __attribute__((noreturn));
static void
__deadlock(lr_sched *s)
{
    char what[512];
    int i;

    fprintf(stderr, "layerace: controlled scheduler: deadlock at step %" PRIu64
                    ": no thread can run\n", s->step);
    for (i = 0; i < s->nt; i++) {
        __wait_text(s, s->t[i], what, sizeof(what));
        fprintf(stderr, "  thread %d (%s): %s\n", s->t[i]->id, s->t[i]->name, what);
    }
    __lr_sched_fail(s, 1);
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
    _exit(code);
}

/*
 * __lr_sched_switch --
 *     A step (lk held): self (NULL: the start) reached its point, blocked or ended; choose the
 *     next thread and hand it the token; return once self holds it again.
 */
void
__lr_sched_switch(lr_sched *s, lr_sthread *self)
{
    lr_sthread *r[256], **rv, *next, *t;
    uint64_t earliest;
    int i, nr;

    rv = s->nt <= 256 ? r : malloc((size_t)s->nt * sizeof(*rv));
    if (rv == NULL)
        abort();
    if (self != NULL) {
        s->step++;
        __lr_trace_step(s, self->id, self->verb, self->point, self->idx, 0);
        self->steps++;
        __lr_strategy_step(s, self);
    }
    for (;;) {
        nr = 0;
        earliest = 0;
        for (i = 0; i < s->nt; i++) {
            t = s->t[i];
            if (t->state == LR_TS_BLOCKED && !__ready(s, t) && t->wake_at != 0 &&
              (earliest == 0 || t->wake_at < earliest))
                earliest = t->wake_at;
            if (t->state == LR_TS_RUNNABLE)
                rv[nr++] = t;
        }
        if (nr > 0)
            break;
        if (earliest == 0) {
            for (i = 0; i < s->nt && s->t[i]->state == LR_TS_ENDED; i++)
                ;
            if (i == s->nt) { /* every thread ended: the run is over */
                s->running = NULL;
                if (rv != r)
                    free(rv);
                return;
            }
            __deadlock(s);
        }
        s->vnow = earliest; /* nothing runs until the earliest deadline: jump to it */
    }
    if (nr > 1) {
        next = s->replay != NULL ? __lr_record_choose(s, rv, nr) : __lr_strategy_choose(s, rv, nr);
        s->choices++;
        __lr_record_choice(s, next);
    } else
        next = rv[0];
    if (rv != r)
        free(rv);
    __lr_strategy_ran(s, next);
    s->vnow += LR_SCHED_STEP_NS;
    s->running = next;
    if (next == self)
        return;
    (void)pthread_cond_signal(&next->cv);
    if (self == NULL || self->state == LR_TS_ENDED)
        return;
    while (s->running != self)
        (void)pthread_cond_wait(&self->cv, &s->lk);
}

int
lr_sched_end(lr_sched *s, char *summary, size_t len)
{
    char strat[256];
    int i, ret, n;

    (void)pthread_mutex_lock(&s->lk);
    ret = __lr_record_end(s);
    __lr_strategy_summary(s, strat, sizeof(strat));
    (void)pthread_mutex_unlock(&s->lk);
    n = s->nt;
    snprintf(summary, len,
      "%s, n %d threads, k %" PRIu64 " scheduling points (%" PRIu64 " choices)%s, trace %016" PRIx64,
      lr_sched_kind_name(s->cfg.kind), n, s->step, s->choices, strat, s->trace.hash);
    __lr_strategy_end(s);
    for (i = 0; i < s->nt; i++) {
        (void)pthread_cond_destroy(&s->t[i]->cv);
        free(s->t[i]->gsnap);
        free(s->t[i]);
    }
    free(s->t);
    free(s->replay);
    free(s->trace.v);
    (void)pthread_mutex_destroy(&s->lk);
    free(s);
    return (ret);
}
