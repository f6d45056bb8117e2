/*
 * catalogue.c -- the race catalogue: races.def expanded into lr_scenarios[]; races/NAME.c defines
 * lr_race_NAME.
 */
#include <string.h>

#include "catalogue.h"

#define RACE(name, ms, faults, summary) int lr_race_##name(lr_sc *sc);
#include "races.def"
#undef RACE

const lr_scenario lr_scenarios[] = {
#define RACE(name, ms, faults, summary) {#name, ms, faults, summary, lr_race_##name},
#include "races.def"
#undef RACE
  {NULL, 0, 0, NULL, NULL}};

const lr_scenario *
lr_scenario_find(const char *name)
{
    const lr_scenario *s;

    for (s = lr_scenarios; name != NULL && s->name != NULL; s++)
        if (strcmp(s->name, name) == 0)
            return (s);
    return (NULL);
}
