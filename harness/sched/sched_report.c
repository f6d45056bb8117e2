/*
 * sched_report.c -- what the controlled scheduler says about its threads: strategy names, a
 * thread's point and wait as text, the dump of every thread, and stopping a run from inside.
 * The bottom of sched/: it reads the scheduler's state and calls nothing else of it.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "layered.h"
#include "sched/sched_int.h"

_Thread_local lr_sthread *lr_sched_self;

static const char *const __kind_names[] = {"free", "random", "pct", "pos", "urw"};
#define NKINDS ((int)(sizeof(__kind_names) / sizeof(__kind_names[0])))

const char *
lr_sched_kind_name(int kind)
{
    return (kind >= 0 && kind < NKINDS ? __kind_names[kind] : NULL);
}

int
lr_sched_kind_parse(const char *s, int *kindp)
{
    int i;

    for (i = 0; i < NKINDS; i++)
        if (strcmp(s, __kind_names[i]) == 0) {
            *kindp = i;
            return (0);
        }
    return (-1);
}

/* __where -- a thread's point as "verb name@idx". */
const char *
__lr_sched_where(const lr_sthread *t, char *buf, size_t len)
{
    if (t->state == LR_TS_ENDED)
        snprintf(buf, len, "end");
    else if (t->idx >= 0)
        snprintf(buf, len, "%s %s@%d", t->verb, t->point, t->idx);
    else
        snprintf(buf, len, "%s %s", t->verb, t->point);
    return (buf);
}

/* __wait_text -- where a thread is and, if blocked, for what (lk held). */
static void
__wait_text(lr_sched *s, const lr_sthread *t, char *buf, size_t len)
{
    char where[128];
    size_t n;
    int i, j;

    if (t->state == LR_TS_ENDED) {
        snprintf(buf, len, "ended");
        return;
    }
    snprintf(buf, len, "%s %s", t->state == LR_TS_RUNNABLE ? "runnable at" : "blocked:",
      __lr_sched_where(t, where, sizeof(where)));
    if (t->state == LR_TS_BLOCKED &&
      (t->wait == LR_W_LOCK || t->wait == LR_W_RDLOCK || t->wait == LR_W_WRLOCK))
        for (i = 0; i < s->nt; i++)
            for (j = 0; j < s->t[i]->nheld; j++)
                if (s->t[i] != t && s->t[i]->held[j].obj == t->obj) {
                    n = strlen(buf);
                    snprintf(buf + n, len - n, ", held by thread %d (%s)", s->t[i]->id,
                      s->t[i]->name);
                }
    if (t->state == LR_TS_BLOCKED && t->wait == LR_W_GRACE)
        for (i = 0; i < t->ngsnap; i++) {
            n = strlen(buf);
            snprintf(buf + n, len - n, "%s thread %d%s", i == 0 ? " (readers:" : ",",
              t->gsnap[i].t->id, i == t->ngsnap - 1 ? ")" : "");
        }
    if (t->state == LR_TS_BLOCKED && t->wait == LR_W_JOIN) {
        n = strlen(buf);
        snprintf(buf + n, len - n, " (thread %d)", t->target->id);
    }
    for (i = 0; i < t->nheld; i++) {
        n = strlen(buf);
        snprintf(buf + n, len - n, "%s%s", i == 0 ? "; holds " : ", ", t->held[i].name);
        if (t->held[i].idx >= 0) {
            n = strlen(buf);
            snprintf(buf + n, len - n, "@%d", t->held[i].idx);
        }
    }
}

/* Print every thread's state (lk held): for divergence reports. */
void
__lr_sched_dump(lr_sched *s, const char *title)
{
    char what[512];
    int i;

    fprintf(stderr, "%s\n", title);
    for (i = 0; i < s->nt; i++) {
        __wait_text(s, s->t[i], what, sizeof(what));
        fprintf(stderr, "  thread %d (%s): %s\n", s->t[i]->id, s->t[i]->name, what);
    }
}

/*
 * __lr_sched_fail --
 *     Stop the run from inside (lk held): the schedule so far stays on disk for a replay; the
 *     other threads stay parked until the process exits.
 */
void
__lr_sched_fail(lr_sched *s, int code)
{
    if (s->rec != NULL)
        (void)fflush(s->rec);
    if (s->cfg.record != NULL)
        fprintf(stderr, "layerace: the schedule so far is in %s\n", s->cfg.record);
    (void)fflush(stdout);
    (void)fflush(stderr);
    _exit(code);
}
