/*
 * history.h -- the run's history: every library event (through the cluster's observer) and every
 * worker's request and result, with one global sequence number.
 *
 * Each thread appends to its own buffer (no lock on the hot path); the buffers are merged and
 * sorted by sequence number after the run. The sequence number is taken inside the observer,
 * that is at the library's event point: an event the library emits inside a read-side section
 * (a schema operation's effect) is numbered before the grace period that follows it.
 */
#ifndef LR_HISTORY_H
#define LR_HISTORY_H

#include <stdint.h>
#include <stddef.h>

#include "layered.h"

/* Record kinds beyond the library's event types. */
#define LR_REC_REQUEST 100 /* a worker asks for an operation */
#define LR_REC_RESULT 101  /* and gets this result */

#define LR_TABLE_NAME 24

typedef struct {
    uint64_t seq;
    uint64_t id; /* schema op id, checkpoint id */
    uint64_t ts;
    uint64_t count;
    uint32_t generation;
    int32_t rc;
    int16_t thread; /* the harness thread that caused it (-1: unknown) */
    uint8_t kind;   /* lt_event_type or LR_REC_* */
    uint8_t op;     /* lt_op */
    int8_t node;
    uint8_t role;
    uint8_t injected; /* the event's rc is an error the harness injected (--wt-faults) */
    char table[LR_TABLE_NAME];
} lr_rec;

typedef struct lr_history lr_history;

lr_history *lr_history_new(void);
void lr_history_free(lr_history *h);
/* Name the calling thread (its id appears in its records). */
void lr_history_thread(int id);
int lr_history_thread_id(void);
/* The observer to install in the cluster configuration (arg: the history). */
void lr_history_observe(void *arg, const lt_event *ev);
/* A worker's own record. */
void lr_history_note(lr_history *h, int kind, lt_op op, int node, const char *table, int rc,
  uint64_t id);
uint64_t lr_history_count(lr_history *h);
/* The sequence number of the calling thread's last library event. */
uint64_t lr_history_last_seq(void);
/* All records sorted by sequence number; the caller frees *recsp. Quiescent threads only. */
int lr_history_collect(lr_history *h, lr_rec **recsp, size_t *np);
/* The same, and the history is emptied (sequence numbers go on): a long run's window. */
int lr_history_cut(lr_history *h, lr_rec **recsp, size_t *np);

#endif /* LR_HISTORY_H */
