/*
 * trace_status.c -- thread names and each harness thread's status (trace.h), kept whether or not
 * a recorder is open: the free-mode watchdog prints it.
 */
#include <string.h>

#include "trace/trace_int.h"

_Thread_local lr_tstatus *lr_trace_me;
_Atomic uint64_t lr_trace_beat;
_Thread_local bool lr_trace_is_daemon;

void
lr_trace_daemon(void)
{
    lr_trace_is_daemon = true;
}

#define LR_STATUS_MAX 400 /* thread ids -2 .. 397 */
static lr_tstatus __status[LR_STATUS_MAX];
/* Set before the run's threads start, read by them. */
static int __threads, __data_threads;

int
__lr_trace_nthreads(void)
{
    return (__threads + __data_threads);
}

/* Names given by lr_trace_name, by id + 2 ("": the stress engine's naming). */
static char __given[LR_STATUS_MAX][32];

void
lr_trace_names(int threads, int data_threads)
{
    __threads = threads;
    __data_threads = data_threads;
    memset(__given, 0, sizeof(__given));
}

void
lr_trace_name(int id, const char *name)
{
    if (id >= LR_TRACE_DRIVER && id + 2 < LR_STATUS_MAX)
        snprintf(__given[id + 2], sizeof(__given[0]), "%s", name);
}

void
__lr_trace_thread_name(int id, char *buf, size_t len)
{
    if (id >= LR_TRACE_DRIVER && id + 2 < LR_STATUS_MAX && __given[id + 2][0] != '\0')
        snprintf(buf, len, "%s", __given[id + 2]);
    else if (id == LR_TRACE_DRIVER)
        snprintf(buf, len, "driver");
    else if (id == LR_TRACE_LIBRARY)
        snprintf(buf, len, "library threads");
    else if (id == 0)
        snprintf(buf, len, "controller");
    else
        snprintf(buf, len, "%s-%d", id <= __threads ? "schema" : "data", id);
}

void
lr_trace_thread(int id)
{
    lr_tstatus *st;

    if (id < LR_TRACE_DRIVER || id + 2 >= LR_STATUS_MAX)
        return;
    st = &__status[id + 2];
    memset(st, 0, sizeof(*st));
    st->id = id;
    st->held = lt_held_state();
    st->used = true;
    lr_trace_me = st;
}

void
lr_trace_status_reset(void)
{
    memset(__status, 0, sizeof(__status));
}

/* Not instrumented by ThreadSanitizer: the reads are racy by design (see lr_tstatus). */
__attribute__((no_sanitize_thread)) void
lr_trace_status_dump(FILE *fp)
{
    const lr_tstatus *st;
    char name[32], held[256];
    int i;

    for (i = 0; i < LR_STATUS_MAX; i++) {
        st = &__status[i];
        if (!st->used || st->id == LR_TRACE_DRIVER)
            continue;
        __lr_trace_thread_name(st->id, name, sizeof(name));
        fprintf(fp, "  thread %d (%s): ", st->id, name);
        if (st->op != NULL)
            fprintf(fp, "in %s %s@%d", st->op, st->table != NULL ? st->table : "-", st->node);
        else
            fprintf(fp, "between operations");
        if (st->point != NULL)
            fprintf(fp, "; last point %s %s@%d", st->verb, st->point, st->idx);
        if (st->blocked != NULL)
            fprintf(fp, "; waiting: %s@%d", st->blocked, st->bnode);
        lt_held_names(st->held, held, sizeof(held));
        fprintf(fp, "; holds %s\n", held[0] != '\0' ? held : "no ranked lock");
    }
}
