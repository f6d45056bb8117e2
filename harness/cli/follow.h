/*
 * follow.h -- from a failing free run to an exact controlled repro: run the same seed and knobs
 * under --sched follow, guided by the order the free run recorded (sched/sched_order.h).
 */
#ifndef LR_FOLLOW_H
#define LR_FOLLOW_H

#include "options/options.h"
#include "stress/engine.h"

/*
 * lr_follow --
 *     o and res: a free run that failed with res->v[0] (or the first violation --stop-on matches)
 *     and wrote its order (o->order). Run the same configuration under --sched follow in
 *     OUT/follow-SEED/ (its schedule recorded, its repro file written there), by next points,
 *     then by current, then by middle points (lr_sched_config.follow_by), until one has the same
 *     violation (the invariant and text with the numbers left out). Prints each attempt's
 *     summary, then the repro and its replay command, or why the first attempt did not
 *     reproduce (diverged at step N, ran clean, failed another way). Returns 0 reproduced, 1
 *     not, LR_EXIT_ENV.
 */
int lr_follow(const lr_options *o, const lr_result *res);

#endif /* LR_FOLLOW_H */
