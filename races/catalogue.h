/*
 * catalogue.h -- the race catalogue (races.def, expanded by catalogue.c): every scenario with its
 * budget, hazard and summary. `layerace run` and `layerace list` read it; the scenario runtime
 * does not, it runs the scenario it is given.
 */
#ifndef LR_CATALOGUE_H
#define LR_CATALOGUE_H

#include "scenario.h"

/* NULL-terminated by name. */
extern const lr_scenario lr_scenarios[];
const lr_scenario *lr_scenario_find(const char *name);

#endif /* LR_CATALOGUE_H */
