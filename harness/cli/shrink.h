/*
 * shrink.h -- shrinking a failing controlled stress run, and the trace of a run (the recorder's
 * set-up and output for the commands that run the stress engine).
 */
#ifndef LR_SHRINK_H
#define LR_SHRINK_H

#include "options/options.h"
#include "stress/engine.h"

/*
 * lr_shrink --
 *     o and res: a controlled run that failed with violation res->v[vi], its schedule recorded
 *     in o->schedule (or replayed from it). Re-run candidates, each a guided replay of the best
 *     so far with one preemption, one operation of a thread or a whole thread taken away, while
 *     the same violation (its invariant and text with the numbers left out) still occurs, until
 *     none can be (1-minimal) or the limits are reached. Prints the reduction and the shrunk run
 *     as a swimlane, writes OUT/shrunk-SEED/repro-SEED.conf (with its schedule and trace) and
 *     checks that it replays to the violation. Returns 0, 1 when the run did not reproduce under
 *     guidance, or LR_EXIT_ENV.
 */
int lr_shrink(const lr_options *o, const lr_result *res, int vi);

/* A violation's signature: "INV: what" with every run of digits as one '#' (what a shrunk or
 * followed run must keep). */
void lr_violation_signature(const lr_violation *v, char *buf, size_t len);

/* Set by `layerace shrink`: shrink even a shrunk run's replay. */
extern bool lr_shrink_forced;

/* `layerace shrink REPRO [OPTIONS]`: replay a controlled repro and shrink it if it fails. */
int lr_shrink_main(int argc, char **argv);

/* The trace of one run: open the recorder (always for a controlled run, with --trace for a free
 * one) before lr_stress_start. Returns 0 or LR_EXIT_ENV. */
int lr_run_trace_open(const lr_options *o);
/* After lr_stress_finish: write the trace if --trace was given or a controlled run failed (with
 * the violations the checker found after the run), print where, close the recorder. Returns 0 or
 * LR_EXIT_ENV. */
int lr_run_trace_close(const lr_options *o, const lr_result *res, bool failed);

#endif /* LR_SHRINK_H */
