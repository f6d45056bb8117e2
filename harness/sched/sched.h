/*
 * sched.h -- the controlled scheduler: the harness's threads run one at a time and switch only at
 * scheduling points, chosen by a seeded strategy (random walk, PCT, POS, URW) or by a recorded
 * schedule, so that a run repeats exactly.
 *
 * Scheduling points: the library's yield points (the stress engine's yield function calls
 * lr_sched_point), the harness's operation boundaries, and every blocking primitive, through the
 * wrappers below (harness mutexes, the rwlock gate, sleeps, joins) and through lt_sched_ops
 * (the library's mutexes, condition waits, grace periods and back-offs). A thread blocked in a
 * primitive waits in the scheduler for a predicate (lock released, condition broadcast, readers
 * gone, virtual deadline passed, thread ended); when no thread can run and no virtual deadline is
 * pending, the run is deadlocked: each thread's wait is printed and the process exits 1.
 *
 * Free mode (no scheduler, or a thread the scheduler does not control): every wrapper is the
 * plain primitive behind one predictable branch on a thread-local pointer, and one more when an
 * order recorder may be attached (sched_order.h: the point is noted with a global number).
 *
 * Names: lr_sched_* (module API); file-private helpers start with __.
 */
#ifndef LR_SCHED_H
#define LR_SCHED_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
    LR_SCHED_FREE = 0, /* threads run free: the plain primitives */
    LR_SCHED_RANDOM,   /* random walk: a runnable thread, uniformly */
    LR_SCHED_PCT,      /* PCT: random priorities, depth-1 priority change points */
    LR_SCHED_POS,      /* POS: priorities re-drawn for the thread that runs and its rivals */
    LR_SCHED_URW,      /* URW: weighted by each thread's estimated remaining steps */
    LR_SCHED_FOLLOW    /* follow a free run's recorded order (cfg.follow; sched_order.h) */
} lr_sched_kind;

#define LR_SCHED_DEPTH_MAX 16

enum { LR_FOLLOW_NEXT = 0, LR_FOLLOW_CURRENT, LR_FOLLOW_MIDDLE, LR_FOLLOW_BY_COUNT };

/* The last step taken by any controlled run in this process (the trace's clock). */
uint64_t lr_sched_last_step(void);

/* "free", "random", ...; NULL for an unknown value. */
const char *lr_sched_kind_name(int kind);
/* Parse a strategy name. Returns 0 or -1. */
int lr_sched_kind_parse(const char *s, int *kindp);

/* Every step of a run (scheduling points taken and library events), for the determinism check. */
typedef struct lr_sched_trace lr_sched_trace;
lr_sched_trace *lr_sched_trace_new(void);
void lr_sched_trace_free(lr_sched_trace *t);
uint64_t lr_sched_trace_hash(const lr_sched_trace *t);
uint64_t lr_sched_trace_steps(const lr_sched_trace *t);

typedef struct {
    int kind;                  /* lr_sched_kind */
    int depth;                 /* PCT's bug depth d [3] */
    uint64_t seed;             /* the run's seed: the strategy's stream derives from it */
    const char *replay;        /* follow this recorded schedule (NULL: the strategy decides) */
    const char *record;        /* record the schedule here (NULL: not) */
    const char *estimate;      /* per-thread step counts of an earlier run with the same
                                  configuration (PCT's k, URW's weights); NULL: none */
    bool estimate_write;       /* rewrite the estimate file with this run's counts */
    uint64_t k_guess;          /* PCT's k when there is no estimate */
    lr_sched_trace *keep;      /* record every step here (NULL: not) */
    const lr_sched_trace *ref; /* compare every step with this run's (determinism check) */
    /* With replay: the schedule is a guide, not a script (a shrinker's candidate). At a choice,
     * the thread its line for this step names, if runnable; else the running thread goes on if
     * it can (no preemption), else the runnable thread of lowest id. Lines marked "s" (the
     * running thread went on) are skipped; nothing is a divergence. */
    bool guide;
    /* With kind FOLLOW: the order file a free run recorded (sched_order.h); NULL: none. By
     * default (LR_FOLLOW_NEXT) the thread whose next recorded point came first runs; the
     * fallbacks: the thread that reached its current point first, or whose segment between the
     * two has the earliest middle. */
    const char *follow;
    int follow_by;
    /* Called when the scheduler stops the process (code 1 deadlock, 2 divergence), after its
     * report and before _exit(code), with the scheduler's lock held: a last word to the caller's
     * parent. NULL: none. */
    void (*on_fail)(void *arg, int code);
    void *on_fail_arg;
    /* A deadlock too: for stall_ns of virtual time only daemon threads (lr_sched_daemon) ran
     * while another thread is blocked. 0: never. */
    uint64_t stall_ns;
} lr_sched_config;

typedef struct lr_sched lr_sched;
typedef struct lr_sthread lr_sthread;

/* The calling thread's record if the scheduler controls it, else NULL. */
extern _Thread_local lr_sthread *lr_sched_self;

/*
 * lr_sched_new --
 *     A scheduler for one run (cfg->kind must not be FREE). Reads the schedule to replay and the
 *     estimate. Returns 0, or -1 with a message in err.
 */
int lr_sched_new(const lr_sched_config *cfg, lr_sched **sp, char *err, size_t errlen);
/*
 * lr_sched_spawn --
 *     Start a thread running fn(arg) under s (s NULL: a plain pthread_create). Called by an
 *     uncontrolled thread before lr_sched_go, or by a controlled thread (a scheduling point).
 *     The thread's id is its spawn order; name shows in reports. Returns 0 or an errno.
 */
int lr_sched_spawn(lr_sched *s, pthread_t *tp, const char *name, void *(*fn)(void *), void *arg);
/* Let the spawned threads run (from the uncontrolled thread that spawned them). */
void lr_sched_go(lr_sched *s);
/* The calling controlled thread loops for the whole run (a node's maintenance): its steps are
 * no progress of the run (cfg.stall_ns). No-op for an uncontrolled thread. */
void lr_sched_daemon(void);
/*
 * lr_sched_end --
 *     After every controlled thread ended: check the replayed schedule was used up, write the
 *     schedule's end and the estimate, fill summary with one line (strategy, n threads, k
 *     scheduling points, choices, PCT's bound, the trace hash) and free s. Returns 0, or 2 after
 *     printing a divergence (the schedule has choices left).
 */
int lr_sched_end(lr_sched *s, char *summary, size_t len);

/* ---------------------------------------------------------------------------------------------
 * Scheduling points and wrappers. The _slow functions are the controlled paths.
 */
void lr_sched_point_slow(const char *what, int idx, uint64_t key);
void lr_sched_mutex_lock_slow(pthread_mutex_t *m, const char *name, int idx);
void lr_sched_mutex_unlock_slow(pthread_mutex_t *m);
void lr_sched_rwlock_slow(pthread_rwlock_t *l, const char *name, bool write);
void lr_sched_rwunlock_slow(pthread_rwlock_t *l);
void lr_sched_event_slow(const char *name, int node, uint64_t detail);

/* Free mode with an order recorder attached (sched_order.h): the point is noted. */
extern _Thread_local struct lr_otrack *lr_order_self;
void lr_order_note_slow(int verb, const char *name, int idx, uint64_t detail);
/* The calling thread leaves the point it noted last only now (after a sleep or a delay). */
void lr_order_leave_slow(void);
#define LR_ORDER_LEAVE()                                \
    do {                                                \
        if (__builtin_expect(lr_order_self != NULL, 0)) \
            lr_order_leave_slow();                      \
    } while (0)
enum { LR_OV_AT = 1, LR_OV_LOCK, LR_OV_RDLOCK, LR_OV_WRLOCK, LR_OV_SLEEP, LR_OV_EVENT, LR_OV_MARK };
#define LR_ORDER_NOTE(verb, name, idx, detail)                   \
    do {                                                         \
        if (__builtin_expect(lr_order_self != NULL, 0))          \
            lr_order_note_slow((verb), (name), (idx), (detail)); \
    } while (0)

/* A key for POS's interference: points with the same key interfere (0: none). */
uint64_t lr_sched_key(const char *name, int idx);

/* An operation boundary, or a yield point at idx (a node, or -1): another thread may run. */
static inline void
lr_sched_point(const char *what, int idx)
{
    if (__builtin_expect(lr_sched_self != NULL, 0))
        lr_sched_point_slow(what, idx, idx < 0 ? 0 : lr_sched_key("node", idx));
    else
        LR_ORDER_NOTE(LR_OV_AT, what, idx, 0);
}

/* A harness mutex; name and idx (e.g. a table index) name it in traces and reports. */
static inline void
lr_sched_mutex_lock(pthread_mutex_t *m, const char *name, int idx)
{
    if (__builtin_expect(lr_sched_self != NULL, 0))
        lr_sched_mutex_lock_slow(m, name, idx);
    else {
        LR_ORDER_NOTE(LR_OV_LOCK, name, idx, 0);
        (void)pthread_mutex_lock(m);
    }
}

static inline void
lr_sched_mutex_unlock(pthread_mutex_t *m)
{
    if (__builtin_expect(lr_sched_self != NULL, 0))
        lr_sched_mutex_unlock_slow(m);
    else
        (void)pthread_mutex_unlock(m);
}

/* A harness rwlock (writers preferred while one waits, as the stress engine's gate is). */
static inline void
lr_sched_rdlock(pthread_rwlock_t *l, const char *name)
{
    if (__builtin_expect(lr_sched_self != NULL, 0))
        lr_sched_rwlock_slow(l, name, false);
    else {
        LR_ORDER_NOTE(LR_OV_RDLOCK, name, -1, 0);
        (void)pthread_rwlock_rdlock(l);
    }
}

static inline void
lr_sched_wrlock(pthread_rwlock_t *l, const char *name)
{
    if (__builtin_expect(lr_sched_self != NULL, 0))
        lr_sched_rwlock_slow(l, name, true);
    else {
        LR_ORDER_NOTE(LR_OV_WRLOCK, name, -1, 0);
        (void)pthread_rwlock_wrlock(l);
    }
}

static inline void
lr_sched_rwunlock(pthread_rwlock_t *l)
{
    if (__builtin_expect(lr_sched_self != NULL, 0))
        lr_sched_rwunlock_slow(l);
    else
        (void)pthread_rwlock_unlock(l);
}

void lr_sched_mark_slow(const char *what, int idx);

/*
 * A mark: right after a read the thread decides on (a node's role, the leader). Not a scheduling
 * point and not in the trace: only the order sees it (free: recorded; following: noted), so that
 * the read is ordered by its own number rather than by the next point's.
 */
static inline void
lr_sched_mark(const char *what, int idx)
{
    if (__builtin_expect(lr_sched_self != NULL, 0))
        lr_sched_mark_slow(what, idx);
    else
        LR_ORDER_NOTE(LR_OV_MARK, what, idx, 0);
}

/* A library event, hashed into the trace (detail: whatever identifies it beyond name, node). */
static inline void
lr_sched_event(const char *name, int node, uint64_t detail)
{
    if (__builtin_expect(lr_sched_self != NULL, 0))
        lr_sched_event_slow(name, node, detail);
    else
        LR_ORDER_NOTE(LR_OV_EVENT, name, node, detail);
}

/* Sleep us microseconds: virtual time for a controlled thread (a scheduling point). */
void lr_sched_sleep_us(uint64_t us, const char *what);
/* Monotonic nanoseconds: the virtual clock for a controlled thread, else lr_now_ns(). */
uint64_t lr_sched_now_ns(void);
/*
 * lr_sched_wait_until --
 *     Block the calling controlled thread until ready(arg) holds or, deadline_ns not 0, until the
 *     virtual clock (lr_sched_now_ns) reaches it; a step named "wait what@idx" (what: static
 *     text). ready is evaluated at every step by the thread that holds the token, with the
 *     scheduler's lock held: it only reads, taking at most a leaf lock that no thread holds
 *     across a scheduling point. Returns true if ready held, false at the deadline. Only for a
 *     controlled thread.
 */
bool lr_sched_wait_until(bool (*ready)(void *), void *arg, const char *what, int idx,
  uint64_t deadline_ns);
/* Join a thread: a controlled caller blocks in the scheduler until t ended. */
int lr_sched_join(pthread_t t, void **retp);

/*
 * Virtual time per scheduling point. About what a step that calls WiredTiger costs for real, so
 * that the engine's time limits (a retry loop's 60 s, the hook's wait bound) take about as long
 * in a controlled run as in a free one.
 */
#define LR_SCHED_STEP_NS 1000000u

/* The virtual clock at the start of a run: far from 0, so that no deadline computed from it is
 * "none". A controlled run's virtual age is lr_sched_now_ns() - LR_SCHED_VTIME0. */
#define LR_SCHED_VTIME0 (UINT64_C(1000) * 1000000000u)

#endif /* LR_SCHED_H */
