/*
 * trace_int.h -- the recorder's private state, shared by trace.c (recording, emissions, thread
 * status) and trace_out.c (the JSON writer and the swimlane).
 *
 * trace_status.c keeps the names and each thread's status (struct lr_tstatus).
 *
 * Protection: a track's ring, open stack and counters are protected by its lk (a thread writes
 * its own track, and a flow's start goes on the transition's track). lr_trace.lk protects the
 * controlled clock (last step, order within it) and tr_track. The recorder itself is created
 * before the run's threads and freed after they ended.
 */
#ifndef LR_TRACE_INT_H
#define LR_TRACE_INT_H

#include <pthread.h>

#include "trace/trace.h"

#define LR_TRACE_OPEN_MAX 16 /* open slices on one track */

/* One event: a complete slice (X), an instant (i), a flow's start (s) or end (f). */
typedef struct {
    uint64_t ts, dur; /* microseconds (controlled: step x 1000 + order) */
    uint64_t flow;    /* flow id (s, f) */
    char ph;
    char cat[11];
    char name[80];
    char args[240]; /* the members of a JSON object, already escaped */
} lr_tev;

typedef struct {
    pthread_mutex_t lk;
    int id; /* the stress engine's thread id, LR_TRACE_DRIVER or LR_TRACE_LIBRARY */
    char name[32];
    lr_tev *ring;
    uint64_t n; /* events written; the ring keeps the last cap */
    struct {
        uint64_t ts;
        char cat[11];
        char name[80];
    } open[LR_TRACE_OPEN_MAX];
    int nopen;
    uint64_t phase_ts; /* a transition's current phase began (drain per table) */
    uint32_t rounds;   /* scheduling points at op.* (loop rounds), not subject to the ring */
} lr_track;

struct lr_trace {
    pthread_mutex_t lk;
    uint64_t cap; /* events per track */
    uint64_t (*step)(void);
    uint64_t t0_ns;
    uint64_t last_step, order;
    lt_policy policy;
    lr_track *tracks; /* [0] driver, [1] library, [2 + id] harness thread id */
    int ntracks;
    int tr_track[LT_NODES_MAX]; /* the track of the transition running on a node, -1: none */
    uint64_t flows;
};

/*
 * A thread's status: written by the thread itself, read by the watchdog only when the run made no
 * progress for a long time (the reads are racy on purpose: a report of a stuck process).
 */
struct lr_tstatus {
    bool used;
    int id;
    const char *verb, *point; /* its last scheduling or yield point */
    int idx;
    const char *op; /* its operation now, NULL between two */
    const char *table;
    int node;
    const char *blocked; /* the library wait it is in, NULL: none */
    int bnode;
    const void *held; /* lt_held_state */
};

/* Thread names as the stress engine gives them (id 0 the controller), or as lr_trace_name set. */
void __lr_trace_thread_name(int id, char *buf, size_t len);
/* The harness threads the tracks are for (schema and data workers; the controller besides). */
int __lr_trace_nthreads(void);

#endif /* LR_TRACE_INT_H */
