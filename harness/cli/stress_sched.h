/*
 * stress_sched.h -- the stress command's side of the controlled scheduler (stress_sched.c):
 * the --sched knobs checked and their files derived, and --check-determinism's first run.
 * Names: lr_stress_sched_*.
 */
#ifndef LR_STRESS_SCHED_H
#define LR_STRESS_SCHED_H

#include <stdio.h>

#include "options/options.h"

/*
 * lr_stress_sched_prepare --
 *     After lr_options_finish: check the scheduler knobs against the others and fill
 *     o->cfg.sched: a controlled run records its schedule into OUT/schedule-SEED.txt (which the
 *     repro file then names), unless --schedule gives one to replay; its step counts go to
 *     OUT/steps-CONFIG.txt for the next run of the same configuration. Returns 0 or
 *     LR_EXIT_USAGE after a message.
 */
int lr_stress_sched_prepare(lr_options *o);

/*
 * lr_stress_sched_first --
 *     --check-determinism: the first of the two runs, with every step kept in *tracep (the
 *     caller frees it); prints one line and removes the run's database. Returns 0 or an exit
 *     code after a message.
 */
int lr_stress_sched_first(const lr_options *o, lr_sched_trace **tracep);

/* After the second run (rc: lr_stress_finish's): the check's verdict, one line. */
void lr_stress_sched_verdict(FILE *fp, const lr_sched_trace *first, int rc);

#endif /* LR_STRESS_SCHED_H */
