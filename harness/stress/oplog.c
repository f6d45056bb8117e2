/*
 * oplog.c -- the operation log of a run with restarts: per table, every committed write (at its
 * commit timestamp) and every logical schema operation (at a stamp it takes as it starts, under
 * the name's lock, so a table's records are in timestamp order). A restarted node has lost what
 * no checkpoint holds; the restarter replays the records above the checkpoint it came back at
 * (replay.c). A checkpoint's timestamp is below every logical operation still in flight
 * (lr_safe_ts), so a record at or below it is an operation that completed before the checkpoint;
 * and no checkpoint holds a create or drop stamped above its timestamp (lr_checkpoint_fenced).
 * Each table's log is under its name's lock.
 */
#include <stdlib.h>
#include <string.h>

#include "stress/engine_int.h"

struct lr_oplog {
    lr_logrec *recs;
    size_t n, cap;
    bool exists; /* after the last logical create or drop */
};

int
lr_oplog_new(lr_run *run)
{
    run->oplog = calloc((size_t)run->ntables, sizeof(*run->oplog));
    return (run->oplog == NULL ? -1 : 0);
}

void
lr_oplog_free(lr_run *run)
{
    int t;

    for (t = 0; run->oplog != NULL && t < run->ntables; t++)
        free(run->oplog[t].recs);
    free(run->oplog);
    run->oplog = NULL;
}

void
lr_oplog_add(lr_run *run, int t, lr_log_kind kind, uint64_t ts, const char *key, const char *value)
{
    struct lr_oplog *log;
    lr_logrec *r;
    size_t cap;

    if (run->oplog == NULL)
        return;
    lr_durlog_append(run, (int)kind, t, ts, key, value); /* durable before acknowledged */
    log = &run->oplog[t];
    if (log->n == log->cap) {
        cap = log->cap == 0 ? 256 : log->cap * 2;
        if ((r = realloc(log->recs, cap * sizeof(*r))) == NULL) {
            lr_online_violation(run, "harness", -1, run->names[t], "operation log: out of memory");
            return;
        }
        log->recs = r;
        log->cap = cap;
    }
    r = &log->recs[log->n++];
    memset(r, 0, sizeof(*r));
    r->ts = ts;
    r->kind = kind;
    if (key != NULL)
        (void)strncpy(r->key, key, sizeof(r->key) - 1);
    if (value != NULL)
        (void)strncpy(r->value, value, sizeof(r->value) - 1);
    if (kind == LR_LOG_CREATE || kind == LR_LOG_DROP)
        log->exists = kind == LR_LOG_CREATE;
}

size_t
lr_oplog_above(lr_run *run, int t, uint64_t ts, const lr_logrec **recsp)
{
    struct lr_oplog *log = &run->oplog[t];
    lr_logrec *r;
    size_t i, cap;

    for (i = 0; i < log->n && log->recs[i].ts <= ts; i++)
        ;
    if (i > 0) {
        memmove(log->recs, log->recs + i, (log->n - i) * sizeof(*log->recs));
        log->n -= i;
    }
    /* Give back what a long log left: a recovery loads the whole durable log here first. */
    if (log->cap > 4096 && log->n < log->cap / 4) {
        cap = log->n * 2 > 256 ? log->n * 2 : 256;
        if ((r = realloc(log->recs, cap * sizeof(*r))) != NULL) {
            log->recs = r;
            log->cap = cap;
        }
    }
    *recsp = log->recs;
    return (log->n);
}

void
lr_oplog_note_schema(lr_run *run, int t, lr_log_kind kind)
{
    if (run->oplog != NULL && (kind == LR_LOG_CREATE || kind == LR_LOG_DROP))
        run->oplog[t].exists = kind == LR_LOG_CREATE;
}

size_t
lr_oplog_records(lr_run *run, int t, const lr_logrec **recsp)
{
    *recsp = run->oplog[t].recs;
    return (run->oplog[t].n);
}

bool
lr_oplog_exists(lr_run *run, int t)
{
    return (run->oplog[t].exists);
}
