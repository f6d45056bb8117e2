/*
 * sched_sync.c -- the scheduling points and blocking primitives of controlled threads: the
 * harness's wrappers (sched.h) and the library's lt_sched_ops.
 *
 * Every primitive is a predicate wait. A lock: a scheduling point, then trylock; while it fails,
 * block until the lock is released and try again. A rwlock reader also waits while a writer is
 * blocked on the lock (writers are preferred, as the stress engine's gate is). A condition wait
 * blocks until a broadcast or its virtual deadline. A grace period blocks until every thread that
 * was inside a read-side section when it began has left that section. A sleep blocks until its
 * virtual deadline. A join blocks until the thread ended. Releases and broadcasts wake the
 * threads blocked on the object; they are not scheduling points.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/clock.h"
#include "sched/sched_int.h"
#include "trace/trace.h"

/* lr_sched_key -- a lock's key: its name's hash (the same in every process: a replay compares
 * them) and its index. */
uint64_t
lr_sched_key(const char *name, int idx)
{
    return ((lr_hash_str(name) ^ ((uint64_t)(idx + 2) * UINT64_C(0x9e3779b97f4a7c15))) | 1);
}

/* __point -- a scheduling point of self (lk held). */
static void
__point(lr_sthread *self, const char *verb, const char *what, int idx, uint64_t key)
{
    self->verb = verb;
    self->point = what;
    self->idx = idx;
    self->key = key;
    __lr_sched_switch(self->s, self);
}

/* __block -- block self until its predicate holds (lk held). Returns true if it timed out. */
static bool
__block(lr_sthread *self, lr_wait w, const void *obj, const char *verb, const char *what, int idx,
  uint64_t wake_at)
{
    self->state = LR_TS_BLOCKED;
    self->wait = w;
    self->obj = obj;
    self->wake_at = wake_at;
    self->timed_out = false;
    self->verb = verb;
    self->point = what;
    self->idx = idx;
    self->key = obj != NULL ? lr_sched_key(what, idx) : 0;
    if (w != LR_W_SLEEP)
        lr_trace_block_slow(true, w == LR_W_GRACE ? "grace" : what, idx);
    __lr_sched_switch(self->s, self);
    if (w != LR_W_SLEEP)
        lr_trace_block_slow(false, w == LR_W_GRACE ? "grace" : what, idx);
    self->wake_at = 0;
    self->obj = NULL;
    return (self->timed_out);
}

static void
__held_push(lr_sthread *self, const void *obj, const char *name, int idx)
{
    if (self->nheld < LR_HELD_MAX) {
        self->held[self->nheld].obj = obj;
        self->held[self->nheld].name = name;
        self->held[self->nheld].idx = idx;
        self->nheld++;
    }
}

static void
__held_pop(lr_sthread *self, const void *obj)
{
    int i;

    for (i = self->nheld - 1; i >= 0; i--)
        if (self->held[i].obj == obj) {
            self->released = self->held[i];
            memmove(&self->held[i], &self->held[i + 1],
              (size_t)(self->nheld - i - 1) * sizeof(self->held[0]));
            self->nheld--;
            return;
        }
}

void
lr_sched_point_slow(const char *what, int idx, uint64_t key)
{
    lr_sthread *self = lr_sched_self;

    (void)pthread_mutex_lock(&self->s->lk);
    __lr_sched_held_settle(self, NULL);
    __lr_follow_note(self->s, self, LR_OV_AT, what, idx, 0);
    __point(self, "at", what, idx, key);
    (void)pthread_mutex_unlock(&self->s->lk);
}

void
lr_sched_mutex_lock_slow(pthread_mutex_t *m, const char *name, int idx)
{
    lr_sthread *self = lr_sched_self;

    (void)pthread_mutex_lock(&self->s->lk);
    __lr_sched_held_settle(self, NULL);
    __lr_follow_note(self->s, self, LR_OV_LOCK, name, idx, 0);
    __point(self, "lock", name, idx, lr_sched_key(name, idx));
    while (pthread_mutex_trylock(m) != 0)
        (void)__block(self, LR_W_LOCK, m, "lock", name, idx, 0);
    __held_push(self, m, name, idx);
    (void)pthread_mutex_unlock(&self->s->lk);
}

void
lr_sched_mutex_unlock_slow(pthread_mutex_t *m)
{
    lr_sthread *self = lr_sched_self;

    (void)pthread_mutex_lock(&self->s->lk);
    __lr_sched_held_settle(self, NULL);
    __held_pop(self, m);
    (void)pthread_mutex_unlock(m);
    __lr_sched_wake(self->s, m);
    (void)pthread_mutex_unlock(&self->s->lk);
}

/* __writer_waits -- a thread is blocked for l exclusively (lk held). */
static bool
__writer_waits(lr_sched *s, const void *l)
{
    int i;

    for (i = 0; i < s->nt; i++)
        if (s->t[i]->state == LR_TS_BLOCKED && s->t[i]->wait == LR_W_WRLOCK && s->t[i]->obj == l)
            return (true);
    return (false);
}

void
lr_sched_rwlock_slow(pthread_rwlock_t *l, const char *name, bool write)
{
    lr_sthread *self = lr_sched_self;
    const char *verb = write ? "wrlock" : "rdlock";

    (void)pthread_mutex_lock(&self->s->lk);
    __lr_sched_held_settle(self, NULL);
    __lr_follow_note(self->s, self, write ? LR_OV_WRLOCK : LR_OV_RDLOCK, name, -1, 0);
    __point(self, verb, name, -1, lr_sched_key(name, -1));
    while (write ? pthread_rwlock_trywrlock(l) != 0 :
                   __writer_waits(self->s, l) || pthread_rwlock_tryrdlock(l) != 0)
        (void)__block(self, write ? LR_W_WRLOCK : LR_W_RDLOCK, l, verb, name, -1, 0);
    __held_push(self, l, name, -1);
    (void)pthread_mutex_unlock(&self->s->lk);
}

void
lr_sched_rwunlock_slow(pthread_rwlock_t *l)
{
    lr_sthread *self = lr_sched_self;

    (void)pthread_mutex_lock(&self->s->lk);
    __lr_sched_held_settle(self, NULL);
    __held_pop(self, l);
    (void)pthread_rwlock_unlock(l);
    __lr_sched_wake(self->s, l);
    (void)pthread_mutex_unlock(&self->s->lk);
}

void
lr_sched_event_slow(const char *name, int node, uint64_t detail)
{
    lr_sthread *self = lr_sched_self;

    (void)pthread_mutex_lock(&self->s->lk);
    __lr_trace_step(self->s, self->id, "event", name, node, detail);
    __lr_follow_note(self->s, self, LR_OV_EVENT, name, node, detail);
    (void)pthread_mutex_unlock(&self->s->lk);
}

void
lr_sched_mark_slow(const char *what, int idx)
{
    lr_sthread *self = lr_sched_self;

    if (self->s->follow == NULL)
        return;
    (void)pthread_mutex_lock(&self->s->lk);
    __lr_follow_note(self->s, self, LR_OV_MARK, what, idx, 0);
    (void)pthread_mutex_unlock(&self->s->lk);
}

/* __sleep -- self sleeps ns of virtual time (lk held); 0 is a plain scheduling point. */
static void
__sleep(lr_sthread *self, uint64_t ns, const char *what)
{
    __lr_sched_held_settle(self, NULL);
    if (ns == 0)
        __point(self, "sleep", what, -1, 0);
    else
        (void)__block(self, LR_W_SLEEP, NULL, "sleep", what, -1, self->s->vnow + ns);
}

void
lr_sched_sleep_us(uint64_t us, const char *what)
{
    lr_sthread *self = lr_sched_self;
    struct timespec ts;

    if (self == NULL) {
        LR_ORDER_NOTE(LR_OV_SLEEP, what, -1, 0);
        ts.tv_sec = (time_t)(us / 1000000u);
        ts.tv_nsec = (long)(us % 1000000u) * 1000;
        (void)nanosleep(&ts, NULL);
        LR_ORDER_LEAVE();
        return;
    }
    (void)pthread_mutex_lock(&self->s->lk);
    __lr_follow_note(self->s, self, LR_OV_SLEEP, what, -1, 0);
    __sleep(self, us * 1000u, what);
    (void)pthread_mutex_unlock(&self->s->lk);
}

uint64_t
lr_sched_now_ns(void)
{
    /* Only the running thread changes vnow, and it is this one. */
    return (lr_sched_self != NULL ? lr_sched_self->s->vnow : lr_now_ns());
}

int
lr_sched_join(pthread_t pt, void **retp)
{
    lr_sthread *self = lr_sched_self, *t = NULL;
    lr_sched *s;
    int i;

    if (self != NULL) {
        s = self->s;
        (void)pthread_mutex_lock(&s->lk);
        __lr_sched_held_settle(self, NULL);
        for (i = 0; i < s->nt; i++)
            if (pthread_equal(s->t[i]->pt, pt))
                t = s->t[i];
        if (t != NULL) {
            self->target = t;
            /* Static text: a trace keeps the pointer beyond the thread. */
            (void)__block(self, LR_W_JOIN, NULL, "join", "thread", t->id, 0);
        }
        (void)pthread_mutex_unlock(&s->lk);
    }
    return (pthread_join(pt, retp));
}

bool
lr_sched_wait_until(bool (*ready)(void *), void *arg, const char *what, int idx,
  uint64_t deadline_ns)
{
    lr_sthread *self = lr_sched_self;
    bool timed_out;

    (void)pthread_mutex_lock(&self->s->lk);
    __lr_sched_held_settle(self, NULL);
    self->ready = ready;
    self->ready_arg = arg;
    timed_out = __block(self, LR_W_PRED, NULL, "wait", what, idx, deadline_ns);
    self->ready = NULL;
    self->ready_arg = NULL;
    (void)pthread_mutex_unlock(&self->s->lk);
    return (!timed_out);
}

/* ---------------------------------------------------------------------------------------------
 * The library's operations (lt_sched_ops): arg is unused, the calling thread is lr_sched_self.
 */
static void
__lib_lock_point(void *arg, const void *obj, const char *name, int node)
{
    lr_sthread *self = lr_sched_self;

    (void)arg;
    (void)pthread_mutex_lock(&self->s->lk);
    __lr_sched_held_settle(self, NULL);
    self->acquiring = obj;
    self->acq_name = name;
    self->acq_idx = node;
    __point(self, "lock", name, node, lr_sched_key(name, node));
    (void)pthread_mutex_unlock(&self->s->lk);
}

static void
__lib_lock_block(void *arg, const void *obj, const char *name, int node)
{
    lr_sthread *self = lr_sched_self;

    (void)arg;
    (void)pthread_mutex_lock(&self->s->lk);
    __lr_sched_held_settle(self, obj);
    (void)__block(self, LR_W_LOCK, obj, "lock", name, node, 0);
    (void)pthread_mutex_unlock(&self->s->lk);
}

static void
__lib_wake(void *arg, const void *obj)
{
    lr_sthread *self = lr_sched_self;

    (void)arg;
    (void)pthread_mutex_lock(&self->s->lk);
    __lr_sched_held_settle(self, NULL);
    __held_pop(self, obj);
    __lr_sched_wake(self->s, obj);
    (void)pthread_mutex_unlock(&self->s->lk);
}

static int
__lib_cond_wait(void *arg, const void *cond, const void *mutex, uint64_t deadline_ns,
  const char *what, int node)
{
    lr_sthread *self = lr_sched_self;
    bool timed_out;

    (void)arg;
    (void)pthread_mutex_lock(&self->s->lk);
    __lr_sched_held_settle(self, NULL);
    timed_out = __block(self, LR_W_COND, cond, "cond", what, node, deadline_ns);
    if (self->released.obj == mutex) { /* the library takes it again now */
        self->acquiring = mutex;
        self->acq_name = self->released.name;
        self->acq_idx = self->released.idx;
    }
    (void)pthread_mutex_unlock(&self->s->lk);
    return (timed_out ? ETIMEDOUT : 0);
}

static void
__lib_grace(void *arg, int node)
{
    lr_sthread *self = lr_sched_self, *t;
    lr_sched *s = self->s;
    struct lr_gsnap *g;
    int i;

    (void)arg;
    (void)pthread_mutex_lock(&s->lk);
    __lr_sched_held_settle(self, NULL);
    self->ngsnap = 0;
    for (i = 0; i < s->nt; i++) {
        t = s->t[i];
        if (t == self || t->state == LR_TS_ENDED || t->rdepth == NULL || *t->rdepth == 0)
            continue;
        if (self->ngsnap == self->gsnap_cap) {
            g = realloc(self->gsnap, (size_t)(self->gsnap_cap + 16) * sizeof(*g));
            if (g == NULL)
                abort();
            self->gsnap = g;
            self->gsnap_cap += 16;
        }
        self->gsnap[self->ngsnap].t = t;
        self->gsnap[self->ngsnap].exits = *t->rexits;
        self->ngsnap++;
    }
    (void)__block(self, LR_W_GRACE, NULL, "grace", "rcu", node, 0);
    self->ngsnap = 0;
    (void)pthread_mutex_unlock(&s->lk);
}

static void
__lib_sleep(void *arg, uint64_t ns, const char *what)
{
    lr_sthread *self = lr_sched_self;

    (void)arg;
    (void)pthread_mutex_lock(&self->s->lk);
    __sleep(self, ns, what);
    (void)pthread_mutex_unlock(&self->s->lk);
}

static uint64_t
__lib_now_ns(void *arg)
{
    (void)arg;
    return (lr_sched_self->s->vnow);
}

const lt_sched_ops __lr_sched_lib_ops[1] = {{NULL, __lib_lock_point, __lib_lock_block, __lib_wake,
  __lib_cond_wait, __lib_grace, __lib_sleep, __lib_now_ns}};
