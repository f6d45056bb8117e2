/*
 * scenario_sync.c -- how a scenario forces its interleaving: holds at the library's yield
 * points, its second (and third) threads, and the library's wait hooks that tell the runtime when
 * a thread is stuck in a library wait (see scenario_rt.h for the protocol of lr_sc.mu).
 *
 * A hold (common/hold.h, under lr_sc.mu) parks the first thread that reaches its site (on its
 * node) on lr_sc.cv until the script releases the site. A thread parked inside the library stays
 * exactly where the library yielded: in a read-side section if it was in one, holding whatever
 * the library held there; the script decides what may run meanwhile.
 *
 * Sites that are not held get a seeded perturbation: a short sleep, with one chance in four, from
 * the thread's own stream (seed, thread id; common/rng.h). The holds make the interleaving that
 * matters certain; the seed varies the timing of everything else, so ten seeds are ten
 * different executions of the same forced race.
 *
 * Controlled (sc->sched, docs/SCHEDULER.md): every wait of a controlled thread here is a
 * predicate wait in the scheduler (lr_sched_wait_until), its timeout virtual: a parked thread
 * until its release, lr_sc_wait_held until the site is held, a join until the thread is done.
 * A site that is not held is a scheduling point, with no delay: the strategy varies the rest.
 * The predicates take mu, which no thread holds across a scheduling point.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/clock.h"
#include "common/rng.h"
#include "scenario/scenario_rt.h"

/* A wait that ends early because nothing can move must have looked stuck for this long. */
#define LR_SC_SETTLE_MS 250

/* What a controlled wait waits for (its predicates below read it under mu). */
typedef struct {
    lr_sc *sc;
    const char *site;
    lr_hold *h;
    unsigned gen;
    lr_sc_thread *t;
} __sc_until;

static bool
__sc_released(void *arg)
{
    __sc_until *u = arg;
    bool r;

    (void)pthread_mutex_lock(&u->sc->mu);
    r = lr_holds_gone(u->h, u->gen);
    (void)pthread_mutex_unlock(&u->sc->mu);
    return (r);
}

static bool
__sc_held(void *arg)
{
    __sc_until *u = arg;
    bool r;

    (void)pthread_mutex_lock(&u->sc->mu);
    r = lr_holds_held(&u->sc->holds, u->site);
    (void)pthread_mutex_unlock(&u->sc->mu);
    return (r);
}

static bool
__sc_done(void *arg)
{
    __sc_until *u = arg;
    bool r;

    (void)pthread_mutex_lock(&u->sc->mu);
    r = u->t->done;
    (void)pthread_mutex_unlock(&u->sc->mu);
    return (r);
}

/* A virtual deadline timeout_ms from now. */
static uint64_t
__sc_vdeadline(int timeout_ms)
{
    return (lr_sched_now_ns() + (uint64_t)(timeout_ms > 0 ? timeout_ms : 1) * 1000000u);
}

/* Something the holds or the threads' states depend on moved (mu held). */
static void
__sc_changed_locked(lr_sc *sc)
{
    sc->changed_ns = lr_now_ns();
    (void)pthread_cond_broadcast(&sc->cv);
}

static bool
__sc_known_site(const char *site)
{
    const char *const *s;

    for (s = lt_yield_sites(); s != NULL && *s != NULL; s++)
        if (strcmp(*s, site) == 0)
            return (true);
    return (false);
}

void
lr_sc_hold(lr_sc *sc, const char *site, int node)
{
    int rc;

    if (site == NULL || !__sc_known_site(site)) {
        lr_sc_error(sc, "lr_sc_hold: '%s' is not a yield site of the library",
          site == NULL ? "(null)" : site);
        return;
    }
    (void)pthread_mutex_lock(&sc->mu);
    rc = lr_holds_arm(&sc->holds, site, node);
    (void)pthread_mutex_unlock(&sc->mu);
    if (rc == ENOSPC)
        lr_sc_error(sc, "lr_sc_hold: more than %d sites held at once", LR_HOLDS);
    else if (rc != 0)
        lr_sc_error(sc, "lr_sc_hold: site name '%s' too long", site);
}

/*
 * The parked thread counts as running from its release on, before it wakes: lr_sc_wait_held
 * must not take it for stuck.
 */
void
lr_sc_release(lr_sc *sc, const char *site)
{
    (void)pthread_mutex_lock(&sc->mu);
    lr_holds_release(&sc->holds, site);
    __sc_changed_locked(sc);
    (void)pthread_mutex_unlock(&sc->mu);
}

/*
 * lr_sc_wait_held --
 *     Wait until a thread is parked at site. Gives up after timeout_ms, or earlier when no thread
 *     could still get there: every scenario thread has ended, is parked at another hold, or has
 *     been blocked in a library wait (a grace period, a lock) for LR_SC_SETTLE_MS while nothing
 *     else moved. (The script's own thread is the one waiting, so it cannot be the one to come.)
 */
bool
lr_sc_wait_held(lr_sc *sc, const char *site, int timeout_ms)
{
    uint64_t now, deadline, settle, wake;
    struct timespec ts;
    bool held;

    if (lr_sched_self != NULL) {
        __sc_until u = {sc, site, NULL, 0, NULL};

        return (lr_sched_wait_until(__sc_held, &u, site, -1, __sc_vdeadline(timeout_ms)));
    }
    deadline = lr_now_ns() + (uint64_t)timeout_ms * 1000000u;
    settle = (uint64_t)LR_SC_SETTLE_MS * 1000000u;
    (void)pthread_mutex_lock(&sc->mu);
    for (;;) {
        if ((held = lr_holds_held(&sc->holds, site)))
            break;
        now = lr_now_ns();
        if (now >= deadline)
            break;
        if (sc->live - sc->holds.parked - sc->blocked <= 0 &&
          (sc->blocked == 0 || now - sc->changed_ns >= settle))
            break;
        wake = deadline;
        if (sc->blocked > 0 && sc->changed_ns + settle < wake)
            wake = sc->changed_ns + settle;
        /* Rounded up: a wait that wakes a little early would only wait again. */
        lr_deadline_ms(&ts, wake > now ? (wake - now + 999999u) / 1000000u : 0);
        (void)pthread_cond_timedwait(&sc->cv, &sc->mu, &ts);
    }
    (void)pthread_mutex_unlock(&sc->mu);
    return (held);
}

/* The yield function installed in the cluster: park at a held site, else maybe a short sleep. */
void
lr_sc_yield_hook(void *arg, const char *site, int node)
{
    lr_sc *sc = arg;
    lr_hold *h;
    __sc_until u;

    if (lr_sched_self != NULL)
        lr_sched_point(site, node);
    (void)pthread_mutex_lock(&sc->mu);
    if ((h = lr_holds_match(&sc->holds, site, node)) == NULL) {
        (void)pthread_mutex_unlock(&sc->mu);
        if (lr_sched_self == NULL && sc->sched == NULL)
            (void)lr_rng_delay(lr_rng_mine(sc->seed), 25, 300);
        return;
    }
    if (lr_sc_self() == NULL) { /* nobody would release the script's own thread */
        (void)pthread_mutex_unlock(&sc->mu);
        lr_sc_error(sc,
          "the script's own thread reached held site %s (node %d): hold sites "
          "that a spawned thread reaches",
          site, node);
        return;
    }
    sc->changed_ns = lr_now_ns();
    if (lr_sched_self == NULL) {
        lr_holds_park(&sc->holds, h);
        (void)pthread_mutex_unlock(&sc->mu);
        return;
    }
    u.sc = sc;
    u.site = site;
    u.h = h;
    u.gen = lr_holds_take(&sc->holds, h);
    u.t = NULL;
    (void)pthread_mutex_unlock(&sc->mu);
    (void)lr_sched_wait_until(__sc_released, &u, site, node, 0);
}

/* Wait hooks: a scenario thread blocked in a library wait cannot move by itself. */
static void
__sc_waiting(lr_sc *sc, bool waiting)
{
    lr_sc_thread *self = lr_sc_self();

    if (self == NULL || self->sc != sc)
        return;
    (void)pthread_mutex_lock(&sc->mu);
    if (self->waiting != waiting) {
        self->waiting = waiting;
        sc->blocked += waiting ? 1 : -1;
        __sc_changed_locked(sc);
    }
    (void)pthread_mutex_unlock(&sc->mu);
}

void
lr_sc_before_block(void *arg, const char *what, int node)
{
    (void)what;
    (void)node;
    __sc_waiting(arg, true);
}

void
lr_sc_after_block(void *arg, const char *what, int node)
{
    (void)what;
    (void)node;
    __sc_waiting(arg, false);
}

static void *
__sc_thread_main(void *arg)
{
    lr_sc_thread *t = arg;
    lr_sc *sc = t->sc;
    int rc;

    lr_sc_set_self(t);
    lr_history_thread(t->id);
    lr_rng_thread(sc->seed, t->id);
    rc = t->fn(sc, t->arg);
    (void)pthread_mutex_lock(&sc->mu);
    t->rc = rc;
    t->done = true;
    sc->live--;
    __sc_changed_locked(sc);
    (void)pthread_mutex_unlock(&sc->mu);
    lr_sc_set_self(NULL);
    return (NULL);
}

lr_sc_thread *
lr_sc_spawn(lr_sc *sc, int (*fn)(lr_sc *sc, void *arg), void *arg)
{
    lr_sc_thread *t;
    char name[32];
    int rc;

    if ((t = calloc(1, sizeof(*t))) == NULL) {
        lr_sc_error(sc, "lr_sc_spawn: out of memory");
        return (NULL);
    }
    t->sc = sc;
    t->fn = fn;
    t->arg = arg;
    (void)pthread_mutex_lock(&sc->mu);
    t->id = ++sc->next_id;
    sc->live++;
    t->next = sc->threads;
    sc->threads = t;
    __sc_changed_locked(sc);
    (void)pthread_mutex_unlock(&sc->mu);
    (void)snprintf(name, sizeof(name), "t%d", t->id);
    if ((rc = lr_sched_spawn(sc->sched, &t->th, name, __sc_thread_main, t)) != 0) {
        (void)pthread_mutex_lock(&sc->mu);
        t->done = t->joined = true;
        t->rc = rc;
        sc->live--;
        __sc_changed_locked(sc);
        (void)pthread_mutex_unlock(&sc->mu);
        lr_sc_error(sc, "lr_sc_spawn: cannot create a thread: %s", strerror(rc));
        return (NULL);
    }
    return (t);
}

/* Wait for t to end (mu held); false after timeout_ms. */
static bool
__sc_wait_done_locked(lr_sc *sc, lr_sc_thread *t, int timeout_ms)
{
    struct timespec ts;
    bool done;

    if (lr_sched_self != NULL) { /* controlled: in the scheduler, without mu */
        __sc_until u = {sc, NULL, NULL, 0, t};

        (void)pthread_mutex_unlock(&sc->mu);
        done = lr_sched_wait_until(__sc_done, &u, "thread", t->id, __sc_vdeadline(timeout_ms));
        (void)pthread_mutex_lock(&sc->mu);
        return (done);
    }
    lr_deadline_ms(&ts, (uint64_t)timeout_ms);
    while (!t->done)
        if (pthread_cond_timedwait(&sc->cv, &sc->mu, &ts) == ETIMEDOUT)
            break;
    return (t->done);
}

int
lr_sc_join(lr_sc_thread *t, int timeout_ms)
{
    lr_sc *sc;
    bool done;

    if (t == NULL)
        return (EINVAL);
    sc = t->sc;
    (void)pthread_mutex_lock(&sc->mu);
    done = __sc_wait_done_locked(sc, t, timeout_ms);
    (void)pthread_mutex_unlock(&sc->mu);
    if (!done) {
        lr_sc_error(sc, "thread %d did not end within %d ms", t->id, timeout_ms);
        return (ETIMEDOUT);
    }
    if (!t->joined) {
        (void)lr_sched_join(t->th, NULL);
        t->joined = true;
    }
    return (t->rc);
}

bool
lr_sc_settle(lr_sc *sc, int timeout_ms)
{
    lr_sc_thread *t;
    bool all = true;

    (void)pthread_mutex_lock(&sc->mu);
    lr_holds_release(&sc->holds, NULL);
    __sc_changed_locked(sc);
    for (t = sc->threads; t != NULL; t = t->next)
        if (!__sc_wait_done_locked(sc, t, timeout_ms))
            all = false;
    (void)pthread_mutex_unlock(&sc->mu);
    if (!all) {
        lr_sc_error(sc, "a scenario thread did not end within %d ms of the script's end",
          timeout_ms);
        return (false);
    }
    for (t = sc->threads; t != NULL; t = t->next)
        if (!t->joined) {
            (void)lr_sched_join(t->th, NULL);
            t->joined = true;
        }
    return (true);
}
