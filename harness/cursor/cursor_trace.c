/*
 * cursor_trace.c -- a cursor run as Chrome trace-event JSON (cursor_trace.h): the tracks, the step
 * clock, and each operation's slices on the sides it ran on.
 *
 * One thread runs the executor, so the state here is the run's: the operation now, whether one of
 * its slices was recorded, and the clock (atomic only because the recorder reads it under its
 * own lock).
 */
#include <errno.h>
#include <stdatomic.h>
#include <string.h>

#include "cursor/cursor_trace.h"

static _Atomic uint64_t __steps; /* the trace's clock: one step per slice */
static uint64_t __index;         /* the operation now (UINT64_MAX: the set-up) */
static char __name[128];         /* its readable form */
static const char *__role;       /* the node's role in the open slice, NULL: not a node's */
static bool __traced;            /* a slice of the operation now was recorded */

static uint64_t
__clock(void)
{
    return (atomic_load_explicit(&__steps, memory_order_relaxed));
}

int
lr_cur_trace_open(const lr_cur_config *cfg)
{
    /* Track ids 0..2 (the stress engine's naming with two threads), named after the sides. */
    lr_trace_status_reset();
    lr_trace_names(2, 0);
    lr_trace_name(LR_CUR_TRACK_ORACLE, "oracle");
    lr_trace_name(LR_CUR_TRACK_NODE(0), "node 0");
    lr_trace_name(LR_CUR_TRACK_NODE(1), "node 1");
    atomic_store_explicit(&__steps, 0, memory_order_relaxed);
    __index = UINT64_MAX;
    snprintf(__name, sizeof(__name), "set-up");
    __role = NULL;
    __traced = false;
    /* The policy is the cluster's default, which the cursor run keeps. */
    if (lr_trace_open(cfg->trace_events != 0 ? cfg->trace_events : LR_TRACE_EVENTS_DEFAULT, __clock,
          LT_POLICY_REJECT) != 0)
        return (ENOMEM);
    lr_trace_thread(LR_TRACE_DRIVER);
    lr_trace_begin("run", __name); /* ended by the first lr_cur_trace_end */
    return (0);
}

void
lr_cur_trace_close(const char *path, lr_cur_result *res)
{
    if (lr_tracer == NULL)
        return;
    lr_trace_counts(&res->trace_kept, &res->trace_dropped);
    res->trace_err = lr_trace_write(path);
    lr_trace_close();
    lr_trace_me = NULL; /* the thread's track named a side of this run only */
    lr_trace_status_reset();
}

void
lr_cur_trace_observe(void *arg, const lt_event *ev)
{
    (void)arg;
    lr_trace_event(ev);
}

void
lr_cur_trace_next_slow(uint64_t i, const lr_cur_op *op)
{
    __index = i;
    lr_cur_op_format(op, __name, sizeof(__name));
    __traced = false;
}

void
lr_cur_trace_begin_slow(int track, const char *role)
{
    atomic_fetch_add_explicit(&__steps, 1, memory_order_relaxed);
    lr_trace_thread(track);
    __role = role;
    __traced = true;
    lr_trace_begin("op", __name);
}

void
lr_cur_trace_end_slow(const char *result)
{
    char args[240] = "";

    if (__index != UINT64_MAX)
        lr_trace_arg_i(args, sizeof(args), "i", (int64_t)__index);
    if (__role != NULL)
        lr_trace_arg(args, sizeof(args), "role", __role);
    lr_trace_arg(args, sizeof(args), "result", result);
    lr_trace_end(args);
}

void
lr_cur_trace_res_slow(int type, const lr_cur_res *r)
{
    char text[512];

    lr_cur_res_format(type, r, text, sizeof(text));
    lr_cur_trace_end_slow(text);
}

void
lr_cur_trace_skipped_slow(void)
{
    char args[64] = "";

    if (__traced)
        return;
    atomic_fetch_add_explicit(&__steps, 1, memory_order_relaxed);
    lr_trace_thread(LR_TRACE_DRIVER);
    lr_trace_arg_i(args, sizeof(args), "i", (int64_t)__index);
    lr_trace_instant("skip", __name, args);
}
