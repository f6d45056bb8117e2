/*
 * sync.c -- the library's only blocking primitives: ranked mutexes, condition variables with
 * scheduler-visible waits, and RCU read-side sections and grace periods (liburcu-memb).
 *
 * Lock order (I8) is checked at run time in every build: each thread keeps the stack of locks it
 * holds, and taking a lock whose rank is not above every held rank aborts with both names, so an
 * inversion is reported the first time it happens rather than deadlocking one day.
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

#define LT_HELD_MAX 16
static _Thread_local lt_mutex *lt_held[LT_HELD_MAX];
static _Thread_local int lt_nheld;
static _Thread_local int lt_read_depth;
static _Thread_local uint64_t lt_read_exits; /* outermost sections left (lt_sched_read_state) */
static _Thread_local bool lt_registered;
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
 *     Called at every public entry point: registers the thread with RCU on first use and
 *     unregisters it when the thread exits.
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

void
__lt_grace_wait(lt_cluster *cl, int node)
{
    int i;

    if (lt_read_depth != 0) {
        fprintf(stderr, "liblayered: grace period waited for inside a read-side section\n");
        abort();
    }
    for (i = 0; i < lt_nheld; i++)
        if (lt_held[i]->rank >= 30) {
            fprintf(stderr, "liblayered: lock order violation (I8): grace period waited for "
                            "while holding %s\n", lt_held[i]->name);
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
__lt_mutex_init(lt_mutex *m, int rank, const char *name)
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
              m->name, m->rank, lt_held[i]->name, lt_held[i]->rank);
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

void
__lt_mutex_assert_held(lt_mutex *m)
{
    int i;

    for (i = 0; i < lt_nheld; i++)
        if (lt_held[i] == m)
            return;
    fprintf(stderr, "liblayered: %s must be held here\n", m->name);
    abort();
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
