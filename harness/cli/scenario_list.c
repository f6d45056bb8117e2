/*
 * scenario_list.c -- `layerace list`: the race catalogue (races/races.def), one scenario a line.
 */
#include <stdio.h>
#include <string.h>

#include "catalogue.h"
#include "cli/scenario_run.h"
#include "common/exit.h"
#include "scenario/scenario_int.h"

static void
__list_usage(FILE *fp)
{
    fprintf(fp,
      "usage: " LR_PROG " list [--help]\n"
      "\n"
      "The race catalogue (races/races.def): each scenario's name, budget, the hazard its\n"
      "must-detect run puts back, and a summary. Every scenario has two expectations:\n"
      "must-pass (policy reject, no fault: ends clean) and must-detect (the hazard: a violation\n"
      "or a death). A fault hazard needs the test-only binary layerace-faults.\n");
}

int
lr_scenario_list_main(int argc, char **argv)
{
    const lr_scenario *s;
    char hazard[160], fbuf[128];
    int nw = 4, hw = 18; /* the widest name and hazard, so that the columns line up */

    if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        __list_usage(stdout);
        return (LR_EXIT_CLEAN);
    }
    if (argc > 1) {
        fprintf(stderr, LR_PROG " list: unexpected argument '%s'\n", argv[1]);
        __list_usage(stderr);
        return (LR_EXIT_ENV);
    }
    for (s = lr_scenarios; s->name != NULL; s++) {
        if ((int)strlen(s->name) > nw)
            nw = (int)strlen(s->name);
        if (s->faults != 0 &&
          (int)strlen(lr_sc_fault_names(s->faults, fbuf, sizeof(fbuf))) + 6 > hw)
            hw = (int)strlen(fbuf) + 6;
    }
    printf("%-*s %6s  %-29s %-*s %s\n", nw, "NAME", "BUDGET", "EXPECTATIONS", hw,
      "MUST-DETECT HAZARD", "SUMMARY");
    for (s = lr_scenarios; s->name != NULL; s++) {
        if (s->faults == 0)
            (void)snprintf(hazard, sizeof(hazard), "policy off");
        else
            (void)snprintf(hazard, sizeof(hazard), "fault %s",
              lr_sc_fault_names(s->faults, fbuf, sizeof(fbuf)));
        printf("%-*s %4.0f s  %-29s %-*s %s\n", nw, s->name, s->default_ms / 1000.0,
          LR_HAVE_FAULTS || s->faults == 0 ? "pass, detect" : "pass; detect: layerace-faults", hw,
          hazard, s->summary);
    }
    return (LR_EXIT_CLEAN);
}
