/*
 * cursor_trace.h -- a cursor run as Chrome trace-event JSON (lr_cur_config.trace), through the
 * recorder of trace/trace.h.
 *
 * One track per side: "oracle", "node 0" and "node 1" (the executor's thread switches to a side's
 * track before running that side's part), each operation a slice there named by its readable
 * form, its index, result and the node's role in the slice's arguments; transactions, the second
 * session's operations and the injections as slices on the driver track, with the library's
 * events (an observer installed on the cluster only while tracing) inside the slice that caused
 * them; a divergence as a violation instant on the diverging side's track (an injection's or a
 * transaction's on the driver's). The clock is a step counter that advances with each slice, so
 * two traces of one seed are byte-identical. Each track keeps its last cfg->trace_events events.
 *
 * Without a recorder every call here is one branch. Names: lr_cur_trace_*.
 */
#ifndef LR_CURSOR_TRACE_H
#define LR_CURSOR_TRACE_H

#include "cursor/cursor_int.h"
#include "trace/trace.h"

#define LR_CUR_TRACK_ORACLE 0          /* the oracle's track id */
#define LR_CUR_TRACK_NODE(i) (1 + (i)) /* node i's */

/* Name the tracks and start recording (cfg->trace_events per track). 0 or ENOMEM. */
int lr_cur_trace_open(const lr_cur_config *cfg);
/* Write the recording to path, count its events into res and stop recording. */
void lr_cur_trace_close(const char *path, lr_cur_result *res);
/* The cluster's observer while tracing: a library event on the current track. */
void lr_cur_trace_observe(void *arg, const lt_event *ev);

void lr_cur_trace_next_slow(uint64_t i, const lr_cur_op *op);
void lr_cur_trace_begin_slow(int track, const char *role);
void lr_cur_trace_end_slow(const char *result);
void lr_cur_trace_res_slow(int type, const lr_cur_res *r);
void lr_cur_trace_skipped_slow(void);

/* Operation i (op) comes next: what the slices below are named after. */
static inline void
lr_cur_trace_next(uint64_t i, const lr_cur_op *op)
{
    if (__builtin_expect(lr_tracer != NULL, 0))
        lr_cur_trace_next_slow(i, op);
}

/* The operation's part on track (a side, or LR_TRACE_DRIVER) begins; role: a node's, or NULL. */
static inline void
lr_cur_trace_begin(int track, const char *role)
{
    if (__builtin_expect(lr_tracer != NULL, 0))
        lr_cur_trace_begin_slow(track, role);
}

/* That part ends with a result as text ... */
static inline void
lr_cur_trace_end(const char *result)
{
    if (__builtin_expect(lr_tracer != NULL, 0))
        lr_cur_trace_end_slow(result);
}

/* ... or with a side's result of a cursor operation. */
static inline void
lr_cur_trace_res(int type, const lr_cur_res *r)
{
    if (__builtin_expect(lr_tracer != NULL, 0))
        lr_cur_trace_res_slow(type, r);
}

/* The operation did not apply (skipped on every side): an instant on the driver track, unless one
 * of its slices says so already. */
static inline void
lr_cur_trace_skipped(void)
{
    if (__builtin_expect(lr_tracer != NULL, 0))
        lr_cur_trace_skipped_slow();
}

/* A divergence, on track's track. */
static inline void
lr_cur_trace_divergence(int track, const char *text)
{
    lr_trace_violation(track, text);
}

#endif /* LR_CURSOR_TRACE_H */
