/*
 * trace.h -- what a run did, thread by thread: a recorder of slices (operations, transition
 * phases, waits), instants (hook decisions, scheduling points, violations) and flows (a transition
 * to the schema operations it rejected or delayed), written as Chrome trace-event JSON (Perfetto
 * and chrome://tracing open it) or as a swimlane; and each harness thread's status (operation,
 * last point, wait, held locks) for the free-mode watchdog.
 *
 * One recorder at a time, lr_tracer (NULL: off, every emission is one branch). Tracks: one per
 * harness thread (the stress engine's ids: 0 the controller, then the workers), one for the
 * driver (id -2) and one for library threads (-1). Each track keeps its last cap events (a ring)
 * and a stack of open slices; a slice becomes a complete event when it ends, so slices on a track
 * nest by construction. Timestamps: the controlled scheduler's step (x100, plus the order within
 * the step) in a controlled run, so two traces of one schedule are identical; wall microseconds
 * since the recorder opened in a free run.
 *
 * Leaf module: calls common/ and the library's name functions; the scheduler, the stress engine
 * and the cursor stress (cursor/cursor_trace.c) call it. Names: lr_trace_*.
 */
#ifndef LR_TRACE_H
#define LR_TRACE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "layered.h"

#define LR_TRACE_EVENTS_DEFAULT 10000 /* events kept per track */
#define LR_TRACE_DRIVER (-2)          /* the thread that sets the run up and ends it */
#define LR_TRACE_LIBRARY (-1)         /* threads the harness did not name */

typedef struct lr_trace lr_trace;
typedef struct lr_tstatus lr_tstatus;

/* Progress: counts every status change of a named thread but a daemon's (the watchdog compares
 * it). */
extern _Atomic uint64_t lr_trace_beat;
extern _Thread_local bool lr_trace_is_daemon;
#define LR_TRACE_BEAT()                                                         \
    do {                                                                        \
        if (!lr_trace_is_daemon)                                                \
            atomic_fetch_add_explicit(&lr_trace_beat, 1, memory_order_relaxed); \
    } while (0)
/* The calling thread loops for the whole run (a node's maintenance): its work is no progress. */
void lr_trace_daemon(void);

/* The calling thread's status slot (lr_trace_thread), NULL for threads the harness did not name. */
extern _Thread_local lr_tstatus *lr_trace_me;

/* The recorder of the run now (NULL: none). Set by lr_trace_open, cleared by lr_trace_close. */
extern lr_trace *lr_tracer;

/* The run's shape: tracks and thread status are named as the stress engine names its threads
 * (0 the controller, 1..threads schema-ID, then data-ID). Before the run's threads start. */
void lr_trace_names(int threads, int data_threads);
/* Another name for thread id's track (after lr_trace_names: a scenario's "script", "t1"). */
void lr_trace_name(int id, const char *name);

/*
 * lr_trace_open --
 *     Start recording (cap events per track; step: a step clock, the controlled scheduler's or
 *     the cursor stress's operation counter, NULL for wall time in a free run; policy: the
 *     hook's, shown with its decisions). Returns 0 or ENOMEM. Call
 *     after lr_trace_names and before the run's threads start.
 */
int lr_trace_open(uint64_t cap, uint64_t (*step)(void), lt_policy policy);
/* Stop recording and free the recorder (after the run's threads ended). */
void lr_trace_close(void);
/* Write the recorded events as Chrome trace-event JSON. Returns 0 or an errno. */
int lr_trace_write(const char *path);
/* Print the run as a swimlane: one column per thread, one row per event, in order. */
void lr_trace_swimlane(FILE *fp);
/* A controlled run's loop rounds per thread id (its op.* points), v[0..max). Returns the count. */
int lr_trace_rounds(uint32_t *v, int max);
/* Events recorded and dropped (ring overflow), over every track. */
void lr_trace_counts(uint64_t *kept, uint64_t *dropped);

/* Name the calling thread's track (the stress engine's thread id). */
void lr_trace_thread(int id);

/* Append "key":"value" (value escaped; cut to fit, ending in "...") or "key":v to buf's JSON
 * members: the args of lr_trace_end and lr_trace_instant. */
void lr_trace_arg(char *buf, size_t len, const char *key, const char *value);
void lr_trace_arg_i(char *buf, size_t len, const char *key, int64_t v);

/* Emissions: no-ops without a recorder. Texts are copied (truncated to fit). */
void lr_trace_begin_slow(const char *cat, const char *name);
void lr_trace_end_slow(const char *args);
void lr_trace_instant_slow(const char *cat, const char *name, const char *args);
void lr_trace_point_slow(const char *verb, const char *name, int idx);
void lr_trace_event_slow(const lt_event *ev);
void lr_trace_note_slow(bool request, lt_op op, int node, const char *table, int rc);
void lr_trace_transition_slow(bool begin, bool up, int node, int rc);
void lr_trace_violation_slow(int tid, const char *text);

static inline void
lr_trace_begin(const char *cat, const char *name)
{
    if (__builtin_expect(lr_tracer != NULL, 0))
        lr_trace_begin_slow(cat, name);
}

static inline void
lr_trace_end(const char *args)
{
    if (__builtin_expect(lr_tracer != NULL, 0))
        lr_trace_end_slow(args);
}

static inline void
lr_trace_instant(const char *cat, const char *name, const char *args)
{
    if (__builtin_expect(lr_tracer != NULL, 0))
        lr_trace_instant_slow(cat, name, args);
}

/* A scheduling point (controlled: an instant) or a yield point (free: the status only). */
static inline void
lr_trace_point(const char *verb, const char *name, int idx)
{
    if (__builtin_expect(lr_tracer != NULL || lr_trace_me != NULL, 0))
        lr_trace_point_slow(verb, name, idx);
}

/* A library event (from the history's observer). */
static inline void
lr_trace_event(const lt_event *ev)
{
    if (__builtin_expect(lr_tracer != NULL, 0))
        lr_trace_event_slow(ev);
}

/* A worker's request (request) or its result: one operation slice. */
static inline void
lr_trace_note(bool request, lt_op op, int node, const char *table, int rc)
{
    if (__builtin_expect(lr_tracer != NULL || lr_trace_me != NULL, 0))
        lr_trace_note_slow(request, op, node, table, rc);
}

/* A step-up or step-down on node begins or ends (rc at the end): the transition's slice. */
static inline void
lr_trace_transition(bool begin, bool up, int node, int rc)
{
    if (__builtin_expect(lr_tracer != NULL || lr_trace_me != NULL, 0))
        lr_trace_transition_slow(begin, up, node, rc);
}

/* A violation, on thread tid's track (-1: the calling thread's). */
static inline void
lr_trace_violation(int tid, const char *text)
{
    if (__builtin_expect(lr_tracer != NULL, 0))
        lr_trace_violation_slow(tid, text);
}

/* The controlled scheduler: tid reached a point; decision: what the scheduler did next. */
void lr_trace_sched_step(int tid, const char *verb, const char *name, int idx,
  const char *decision);
/* The calling thread blocks (begin) on what@idx, or resumes: a wait slice ("grace": a phase). */
void lr_trace_block_slow(bool begin, const char *what, int idx);

/* Whether a violation with this text was recorded already (an online one). */
bool lr_trace_seen(const char *text);

/* Library wait hooks (lt_wait_hooks): a free-mode wait as a slice and as the thread's status. */
void lr_trace_before_block(void *arg, const char *what, int node);
void lr_trace_after_block(void *arg, const char *what, int node);

/* ---------------------------------------------------------------------------------------------
 * Thread status, for the free-mode watchdog: kept whether or not a recorder is open.
 */
/* Print every named thread's operation, last point, wait and held locks (racy reads: for a run
 * that made no progress). */
void lr_trace_status_dump(FILE *fp);
/* Forget every thread's status (between runs of one process). */
void lr_trace_status_reset(void);

#endif /* LR_TRACE_H */
