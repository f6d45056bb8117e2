/*
 * explore_knobs.c -- `layerace explore`'s knob table (explore_knobs.h rows in the one knob
 * machinery): the bottom of the command, read by the run loop (explore.c) and the report
 * (explore_report.c).
 */
#include <stddef.h>

#include "cli/explore_int.h"

static const lr_knob_name __sched_names[] = {
  {"random", 1u << LR_SCHED_RANDOM},
  {"pct", 1u << LR_SCHED_PCT},
  {"pos", 1u << LR_SCHED_POS},
  {"urw", 1u << LR_SCHED_URW},
  {"all",
    (1u << LR_SCHED_RANDOM) | (1u << LR_SCHED_PCT) | (1u << LR_SCHED_POS) | (1u << LR_SCHED_URW)},
  {NULL, 0},
};

/* assert is left out: it aborts the process, which is its purpose and ends any exploration. */
static const lr_knob_name __policy_names[] = {
  {"reject", 1u << LT_POLICY_REJECT},
  {"wait", 1u << LT_POLICY_WAIT},
  {"off", 1u << LT_POLICY_OFF},
  {"upstream", 1u << LT_POLICY_UPSTREAM},
  {"boundary", 1u << LT_POLICY_BOUNDARY},
  {NULL, 0},
};

#define KNOB_ENTRY(...) LR_KNOB_ENTRY(lr_exp_options, __VA_ARGS__)
#define KNOB_CHECK(...) LR_KNOB_CHECK(lr_exp_options, __VA_ARGS__)
static const lr_knob __knobs[LR_EXP_KNOB_COUNT] = {LR_EXP_KNOBS(KNOB_ENTRY)};
LR_EXP_KNOBS(KNOB_CHECK)
#undef KNOB_ENTRY
#undef KNOB_CHECK

/* __layer_done -- --duration without --runs in the same layer means no run limit. */
static void
__layer_done(void *arg, const bool *layer)
{
    lr_exp_options *e = arg;

    if (layer[LR_EXP_KNOB_duration] && !layer[LR_EXP_KNOB_runs])
        e->runs = 0;
}

static const lr_knob_table __table = {"explore", __knobs, LR_EXP_KNOB_COUNT,
  offsetof(lr_exp_options, given), __layer_done};

const lr_knob_table *
lr_exp_table(void)
{
    return (&__table);
}
