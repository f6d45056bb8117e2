/*
 * counters.c -- the run's counters, and the notes a --crash-every life writes to its parent: the
 * counters of the run across its lives among them. Each life notes its totals once a second ("c"
 * and LR_PRIOR_N numbers); the parent hands the last it saw to the next life
 * (lr_config.crash_prior), whose report adds them: a kill loses at most a second's counts, never
 * a whole life's. Below the engine's other files: it calls the history and the library only.
 */
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "stress/engine_int.h"

void
lr_stress_progress(lr_run *run, lr_counters *c)
{
    lt_hook_stats hs;
    lt_wtfault_stats ws;

    memset(c, 0, sizeof(*c));
    c->ops = atomic_load(&run->ops);
    c->schema_ops = atomic_load(&run->schema_ops);
    c->schema_ok = atomic_load(&run->schema_ok);
    c->data_ops = atomic_load(&run->data_ops);
    c->data_ok = atomic_load(&run->data_ok);
    c->step_ups = atomic_load(&run->step_ups);
    c->step_downs = atomic_load(&run->step_downs);
    c->transitions = c->step_ups + c->step_downs;
    c->checkpoints = atomic_load(&run->checkpoints);
    c->bg_checkpoints = atomic_load(&run->bg_checkpoints);
    c->pickups = atomic_load(&run->pickups);
    c->gcs = atomic_load(&run->gcs);
    c->history_reads = atomic_load(&run->history_reads);
    c->retries = atomic_load(&run->retries);
    c->redelivered = atomic_load(&run->redelivered);
    c->lagged = atomic_load(&run->lagged);
    c->lag_late = atomic_load(&run->lag_late);
    c->lag_covered = atomic_load(&run->lag_covered);
    c->checks = atomic_load(&run->checks);
    c->wtf_handled = atomic_load(&run->wtf_handled);
    if (lt_wtfault_get_stats(run->cl, &ws) == 0)
        memcpy(c->wtf_injected, ws.injected, sizeof(c->wtf_injected));
    c->restarts = atomic_load(&run->restarts);
    c->replayed = atomic_load(&run->replayed);
    c->kills = run->cfg.crash_kills;
    c->panics = run->cfg.crash_panics;
    c->rows_checked = run->cfg.crash_rows + atomic_load(&run->rows_checked);
    if (lt_hook_get_stats(run->cl, -1, &hs) == 0) {
        c->rejected = hs.rejected;
        c->waited = hs.waited;
        c->timed_out = hs.timed_out;
        c->overlapped = hs.overlapped;
        c->hook_admitted = hs.admitted;
        c->hook_transitions = hs.transitions;
        c->hook_wait_ns = hs.wait_ns;
    }
    (void)pthread_mutex_lock(&run->vlock);
    c->violations = (uint64_t)run->online.nviolations;
    if (run->first_violation_ns != 0)
        c->first_violation_ms = (run->first_violation_ns - run->start_ns) / 1000000u;
    (void)pthread_mutex_unlock(&run->vlock);
    if (atomic_load(&run->first_drain_drop_ns) != 0)
        c->first_drain_drop_ms =
          (atomic_load(&run->first_drain_drop_ns) - run->start_ns) / 1000000u;
    c->events = lr_history_count(run->h);
    c->history_windows = run->cut_windows;
    c->elapsed_ms = (lr_now_ns() - run->start_ns) / 1000000u;
}

void
lr_crash_note(const lr_run *run, const char *line)
{
    ssize_t n;

    /* Non-blocking: a full pipe drops the note (the parent reads it all the time). */
    if (run->cfg.durlog == NULL || run->cfg.crash_fd < 0)
        return;
    n = write(run->cfg.crash_fd, line, strlen(line));
    (void)n;
}

/* Where each LR_PRIOR_* below LR_PRIOR_INJECTED lives in lr_counters. */
static const size_t prior_off[LR_PRIOR_INJECTED] = {
  [LR_PRIOR_OPS] = offsetof(lr_counters, ops),
  [LR_PRIOR_SCHEMA_OPS] = offsetof(lr_counters, schema_ops),
  [LR_PRIOR_SCHEMA_OK] = offsetof(lr_counters, schema_ok),
  [LR_PRIOR_DATA_OPS] = offsetof(lr_counters, data_ops),
  [LR_PRIOR_DATA_OK] = offsetof(lr_counters, data_ok),
  [LR_PRIOR_STEP_UPS] = offsetof(lr_counters, step_ups),
  [LR_PRIOR_STEP_DOWNS] = offsetof(lr_counters, step_downs),
  [LR_PRIOR_CHECKPOINTS] = offsetof(lr_counters, checkpoints),
  [LR_PRIOR_PICKUPS] = offsetof(lr_counters, pickups),
  [LR_PRIOR_GCS] = offsetof(lr_counters, gcs),
  [LR_PRIOR_REJECTED] = offsetof(lr_counters, rejected),
  [LR_PRIOR_WAITED] = offsetof(lr_counters, waited),
  [LR_PRIOR_RESTARTS] = offsetof(lr_counters, restarts),
  [LR_PRIOR_REPLAYED] = offsetof(lr_counters, replayed),
  [LR_PRIOR_HANDLED] = offsetof(lr_counters, wtf_handled),
  [LR_PRIOR_ELAPSED_MS] = offsetof(lr_counters, elapsed_ms),
  [LR_PRIOR_TIMED_OUT] = offsetof(lr_counters, timed_out),
  [LR_PRIOR_OVERLAPPED] = offsetof(lr_counters, overlapped),
  [LR_PRIOR_RETRIES] = offsetof(lr_counters, retries),
  [LR_PRIOR_HISTORY_READS] = offsetof(lr_counters, history_reads),
  [LR_PRIOR_HISTORY_WINDOWS] = offsetof(lr_counters, history_windows),
  [LR_PRIOR_CHECKS] = offsetof(lr_counters, checks),
  [LR_PRIOR_EVENTS] = offsetof(lr_counters, events),
  [LR_PRIOR_HOOK_ADMITTED] = offsetof(lr_counters, hook_admitted),
  [LR_PRIOR_HOOK_TRANSITIONS] = offsetof(lr_counters, hook_transitions),
  [LR_PRIOR_HOOK_WAIT_NS] = offsetof(lr_counters, hook_wait_ns),
  [LR_PRIOR_REDELIVERED] = offsetof(lr_counters, redelivered),
  [LR_PRIOR_LAGGED] = offsetof(lr_counters, lagged),
  [LR_PRIOR_LAG_LATE] = offsetof(lr_counters, lag_late),
  [LR_PRIOR_LAG_COVERED] = offsetof(lr_counters, lag_covered),
  [LR_PRIOR_BG_CHECKPOINTS] = offsetof(lr_counters, bg_checkpoints),
};

static uint64_t *
__field(lr_counters *c, int i)
{
    return (i < LR_PRIOR_INJECTED ? (uint64_t *)(void *)((char *)c + prior_off[i]) :
                                    &c->wtf_injected[i - LR_PRIOR_INJECTED]);
}

void
lr_counters_add_prior(lr_counters *c, const uint64_t *prior)
{
    int i;

    for (i = 0; i < LR_PRIOR_N; i++)
        *__field(c, i) += prior[i];
    c->transitions = c->step_ups + c->step_downs;
}

void
lr_hook_add_prior(lt_hook_stats *h, const uint64_t *prior)
{
    h->admitted += prior[LR_PRIOR_HOOK_ADMITTED];
    h->rejected += prior[LR_PRIOR_REJECTED];
    h->waited += prior[LR_PRIOR_WAITED];
    h->timed_out += prior[LR_PRIOR_TIMED_OUT];
    h->overlapped += prior[LR_PRIOR_OVERLAPPED];
    h->transitions += prior[LR_PRIOR_HOOK_TRANSITIONS];
    h->wait_ns += prior[LR_PRIOR_HOOK_WAIT_NS];
}

void
lr_stress_note_counts(lr_run *run, const lr_counters *now)
{
    lr_counters c;
    char line[LR_PRIOR_N * 21 + 4];
    size_t off;
    int i;

    if (run->cfg.durlog == NULL || run->cfg.crash_fd < 0)
        return;
    if (now != NULL)
        c = *now;
    else
        lr_stress_progress(run, &c);
    lr_counters_add_prior(&c, run->cfg.crash_prior);
    off = (size_t)snprintf(line, sizeof(line), "c");
    for (i = 0; i < LR_PRIOR_N && off < sizeof(line); i++)
        off += (size_t)snprintf(line + off, sizeof(line) - off, " %" PRIu64, *__field(&c, i));
    if (off < sizeof(line) - 1) {
        line[off] = '\n';
        line[off + 1] = '\0';
        lr_crash_note(run, line); /* one write, below PIPE_BUF: the parent reads it whole */
    }
}

/* The parent's side: a "c" note's numbers into prior; false if the line is not one. */
bool
lr_counts_parse(const char *line, uint64_t *prior)
{
    uint64_t v[LR_PRIOR_N];
    char *end;
    int i;

    if (line[0] != 'c')
        return (false);
    for (i = 0, line++; i < LR_PRIOR_N; i++, line = end) {
        v[i] = strtoull(line, &end, 10);
        if (end == line)
            return (false);
    }
    for (i = 0; i < LR_PRIOR_N; i++)
        prior[i] = v[i];
    return (true);
}
