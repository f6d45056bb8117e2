/*
 * sched_int.h -- the controlled scheduler's private state, shared by
 *   sched.c           threads, the token, blocking and waking, deadlock, virtual time
 *   sched_sync.c      the wrappers (points, mutexes, rwlocks, sleeps, joins) and the library's
 *                     lt_sched_ops
 *   sched_strategy.c  random walk, PCT, POS, URW; the step-count estimate
 *   sched_record.c    the schedule file (record, replay, divergence), the trace and its hash
 *   sched_follow.c    the follow strategy: a free run's recorded order as the guide
 *
 * Protocol: everything below is protected by lr_sched.lk. One thread holds the token
 * (lr_sched.running); only it changes the state, at a scheduling point, and it hands the token
 * over by setting running and signalling the next thread's condition variable. A thread that is
 * not running waits on its own condition variable until running names it.
 */
#ifndef LR_SCHED_INT_H
#define LR_SCHED_INT_H

#include <stdio.h>

#include "common/hash.h"
#include "common/rng.h"
#include "layered.h"
#include "sched/sched.h"

/* What a blocked thread waits for. */
typedef enum {
    LR_W_NONE = 0,
    LR_W_LOCK,   /* a mutex obj to be released */
    LR_W_RDLOCK, /* a rwlock obj, shared */
    LR_W_WRLOCK, /* a rwlock obj, exclusive */
    LR_W_COND,   /* a condition obj to be broadcast, or wake_at */
    LR_W_SLEEP,  /* wake_at */
    LR_W_GRACE,  /* the readers in gsnap to leave their sections */
    LR_W_JOIN,   /* the thread target to end */
    LR_W_PRED    /* ready(ready_arg), or wake_at */
} lr_wait;

typedef enum { LR_TS_RUNNABLE = 0, LR_TS_BLOCKED, LR_TS_ENDED } lr_tstate;

#define LR_HELD_MAX 16

struct lr_sthread {
    lr_sched *s;
    int id; /* spawn order: the same in every run of a configuration */
    char name[32];
    pthread_t pt;
    pthread_cond_t cv;
    lr_tstate state;
    void *(*fn)(void *);
    void *arg;

    /* The scheduling point it reached last, where it resumes: verb (lock, at, sleep...), point
     * (static text: a lock, a site), idx (a node or an index, -1: none). */
    const char *verb;
    const char *point;
    int idx;
    uint64_t key;    /* POS interference */
    uint64_t steps;  /* points it reached (URW) */
    uint64_t passed; /* choices in a row it was runnable and not chosen (follow) */
    double prio;     /* PCT and POS */
    bool daemon;     /* lr_sched_daemon: its steps are not the run's progress */

    /* While blocked. */
    lr_wait wait;
    const void *obj;
    uint64_t wake_at; /* virtual ns, 0: none */
    bool timed_out;
    struct lr_gsnap {
        lr_sthread *t;
        uint64_t exits;
    } * gsnap; /* the readers a grace period waits for */
    int ngsnap, gsnap_cap;
    lr_sthread *target;    /* join */
    bool (*ready)(void *); /* a predicate wait */
    void *ready_arg;

    /* The library's read-side state of this thread (lt_sched_read_state); NULL before start. */
    const int *rdepth;
    const uint64_t *rexits;

    /* Locks it holds, as far as the scheduler sees (reports only). */
    struct lr_held {
        const void *obj;
        const char *name;
        int idx;
    } held[LR_HELD_MAX];
    int nheld;
    const void *acquiring; /* a library lock it tried and may now hold */
    const char *acq_name;
    int acq_idx;
    struct lr_held released; /* the lock it released last (a condition wait takes it again) */
};

/* One step of the trace: a point reached, or a library event. */
typedef struct {
    int tid;
    int idx;
    const char *verb; /* "event" for a library event */
    const char *name; /* static text: a literal of the library or the harness */
    uint64_t detail;  /* an event's op and rc; 0 for a point */
    uint64_t step;
} lr_tstep;

struct lr_sched_trace {
    lr_tstep *v;
    size_t n, cap;
    uint64_t hash;
};

/* One recorded choice: at step, thread tid ran from point name@idx. */
typedef struct {
    uint64_t step;
    int tid;
    int idx;
    char verb[16];
    char name[48];
    char mark; /* 'p' a preemption, 's' the running thread went on, 'f' it could not, 0 unknown */
    int from;  /* the thread that reached the point (-1: the start; -2: not recorded) */
    uint64_t from_steps; /* its own step count then: where a guide takes the choice again */
    bool used;           /* a guide took it */
} lr_choice;

struct lr_sched {
    lr_sched_config cfg;
    pthread_mutex_t lk;
    lr_sthread **t;
    int nt, tcap;
    lr_sthread *running;
    bool started;
    uint64_t step;     /* k: scheduling points taken */
    uint64_t choices;  /* steps where more than one thread could run */
    uint64_t preempts; /* choices that switched away from a thread that could go on */
    uint64_t vnow;     /* virtual ns */
    uint64_t work_at;  /* vnow when a thread other than a daemon last took a step */

    /* Strategy (sched_strategy.c). */
    lr_rng rng;
    uint64_t k_est;                      /* PCT's k */
    uint64_t change[LR_SCHED_DEPTH_MAX]; /* PCT's change points, ascending */
    int change_prio[LR_SCHED_DEPTH_MAX]; /* the priority each one gives */
    int nchange, next_change;
    uint64_t *est; /* per thread id: steps in the estimate run */
    int nest;

    /* Record and replay (sched_record.c). */
    FILE *rec;
    lr_choice *replay;
    size_t nreplay, ireplay;
    uint64_t replay_hash; /* the recorded run's trace hash, 0: unknown */
    lr_sched_trace trace; /* hash always; steps only with cfg.keep or cfg.ref */
    size_t ref_at;

    struct lr_follow *follow; /* kind FOLLOW without a replay: the order (sched_follow.c) */
};

/* sched.c */
void __lr_sched_switch(lr_sched *s, lr_sthread *self);
void __lr_sched_block(lr_sthread *self, lr_wait w, const void *obj, const char *what, int idx,
  uint64_t wake_at);
void __lr_sched_wake(lr_sched *s, const void *obj);
void __lr_sched_held_settle(lr_sthread *self, const void *next_obj);
void __lr_sched_fail(lr_sched *s, int code) __attribute__((noreturn));
void __lr_sched_dump(lr_sched *s, const char *title);
void __lr_sched_waitfor(lr_sched *s);
const char *__lr_sched_where(const lr_sthread *t, char *buf, size_t len);

/* sched_sync.c */
extern const lt_sched_ops __lr_sched_lib_ops[1]; /* what every controlled thread attaches */

/* sched_strategy.c */
int __lr_strategy_init(lr_sched *s, char *err, size_t errlen);
void __lr_strategy_thread(lr_sched *s, lr_sthread *t);
void __lr_strategy_step(lr_sched *s, lr_sthread *self);
lr_sthread *__lr_strategy_choose(lr_sched *s, lr_sthread **r, int nr);
void __lr_strategy_ran(lr_sched *s, lr_sthread *chosen);
void __lr_strategy_end(lr_sched *s);
void __lr_strategy_summary(lr_sched *s, char *buf, size_t len);

/* sched_follow.c */
typedef struct lr_follow lr_follow;
int __lr_follow_open(lr_sched *s, char *err, size_t errlen);
void __lr_follow_free(lr_sched *s);
void __lr_follow_note(lr_sched *s, lr_sthread *self, int verb, const char *name, int idx,
  uint64_t detail);
lr_sthread *__lr_follow_choose(lr_sched *s, lr_sthread **r, int nr, const lr_sthread *self);
void __lr_follow_summary(lr_sched *s, char *buf, size_t len);

/* sched_record.c */
int __lr_record_open(lr_sched *s, char *err, size_t errlen);
lr_sthread *__lr_record_choose(lr_sched *s, lr_sthread **r, int nr);
void __lr_record_choice(lr_sched *s, lr_sthread *chosen, char mark, const lr_sthread *self);
lr_sthread *__lr_record_guide(lr_sched *s, lr_sthread **r, int nr, lr_sthread *self);
void __lr_trace_step(lr_sched *s, int tid, const char *verb, const char *name, int idx,
  uint64_t detail);
int __lr_record_end(lr_sched *s);

#endif /* LR_SCHED_INT_H */
