/*
 * watchdog.h -- the free-mode watchdog: no progress for --watchdog seconds is reported as a hang
 * (every thread's operation, last point, wait and held locks), exit 1.
 */
#ifndef LR_WATCHDOG_H
#define LR_WATCHDOG_H

#include "options/options.h"

/* Watch a free run (o stays valid until lr_watchdog_stop); a controlled run has its own
 * deadlock report, and --watchdog 0 turns it off. */
void lr_watchdog_start(const lr_options *o);
void lr_watchdog_stop(void);

#endif /* LR_WATCHDOG_H */
