/*
 * sync.c -- the library's only blocking primitives: ranked mutexes, condition variables with
 * scheduler-visible waits, and RCU read-side sections and grace periods (liburcu-memb).
 *
 * Lock order (I8, lt_rank) is checked at run time in every build: each thread keeps the stack of
 * locks it holds, and taking a lock whose rank is not above every held rank aborts with both
 * names, so an inversion is reported the first time it happens rather than deadlocking one day.
 * The same stack answers __lt_mutex_held, which _locked functions assert. I8:
 * docs/CONTRACT.md#i8.
 *
 * ThreadSanitizer cannot see liburcu 0.13's grace periods. In LT_TSAN builds a read-side
 * section's end releases a token that a grace period acquires after synchronize_rcu() returns;
 * publication uses C11 release/acquire atomics (see lt_internal.h), which TSan understands.
 */
#include "lt_internal.h"

#include <time.h>

#ifndef LT_TSAN
#define _LGPL_SOURCE /* inline read-side fast paths; TSan builds keep the library calls */
#endif
#include <urcu/urcu-memb.h>

#ifdef LT_TSAN
void __tsan_acquire(void *addr);
void __tsan_release(void *addr);
static char lt_grace_token;

/*
 * The ThreadSanitizer defaults of every program linking the library. WiredTiger is not
 * instrumented and hands memory between its threads through its own atomics: without
 * ignore_noninstrumented_modules TSan reports races inside it that are not races, and a user who
 * runs a tsan build by hand (without the preset's TSAN_OPTIONS) would chase them. TSAN_OPTIONS
 * still sets or overrides any option.
 */
const char *__tsan_default_options(void);
const char *
__tsan_default_options(void)
{
    return ("ignore_noninstrumented_modules=1:history_size=7:second_deadlock_stack=1");
}
#endif

/* Per thread, not shared: the locks held (in the order taken) and the read-side nesting. */
#define LT_HELD_MAX 16
static _Thread_local const lt_mutex *lt_held[LT_HELD_MAX];
static _Thread_local int lt_nheld;
static _Thread_local int lt_read_depth;
static _Thread_local uint64_t lt_read_exits; /* outermost sections left (lt_sched_read_state) */
static _Thread_local bool lt_registered;
/* Shared, written once under pthread_once: the key whose destructor unregisters a thread. */
static pthread_key_t lt_thread_key;
static pthread_once_t lt_thread_once = PTHREAD_ONCE_INIT;

uint64_t
__lt_now_ns(void)
{
    struct timespec ts;

    if (__builtin_expect(__lt_tsched != NULL, 0))
        return (__lt_tsched->now_ns(__lt_tsched->arg));
    (void)clock_gettime(CLOCK_MONOTONIC, &ts);
    return ((uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec);
}

static void
lt_thread_exit(void *arg)
{
    (void)arg;
    if (lt_registered) {
        urcu_memb_unregister_thread();
        lt_registered = false;
    }
}

static void
lt_thread_key_init(void)
{
    (void)pthread_key_create(&lt_thread_key, lt_thread_exit);
}

/*
 * __lt_thread_enter --
 *     Called at every public entry point (by __lt_api_enter in those that return an error
 *     code): registers the thread with RCU on first use and unregisters it when the thread exits.
 */
void
__lt_thread_enter(void)
{
    if (__builtin_expect(lt_registered, 1))
        return;
    (void)pthread_once(&lt_thread_once, lt_thread_key_init);
    urcu_memb_register_thread();
    lt_registered = true;
    (void)pthread_setspecific(lt_thread_key, &lt_registered);
}

void
__lt_rcu_read_lock(void)
{
    urcu_memb_read_lock();
    lt_read_depth++;
}

void
__lt_rcu_read_unlock(void)
{
    if (--lt_read_depth == 0)
        lt_read_exits++;
#ifdef LT_TSAN
    __tsan_release(&lt_grace_token);
#endif
    urcu_memb_read_unlock();
}

/*
 * __lt_grace_wait --
 *     synchronize_rcu: liburcu's barriers (the memb flavour: membarrier, or full fences) order
 *     the end of every read-side section that began before the call before its return, so what
 *     those sections did happens before what the caller does next (freeing an old state, say).
 */
void
__lt_grace_wait(lt_cluster *cl, int node)
{
    int i;

    if (lt_read_depth != 0) {
        fprintf(stderr, "liblayered: grace period waited for inside a read-side section\n");
        abort();
    }
    for (i = 0; i < lt_nheld; i++)
        if (lt_held[i]->rank >= LT_RANK_NO_GRACE) {
            fprintf(stderr,
              "liblayered: lock order violation (I8): grace period waited for "
              "while holding %s\n",
              lt_held[i]->name);
            abort();
        }
    if (__builtin_expect(__lt_tsched != NULL, 0)) {
        /* Every reader is a parked controlled thread: synchronize_rcu would wait for it. */
        __lt_tsched->grace(__lt_tsched->arg, node);
        return;
    }
    if (cl != NULL && cl->cfg.wait_hooks.before_block != NULL)
        cl->cfg.wait_hooks.before_block(cl->cfg.wait_hooks.arg, "grace", node);
    urcu_memb_synchronize_rcu();
#ifdef LT_TSAN
    __tsan_acquire(&lt_grace_token);
#endif
    if (cl != NULL && cl->cfg.wait_hooks.after_block != NULL)
        cl->cfg.wait_hooks.after_block(cl->cfg.wait_hooks.arg, "grace", node);
}

void
__lt_mutex_init(lt_mutex *m, lt_rank rank, const char *name)
{
    (void)pthread_mutex_init(&m->m, NULL);
    m->rank = rank;
    m->name = name;
}

void
__lt_mutex_destroy(lt_mutex *m)
{
    (void)pthread_mutex_destroy(&m->m);
}

static void
lt_rank_check(lt_mutex *m)
{
    int i;

    for (i = 0; i < lt_nheld; i++)
        if (lt_held[i]->rank >= m->rank) {
            fprintf(stderr,
              "liblayered: lock order violation (I8): taking %s (rank %d) while holding %s "
              "(rank %d)\n",
              m->name, (int)m->rank, lt_held[i]->name, (int)lt_held[i]->rank);
            abort();
        }
    if (lt_nheld == LT_HELD_MAX) {
        fprintf(stderr, "liblayered: too many locks held\n");
        abort();
    }
}

void
__lt_mutex_lock(lt_cluster *cl, lt_mutex *m, int node)
{
    lt_rank_check(m);
    if (__builtin_expect(__lt_tsched != NULL, 0))
        __lt_sched_lock(m, node);
    else if (pthread_mutex_trylock(&m->m) != 0) {
        if (cl != NULL && cl->cfg.wait_hooks.before_block != NULL)
            cl->cfg.wait_hooks.before_block(cl->cfg.wait_hooks.arg, m->name, node);
        (void)pthread_mutex_lock(&m->m);
        if (cl != NULL && cl->cfg.wait_hooks.after_block != NULL)
            cl->cfg.wait_hooks.after_block(cl->cfg.wait_hooks.arg, m->name, node);
    }
    lt_held[lt_nheld++] = m;
}

/* Take m if it is free: false if another thread holds it (a controlled thread: a point first). */
bool
__lt_mutex_trylock(lt_cluster *cl, lt_mutex *m, int node)
{
    (void)cl;
    lt_rank_check(m);
    if (__builtin_expect(__lt_tsched != NULL, 0))
        __lt_tsched->lock_point(__lt_tsched->arg, m, m->name, node);
    if (pthread_mutex_trylock(&m->m) != 0)
        return (false);
    lt_held[lt_nheld++] = m;
    return (true);
}

void
__lt_mutex_unlock(lt_mutex *m)
{
    int i;

    for (i = lt_nheld - 1; i >= 0; i--)
        if (lt_held[i] == m) {
            memmove(&lt_held[i], &lt_held[i + 1], (size_t)(lt_nheld - i - 1) * sizeof(lt_held[0]));
            lt_nheld--;
            break;
        }
    (void)pthread_mutex_unlock(&m->m);
    if (__builtin_expect(__lt_tsched != NULL, 0))
        __lt_tsched->wake(__lt_tsched->arg, m);
}

bool
__lt_mutex_held(const lt_mutex *m)
{
    int i;

    for (i = 0; i < lt_nheld; i++)
        if (lt_held[i] == m)
            return (true);
    return (false);
}

void
__lt_cond_init(lt_cond *c)
{
    pthread_condattr_t attr;

    (void)pthread_condattr_init(&attr);
    (void)pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    (void)pthread_cond_init(&c->c, &attr);
    (void)pthread_condattr_destroy(&attr);
}

void
__lt_cond_destroy(lt_cond *c)
{
    (void)pthread_cond_destroy(&c->c);
}

void
__lt_cond_broadcast(lt_cond *c)
{
    (void)pthread_cond_broadcast(&c->c);
    if (__builtin_expect(__lt_tsched != NULL, 0))
        __lt_tsched->wake(__lt_tsched->arg, c);
}

int
__lt_cond_wait(lt_cluster *cl, lt_cond *c, lt_mutex *m, uint64_t deadline_ns, const char *what,
  int node)
{
    struct timespec ts;
    int rc;

    if (__builtin_expect(__lt_tsched != NULL, 0))
        return (__lt_sched_cond_wait(c, m, deadline_ns, what, node));
    if (cl != NULL && cl->cfg.wait_hooks.before_block != NULL)
        cl->cfg.wait_hooks.before_block(cl->cfg.wait_hooks.arg, what, node);
    if (deadline_ns == 0)
        rc = pthread_cond_wait(&c->c, &m->m);
    else {
        ts.tv_sec = (time_t)(deadline_ns / 1000000000u);
        ts.tv_nsec = (long)(deadline_ns % 1000000000u);
        rc = pthread_cond_timedwait(&c->c, &m->m, &ts);
    }
    if (cl != NULL && cl->cfg.wait_hooks.after_block != NULL)
        cl->cfg.wait_hooks.after_block(cl->cfg.wait_hooks.arg, what, node);
    return (rc == ETIMEDOUT ? ETIMEDOUT : 0);
}

void
lt_sched_read_state(const int **depthp, const uint64_t **exitsp)
{
    *depthp = &lt_read_depth;
    *exitsp = &lt_read_exits;
}

/*
 * Controlled scheduling (lt_sched_attach in layered.h): a
 * controlled thread's mutex, condition wait and back-off go through its scheduler's operations.
 * The primitives above route to these behind one branch on __lt_tsched; grace periods and the
 * clock call the operations directly.
 *
 * A controlled lock is a loop: a scheduling point, then trylock; while another thread holds the
 * mutex, block until it is released and try again. The mutex itself stays a pthread mutex, so
 * that uncontrolled threads (before and after a controlled run) use it as usual. A condition wait
 * releases the mutex, blocks in the scheduler until a broadcast (the scheduler runs one thread at
 * a time, so none can be missed between the two), and takes the mutex again the controlled way.
 */
_Thread_local const lt_sched_ops *__lt_tsched;

void
lt_sched_attach(const lt_sched_ops *ops)
{
    __lt_thread_enter();
    __lt_tsched = ops;
}

/* __lt_sched_lock -- take m for a controlled thread (rank already checked). */
void
__lt_sched_lock(lt_mutex *m, int node)
{
    const lt_sched_ops *ops = __lt_tsched;

    ops->lock_point(ops->arg, m, m->name, node);
    while (pthread_mutex_trylock(&m->m) != 0)
        ops->lock_block(ops->arg, m, m->name, node);
}

/* __lt_sched_cond_wait -- __lt_cond_wait for a controlled thread; m stays on the held stack. */
int
__lt_sched_cond_wait(lt_cond *c, lt_mutex *m, uint64_t deadline_ns, const char *what, int node)
{
    const lt_sched_ops *ops = __lt_tsched;
    int rc;

    (void)pthread_mutex_unlock(&m->m);
    ops->wake(ops->arg, m);
    rc = ops->cond_wait(ops->arg, c, m, deadline_ns, what, node);
    while (pthread_mutex_trylock(&m->m) != 0)
        ops->lock_block(ops->arg, m, m->name, node);
    return (rc == ETIMEDOUT ? ETIMEDOUT : 0);
}

/* __lt_sleep_ns -- a back-off: virtual time for a controlled thread, nanosleep otherwise. */
void
__lt_sleep_ns(uint64_t ns, const char *what)
{
    struct timespec ts;

    if (__builtin_expect(__lt_tsched != NULL, 0)) {
        __lt_tsched->sleep(__lt_tsched->arg, ns, what);
        return;
    }
    ts.tv_sec = (time_t)(ns / 1000000000u);
    ts.tv_nsec = (long)(ns % 1000000000u);
    (void)nanosleep(&ts, NULL);
}
