/*
 * prior.c -- the counters of a --crash-every run across its lives. Each life notes its totals to
 * the parent once a second ("c" and LR_PRIOR_N numbers); the parent hands the last it saw to the
 * next life (lr_config.crash_prior), whose report adds them: a kill loses at most a second's
 * counts, never a whole life's.
 */
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include "stress/engine_int.h"

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
lr_stress_note_counts(lr_run *run)
{
    lr_counters c;
    char line[LR_PRIOR_N * 21 + 4];
    size_t off;
    int i;

    if (run->cfg.durlog == NULL || run->cfg.crash_fd < 0)
        return;
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
