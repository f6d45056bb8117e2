/*
 * sched.c -- the library's side of controlled scheduling (lt_sched_attach in layered.h): a
 * controlled thread's mutex, condition wait and back-off go through its scheduler's operations.
 * sync.c routes to these behind one branch on __lt_tsched; grace periods and the clock call the
 * operations directly.
 *
 * A controlled lock is a loop: a scheduling point, then trylock; while another thread holds the
 * mutex, block until it is released and try again. The mutex itself stays a pthread mutex, so
 * that uncontrolled threads (before and after a controlled run) use it as usual. A condition wait
 * releases the mutex, blocks in the scheduler until a broadcast (the scheduler runs one thread at
 * a time, so none can be missed between the two), and takes the mutex again the controlled way.
 */
#include "lt_internal.h"

#include <time.h>

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
