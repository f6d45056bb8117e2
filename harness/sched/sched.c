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
#include <stdatomic.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "layered.h"
#include "sched/sched_int.h"
#include "trace/trace.h"

/* The last step of any run (a relaxed atomic: the trace's clock reads it from any thread). */
static _Atomic uint64_t __last_step;

uint64_t
lr_sched_last_step(void)
{
    return (atomic_load_explicit(&__last_step, memory_order_relaxed));
}

int
lr_sched_new(const lr_sched_config *cfg, lr_sched **sp, char *err, size_t errlen)
{
    lr_sched *s;

    *sp = NULL;
    if (cfg->kind <= LR_SCHED_FREE || lr_sched_kind_name(cfg->kind) == NULL) {
        snprintf(err, errlen, "no controlled strategy %d", cfg->kind);
        return (-1);
    }
    if ((s = calloc(1, sizeof(*s))) == NULL) {
        snprintf(err, errlen, "out of memory");
        return (-1);
    }
    s->cfg = *cfg;
    atomic_store_explicit(&__last_step, 0, memory_order_relaxed);
    (void)pthread_mutex_init(&s->lk, NULL);
    s->vnow = LR_SCHED_VTIME0;
    s->work_at = s->vnow;
    s->trace.hash = LR_HASH_SEED;
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
    case LR_W_PRED:
        if (t->ready(t->ready_arg))
            ok = true;
        else if (t->wake_at != 0 && s->vnow >= t->wake_at)
            ok = t->timed_out = true;
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

/* __deadlock -- nothing can run and nothing will: report every thread and stop (lk held). */
static void __deadlock(lr_sched *s, bool stalled) __attribute__((noreturn));
static void
__deadlock(lr_sched *s, bool stalled)
{
    char title[160];

    if (stalled)
        snprintf(title, sizeof(title),
          "layerace: controlled scheduler: deadlock at step %" PRIu64
          ": only the maintenance threads ran for %.3g virtual s",
          s->step, (double)(s->vnow - s->work_at) / 1e9);
    else
        snprintf(title, sizeof(title),
          "layerace: controlled scheduler: deadlock at step %" PRIu64 ": no thread can run",
          s->step);
    __lr_sched_dump(s, title);
    __lr_sched_waitfor(s);
    __lr_sched_fail(s, 1);
}

/* __stalled -- only daemons ran for cfg.stall_ns while a thread that is none waits (lk held);
 * a step of any other thread restarts the count (work_at). */
static bool
__stalled(lr_sched *s, const lr_sthread *next)
{
    int i;

    if (!next->daemon) {
        s->work_at = s->vnow;
        return (false);
    }
    if (s->cfg.stall_ns == 0 || s->vnow - s->work_at <= s->cfg.stall_ns)
        return (false);
    for (i = 0; i < s->nt; i++)
        if (!s->t[i]->daemon && s->t[i]->state == LR_TS_BLOCKED)
            return (true);
    return (false);
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
    char decision[64];
    bool go_on;
    int i, nr;

    rv = s->nt <= 256 ? r : malloc((size_t)s->nt * sizeof(*rv));
    if (rv == NULL)
        abort();
    if (self != NULL) {
        s->step++;
        atomic_store_explicit(&__last_step, s->step, memory_order_relaxed);
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
            __deadlock(s, false);
        }
        s->vnow = earliest; /* nothing runs until the earliest deadline: jump to it */
    }
    go_on = self != NULL && self->state == LR_TS_RUNNABLE;
    if (nr > 1) {
        next = s->follow != NULL ? __lr_follow_choose(s, rv, nr, self) :
          s->replay == NULL      ? __lr_strategy_choose(s, rv, nr) :
          s->cfg.guide           ? __lr_record_guide(s, rv, nr, self) :
                                   __lr_record_choose(s, rv, nr);
        s->choices++;
        if (go_on && next != self)
            s->preempts++;
        __lr_record_choice(s, next, !go_on ? 'f' : next == self ? 's' : 'p', self);
    } else
        next = rv[0];
    next->passed = 0;
    if (__stalled(s, next))
        __deadlock(s, true);
    if (self != NULL && lr_tracer != NULL) {
        snprintf(decision, sizeof(decision), "%s thread %d",
          next == self                 ? "continue:" :
            go_on                      ? "preempted: runs" :
            self->state == LR_TS_ENDED ? "ended: runs" :
                                         "blocked: runs",
          next->id);
        lr_trace_sched_step(self->id, self->verb, self->point, self->idx, decision);
    }
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
      "%s, n %d threads, k %" PRIu64 " scheduling points (%" PRIu64 " choices, %" PRIu64
      " preemptions)%s, trace %016" PRIx64,
      s->cfg.guide ? "guided" : lr_sched_kind_name(s->cfg.kind), n, s->step, s->choices,
      s->preempts, strat, s->trace.hash);
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
